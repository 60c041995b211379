//! Java's `DateTimeFormatter` patterns and `ZoneId`s, formatted exactly as Java 17 formats
//! them with `Locale.US`.
//!
//! FusionAuth's login-record export takes `dateTimeSecondsFormat`, a
//! `java.time.format.DateTimeFormatter` pattern, and `zoneId`, a `java.time.ZoneId`. The
//! files it produces are read by scripts, so "close enough" is a bug: for every pattern this
//! module accepts, [`JavaDateFormat::format`] prints what
//! `DateTimeFormatter.ofPattern(p, Locale.US).withZone(ZoneId.of(z)).format(instant)` prints,
//! byte for byte. Patterns it cannot reproduce are refused by [`JavaDateFormat::parse`] with
//! an error naming the letter, never formatted approximately.
//!
//! Supported letters, with Java's rules for how many times each may repeat:
//!
//! | letter | counts | prints |
//! | --- | --- | --- |
//! | `y` | 1–19 | year of era; `yy` is the last two digits, `yyyy`+ marks a wider year with `+` |
//! | `M` | 1–5 | month: `7`, `07`, `Jul`, `July`, `J` |
//! | `d` `H` `h` `m` `s` | 1–2 | day, hour 0–23, hour 1–12, minute, second; 2 pads to two digits |
//! | `S` | 1–9 | fraction of the second, that many digits, truncated |
//! | `a` | 1 | `AM` / `PM` |
//! | `E` | 1–5 | weekday: `Mon` (1–3), `Monday`, `M` |
//! | `z` | 1–3 | the zone's short name as Java prints it (see below) |
//! | `Z` | 1–5 | `+0200` (1–3), `GMT+02:00` (4), `+02:00` / `Z` (5) |
//! | `X` `x` | 1–5 | ISO offsets: `+02`, `+0200`, `+02:00`, `+0200`, `+02:00` (seconds when present in 4–5); `X` prints `Z` for zero |
//!
//! Text in single quotes is literal (`''` is one quote), as is any character that is not
//! an ASCII letter, except `[ ] { } #`, which Java gives meanings this module does not
//! reproduce. Everything else is refused, including letters Java accepts (`G`, `u`, `k`,
//! `Q`, `w`, ...) and `zzzz`: Java's full zone names come from CLDR and would need a second
//! table as large as the one below, for a pattern nobody has asked for.
//!
//! Short zone names are not the tz database's abbreviations: Java takes them from CLDR and
//! its legacy `TimeZoneNames`, one name for standard time and one for daylight time per
//! zone id (`Asia/Dubai` is `GST` where tzdb says `+04`; `Europe/London` in 1970 is `GMT`
//! although its offset was +01:00). `ZONE_NAMES` holds those names as Java 17.0.15
//! printed them for every zone id it knows. Which of the two applies is the bundled tz
//! database's daylight-time flag, corrected where Java's reading of tzdb differs
//! (`JAVA_EXTRA_DAYLIGHT`).
//!
//! Offsets and transitions come from the tz database bundled with jiff (no host files are
//! read), not from the JDK's. Where the two versions of tzdb differ, the output follows the
//! bundled one, as a JDK carrying that tzdb would print it; `Europe/London` and
//! `America/Denver` agree with Java 17.0.15, but zones whose rules changed after its tzdata
//! (2025a), such as Morocco's or western Canada's, differ from that JDK after the change.
//!
//! Instants come as epoch milliseconds and every `i64` is formatted, as Java does: beyond
//! the years jiff can represent, the calendar arithmetic here takes over and the zone's
//! offset is read 400-year cycles closer to now, where the Gregorian calendar, and so every
//! zone rule, repeats itself.

use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};
use jiff::Timestamp;

/// A compiled `DateTimeFormatter` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaDateFormat {
    tokens: Vec<Token>,
}

/// Why a pattern is refused. Each message names the character at fault.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PatternError {
    #[error("pattern letter '{0}' is not supported")]
    UnsupportedLetter(char),
    #[error("pattern letter '{letter}' is not supported {count} times in a row")]
    UnsupportedCount { letter: char, count: usize },
    #[error("pattern character '{0}' is not supported: Java reserves it or opens an optional section with it")]
    ReservedCharacter(char),
    #[error("pattern ends inside a quoted literal: a single quote (') is not closed")]
    UnterminatedQuote,
}

/// A zone id that Java's `ZoneId.of` would refuse, or that this module cannot name as Java
/// does (`UTC+02:00`, `UT`, ids missing from the bundled tz database).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown or unsupported time zone id '{0}'")]
pub struct UnknownZone(pub String);

/// One step of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    /// `y`: the year of era. Count 2 is Java's reduced two-digit year; any other count is a
    /// minimum width, and from 4 up Java prefixes `+` to a year wider than that.
    YearOfEra(usize),
    /// A numeric field printed at least this many digits wide.
    Number(Field, usize),
    /// `S`: this many digits of the fraction of the second.
    Fraction(usize),
    MonthText(TextWidth),
    WeekdayText(TextWidth),
    AmPm,
    /// `z`, `zz`, `zzz`.
    ZoneName,
    /// `Z`, `X`, `x` except `ZZZZ`.
    Offset(OffsetStyle),
    /// `ZZZZ`: `GMT+02:00`.
    LocalizedOffset,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Month,
    Day,
    Hour,
    ClockHourOfAmPm,
    Minute,
    Second,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextWidth {
    Short,
    Full,
    Narrow,
}

/// One of Java's `appendOffset` patterns. Hours are always two digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OffsetStyle {
    colon: bool,
    minutes: Show,
    /// Only consulted when minutes are printed, as in Java.
    seconds: Show,
    /// What a zero offset prints, and also an offset whose printed parts are all zero
    /// (`+00:00:30` as `+HHMM`).
    zero: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Never,
    IfNonZero,
    Always,
}

impl OffsetStyle {
    /// `+HHmm`: minutes only when non-zero.
    const fn hours_minutes_if_any(zero: &'static str) -> Self {
        OffsetStyle {
            colon: false,
            minutes: Show::IfNonZero,
            seconds: Show::Never,
            zero,
        }
    }
    /// `+HHMM` or `+HH:MM`.
    const fn hours_minutes(colon: bool, zero: &'static str) -> Self {
        OffsetStyle {
            colon,
            minutes: Show::Always,
            seconds: Show::Never,
            zero,
        }
    }
    /// `+HHMMss` or `+HH:MM:ss`: seconds only when non-zero.
    const fn hours_minutes_seconds_if_any(colon: bool, zero: &'static str) -> Self {
        OffsetStyle {
            colon,
            minutes: Show::Always,
            seconds: Show::IfNonZero,
            zero,
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl JavaDateFormat {
    /// FusionAuth's default `dateTimeSecondsFormat`.
    pub const DEFAULT: &'static str = "M/d/yyyy hh:mm:ss a z";

    /// Compiles a pattern, refusing any letter, count or character whose Java meaning is
    /// not reproduced here (see the module documentation).
    pub fn parse(pattern: &str) -> Result<Self, PatternError> {
        tokenize(pattern).map(|tokens| JavaDateFormat { tokens })
    }

    /// Formats an instant in `zone` as Java would. Zone names (`z`) are Java's for zones
    /// obtained from [`zone`]; any other zone without an IANA name Java knows is treated as
    /// a Java `ZoneOffset`, whose name is its offset (`+02:00`, `Z`).
    pub fn format(&self, epoch_millis: i64, zone: &TimeZone) -> String {
        let at = LocalMoment::new(epoch_millis, zone);
        let mut out = String::new();
        for token in &self.tokens {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::YearOfEra(count) => push_year_of_era(&mut out, at.year_of_era(), *count),
                Token::Number(field, width) => push_padded(&mut out, at.field(*field), *width),
                Token::Fraction(digits) => {
                    // Milliseconds as nanoseconds, truncated to the requested digits.
                    let nanos = at.millisecond * 1_000_000;
                    let divisor = 10u64.pow(u32::try_from(9 - digits).unwrap_or(0));
                    push_padded(&mut out, nanos / divisor, *digits);
                }
                Token::MonthText(width) => {
                    push_text(&mut out, MONTHS[usize::from(at.month_index)], *width)
                }
                Token::WeekdayText(width) => {
                    push_text(&mut out, WEEKDAYS[usize::from(at.weekday_index)], *width)
                }
                Token::AmPm => out.push_str(if at.hour < 12 { "AM" } else { "PM" }),
                Token::ZoneName => push_zone_name(&mut out, zone, at.offset_seconds, at.dst),
                Token::Offset(style) => push_offset(&mut out, at.offset_seconds, *style),
                Token::LocalizedOffset => {
                    out.push_str("GMT");
                    if at.offset_seconds != 0 {
                        push_offset_id(&mut out, at.offset_seconds);
                    }
                }
            }
        }
        out
    }
}

/// Splits a pattern the way `DateTimeFormatterBuilder.appendPattern` does: runs of one
/// ASCII letter are fields, quotes delimit literal text, anything else is itself.
fn tokenize(pattern: &str) -> Result<Vec<Token>, PatternError> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    let mut literal = String::new();
    let mut pos = 0;
    while let Some(&c) = chars.get(pos) {
        if c.is_ascii_alphabetic() {
            let count = chars[pos..].iter().take_while(|&&other| other == c).count();
            if !literal.is_empty() {
                tokens.push(Token::Literal(std::mem::take(&mut literal)));
            }
            tokens.push(field(c, count)?);
            pos += count;
        } else if c == '\'' {
            pos = quoted(&chars, pos, &mut literal)?;
        } else if matches!(c, '[' | ']' | '{' | '}' | '#') {
            return Err(PatternError::ReservedCharacter(c));
        } else {
            literal.push(c);
            pos += 1;
        }
    }
    if !literal.is_empty() {
        tokens.push(Token::Literal(literal));
    }
    Ok(tokens)
}

/// Reads the quoted literal opening at `start` into `literal`; returns the position after
/// its closing quote. As in Java, `''` inside quotes is one quote, and `''` on its own (an
/// empty quoted text) is one quote too.
fn quoted(chars: &[char], start: usize, literal: &mut String) -> Result<usize, PatternError> {
    let mut text = String::new();
    let mut pos = start + 1;
    loop {
        match (chars.get(pos), chars.get(pos + 1)) {
            (None, _) => return Err(PatternError::UnterminatedQuote),
            (Some('\''), Some('\'')) => {
                text.push('\'');
                pos += 2;
            }
            (Some('\''), _) => break,
            (Some(&c), _) => {
                text.push(c);
                pos += 1;
            }
        }
    }
    if text.is_empty() {
        literal.push('\'');
    } else {
        literal.push_str(&text);
    }
    Ok(pos + 1)
}

/// The token for `count` repetitions of `letter`, with Java's limits per letter.
fn field(letter: char, count: usize) -> Result<Token, PatternError> {
    let text = |count: usize| match count {
        1..=3 => TextWidth::Short,
        4 => TextWidth::Full,
        _ => TextWidth::Narrow,
    };
    let token = match (letter, count) {
        ('y', 1..=19) => Token::YearOfEra(count),
        ('M', 1..=2) => Token::Number(Field::Month, count),
        ('M', 3..=5) => Token::MonthText(text(count)),
        ('d', 1..=2) => Token::Number(Field::Day, count),
        ('H', 1..=2) => Token::Number(Field::Hour, count),
        ('h', 1..=2) => Token::Number(Field::ClockHourOfAmPm, count),
        ('m', 1..=2) => Token::Number(Field::Minute, count),
        ('s', 1..=2) => Token::Number(Field::Second, count),
        ('S', 1..=9) => Token::Fraction(count),
        ('a', 1) => Token::AmPm,
        ('E', 1..=5) => Token::WeekdayText(text(count)),
        ('z', 1..=3) => Token::ZoneName,
        ('Z', 1..=3) => Token::Offset(OffsetStyle::hours_minutes(false, "+0000")),
        ('Z', 4) => Token::LocalizedOffset,
        ('Z', 5) => Token::Offset(OffsetStyle::hours_minutes_seconds_if_any(true, "Z")),
        ('X' | 'x', 1..=5) => {
            let zero = match (letter, count) {
                ('X', _) => "Z",
                (_, 1) => "+00",
                (_, 2 | 4) => "+0000",
                _ => "+00:00",
            };
            Token::Offset(match count {
                1 => OffsetStyle::hours_minutes_if_any(zero),
                2 => OffsetStyle::hours_minutes(false, zero),
                3 => OffsetStyle::hours_minutes(true, zero),
                4 => OffsetStyle::hours_minutes_seconds_if_any(false, zero),
                _ => OffsetStyle::hours_minutes_seconds_if_any(true, zero),
            })
        }
        ('y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'S' | 'a' | 'E' | 'z' | 'Z' | 'X' | 'x', _) => {
            return Err(PatternError::UnsupportedCount { letter, count })
        }
        _ => return Err(PatternError::UnsupportedLetter(letter)),
    };
    Ok(token)
}

/// An instant seen on a zone's wall clock, split into the fields patterns print.
#[derive(Debug)]
struct LocalMoment {
    /// Proleptic ISO year: 0 is 1 BCE.
    year: i64,
    /// 0 is January.
    month_index: u8,
    day: u64,
    /// 0 is Monday.
    weekday_index: u8,
    hour: u64,
    minute: u64,
    second: u64,
    millisecond: u64,
    offset_seconds: i32,
    dst: bool,
}

const SECONDS_PER_DAY: i64 = 86_400;

/// The Gregorian calendar repeats, weekdays included, every 400 years.
const SECONDS_PER_400_YEARS: i64 = 146_097 * SECONDS_PER_DAY;

impl LocalMoment {
    fn new(epoch_millis: i64, zone: &TimeZone) -> Self {
        let epoch_second = epoch_millis.div_euclid(1000);
        let (offset_seconds, dst) = offset_at(zone, epoch_second);
        let dst = dst || java_extra_daylight(zone, epoch_second);
        // Cannot overflow: |epoch_second| < 2^54 and |offset| < 2^17.
        let local = epoch_second + i64::from(offset_seconds);
        let days = local.div_euclid(SECONDS_PER_DAY);
        let second_of_day = local.rem_euclid(SECONDS_PER_DAY).unsigned_abs();
        let (year, month_index, day) = civil_from_days(days);
        LocalMoment {
            year,
            month_index,
            day,
            // 1970-01-01 was a Thursday, index 3 from Monday.
            weekday_index: u8::try_from((days + 3).rem_euclid(7)).unwrap_or(0),
            hour: second_of_day / 3600,
            minute: second_of_day / 60 % 60,
            second: second_of_day % 60,
            millisecond: epoch_millis.rem_euclid(1000).unsigned_abs(),
            offset_seconds,
            dst,
        }
    }

    /// Java's `YEAR_OF_ERA`: 1 BCE is year 1 of its era.
    fn year_of_era(&self) -> u64 {
        if self.year >= 1 {
            self.year.unsigned_abs()
        } else {
            (1 - self.year).unsigned_abs()
        }
    }

    fn field(&self, field: Field) -> u64 {
        match field {
            Field::Month => u64::from(self.month_index) + 1,
            Field::Day => self.day,
            Field::Hour => self.hour,
            Field::ClockHourOfAmPm => match self.hour % 12 {
                0 => 12,
                hour => hour,
            },
            Field::Minute => self.minute,
            Field::Second => self.second,
        }
    }
}

/// The zone's offset and daylight-time flag at an epoch second. Outside the range jiff
/// represents (years ±9999), the instant is moved whole 400-year cycles toward now first:
/// far in the past every zone is on its first (local mean) time, far in the future on its
/// last rule, and both repeat with the calendar, as Java's `ZoneRules` do.
fn offset_at(zone: &TimeZone, epoch_second: i64) -> (i32, bool) {
    // One cycle inside jiff's limits, so that rule arithmetic near the limits never
    // reaches past them.
    let low = Timestamp::MIN.as_second() + SECONDS_PER_400_YEARS;
    let high = Timestamp::MAX.as_second() - SECONDS_PER_400_YEARS;
    let cycles = if epoch_second > high {
        -((epoch_second - high) / SECONDS_PER_400_YEARS + 1)
    } else if epoch_second < low {
        (low - epoch_second) / SECONDS_PER_400_YEARS + 1
    } else {
        0
    };
    let second = epoch_second + cycles * SECONDS_PER_400_YEARS;
    // Cannot fail: `second` is within jiff's range by construction.
    let timestamp = Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH);
    let info = zone.to_offset_info(timestamp);
    (info.offset().seconds(), info.dst().is_dst())
}

/// Spans, in epoch seconds from inclusive to exclusive, that Java calls daylight time and
/// the bundled database does not. Both start from tzdb, but tzdb writes Ireland's and
/// Namibia's clocks with negative daylight saving (winter is the "daylight" time); the
/// bundled "rearguard" form rewrites that one way, and the JDK's tzdb compiler another: it
/// lowers the standard offset for as long as the zone follows those rules, so years in which
/// no rule applied count as daylight time. Found by comparing every transition of every
/// zone, and monthly samples from 1840 to 2100, with Java.
const JAVA_EXTRA_DAYLIGHT: &[(&str, i64, i64)] = &[
    // Ireland's year-round +01:00, 1968-10-27 to 1971-10-31.
    ("Eire", -37_242_000, 57_722_400),
    ("Europe/Dublin", -37_242_000, 57_722_400),
    // Namibia's +02:00 from 1990-03-21 to 1994-03-21, and again since 2017-10-24.
    ("Africa/Windhoek", 637_970_400, 764_200_800),
    ("Africa/Windhoek", 1_508_796_000, i64::MAX),
];

fn java_extra_daylight(zone: &TimeZone, epoch_second: i64) -> bool {
    let Some(name) = zone.iana_name() else {
        return false;
    };
    JAVA_EXTRA_DAYLIGHT
        .iter()
        .any(|&(id, from, until)| id == name && (from..until).contains(&epoch_second))
}

/// Year, month index (0 = January) and day of month of a day counted from 1970-01-01, in
/// the proleptic Gregorian calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u64) {
    // Years start on March 1 here, so that the leap day ends them.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1).unsigned_abs();
    let month_index = u8::try_from((month_from_march + 2) % 12).unwrap_or(0);
    let year = era * 400 + year_of_era + i64::from(month_index < 2);
    (year, month_index, day)
}

fn push_padded(out: &mut String, value: u64, width: usize) {
    let digits = value.to_string();
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Java's `y` printer: `yy` is `appendValueReduced(YEAR_OF_ERA, 2, 2, 2000)`, which for
/// a year of era (always positive) is its last two digits; counts 1 and 3 are minimum
/// widths; from 4 up the sign style is `EXCEEDS_PAD`, a `+` before a year that needs more
/// digits than the count.
fn push_year_of_era(out: &mut String, year_of_era: u64, count: usize) {
    match count {
        2 => push_padded(out, year_of_era % 100, 2),
        1 | 3 => push_padded(out, year_of_era, count),
        _ => {
            let exceeds = u32::try_from(count)
                .ok()
                .and_then(|count| 10u64.checked_pow(count))
                .is_some_and(|limit| year_of_era >= limit);
            if exceeds {
                out.push('+');
            }
            push_padded(out, year_of_era, count);
        }
    }
}

/// English month or weekday text: Java's `Locale.US` short forms are the first three
/// letters and its narrow forms the first letter, for every month and weekday.
fn push_text(out: &mut String, full: &str, width: TextWidth) {
    let len = match width {
        TextWidth::Short => 3,
        TextWidth::Full => full.len(),
        TextWidth::Narrow => 1,
    };
    out.push_str(full.get(..len).unwrap_or(full));
}

/// Java's `OffsetIdPrinterParser.format`, for the patterns [`field`] produces.
fn push_offset(out: &mut String, offset_seconds: i32, style: OffsetStyle) {
    if offset_seconds == 0 {
        out.push_str(style.zero);
        return;
    }
    let abs = u64::from(offset_seconds.unsigned_abs());
    let (hours, minutes, seconds) = (abs / 3600 % 100, abs / 60 % 60, abs % 60);
    let start = out.len();
    out.push(if offset_seconds < 0 { '-' } else { '+' });
    push_padded(out, hours, 2);
    let mut printed = hours;
    let shows = |show: Show, value: u64| match show {
        Show::Never => false,
        Show::IfNonZero => value > 0,
        Show::Always => true,
    };
    if shows(style.minutes, minutes) {
        if style.colon {
            out.push(':');
        }
        push_padded(out, minutes, 2);
        printed += minutes;
        if shows(style.seconds, seconds) {
            if style.colon {
                out.push(':');
            }
            push_padded(out, seconds, 2);
            printed += seconds;
        }
    }
    if printed == 0 {
        out.truncate(start);
        out.push_str(style.zero);
    }
}

/// An offset as Java's `ZoneOffset.getId()` spells it: `Z`, `+02:00`, `-00:44:30`. Also
/// what `ZZZZ` prints after `GMT` for a non-zero offset.
fn push_offset_id(out: &mut String, offset_seconds: i32) {
    push_offset(
        out,
        offset_seconds,
        OffsetStyle::hours_minutes_seconds_if_any(true, "Z"),
    );
}

/// `z`: Java's short name for the zone id, standard or daylight, or for a zone that is
/// only an offset, the offset's id (`ZoneOffset` has no name of its own).
fn push_zone_name(out: &mut String, zone: &TimeZone, offset_seconds: i32, dst: bool) {
    match zone.iana_name().and_then(java_short_names) {
        Some((_, daylight)) if dst && !daylight.is_empty() => out.push_str(daylight),
        Some((standard, _)) => out.push_str(standard),
        None => push_offset_id(out, offset_seconds),
    }
}

/// Java's short standard and daylight names for a zone id ("" where Java never saw the
/// zone on daylight time).
fn java_short_names(id: &str) -> Option<(&'static str, &'static str)> {
    ZONE_NAMES
        .binary_search_by(|(candidate, _, _)| candidate.cmp(&id))
        .ok()
        .and_then(|index| ZONE_NAMES.get(index))
        .map(|&(_, standard, daylight)| (standard, daylight))
}

/// Resolves a `zoneId` as Java's `ZoneId.of` does, from the tz database bundled in this
/// binary (never the host's files, so results do not depend on where it runs).
///
/// Accepted: the region ids Java 17 knows (case-sensitive, as in Java) that the bundled
/// database also has; `Z` and offsets in Java's `ZoneOffset` forms (`+2`, `+02`, `+0200`,
/// `+02:00`, `+020030`, `+02:00:30`, at most ±18:00); and `UTC`/`GMT` followed by a zero
/// offset, which Java turns into plain `UTC`/`GMT`. Refused although Java accepts them:
/// `UTC`, `GMT` or `UT` followed by a non-zero offset, and `UT`, whose `z` Java prints as
/// the id itself, which a jiff zone cannot carry; and Java's `SystemV/*` ids, which the
/// bundled database does not have.
pub fn zone(id: &str) -> Result<TimeZone, UnknownZone> {
    let unknown = || UnknownZone(id.to_owned());
    if id.len() <= 1 || id.starts_with(['+', '-']) {
        return match parse_offset(id) {
            Some(0) => zero_offset_zone().ok_or_else(unknown),
            Some(seconds) => Offset::from_seconds(seconds)
                .map(TimeZone::fixed)
                .map_err(|_| unknown()),
            None => Err(unknown()),
        };
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(offset) = id
            .strip_prefix(prefix)
            .filter(|rest| rest.starts_with(['+', '-']))
        {
            return match parse_offset(offset) {
                Some(0) if prefix != "UT" => region(prefix).ok_or_else(unknown),
                _ => Err(unknown()),
            };
        }
    }
    region(id).ok_or_else(unknown)
}

/// A region id Java knows, loaded from the bundled database, whose name is exactly `id`
/// (the database's lookup ignores case; Java's does not).
fn region(id: &str) -> Option<TimeZone> {
    // Java's ids are the ones it has names for.
    java_short_names(id)?;
    let zone = TimeZoneDatabase::bundled().get(id).ok()?;
    (zone.iana_name() == Some(id)).then_some(zone)
}

/// Java's `ZoneOffset.UTC`, whose `z` is `Z`. `TimeZone::fixed` turns a zero offset into
/// `TimeZone::UTC`, which is named `UTC` like Java's `ZoneId.of("UTC")`; a POSIX rule of
/// constant zero offset is the same clock without the name.
fn zero_offset_zone() -> Option<TimeZone> {
    TimeZone::posix("UTC0").ok()
}

/// Seconds east of UTC for an id in one of `ZoneOffset.of`'s forms: `Z`, or a sign and
/// `H`, `HH`, `HHMM`, `HH:MM`, `HHMMSS`, `HH:MM:SS`, within ±18:00.
fn parse_offset(id: &str) -> Option<i32> {
    if id == "Z" {
        return Some(0);
    }
    let (negative, digits) = match id.as_bytes().split_first()? {
        (b'+', rest) => (false, rest),
        (b'-', rest) => (true, rest),
        _ => return None,
    };
    let number = |at: usize, len: usize| -> Option<i32> {
        let part = digits.get(at..at + len)?;
        part.iter().try_fold(0, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + i32::from(b - b'0'))
        })
    };
    let colon = |at: usize| digits.get(at) == Some(&b':');
    let (hours, minutes, seconds) = match digits.len() {
        1 => (number(0, 1)?, 0, 0),
        2 => (number(0, 2)?, 0, 0),
        4 => (number(0, 2)?, number(2, 2)?, 0),
        5 if colon(2) => (number(0, 2)?, number(3, 2)?, 0),
        6 => (number(0, 2)?, number(2, 2)?, number(4, 2)?),
        8 if colon(2) && colon(5) => (number(0, 2)?, number(3, 2)?, number(6, 2)?),
        _ => return None,
    };
    if hours > 18 || minutes > 59 || seconds > 59 || (hours == 18 && minutes + seconds > 0) {
        return None;
    }
    let total = hours * 3600 + minutes * 60 + seconds;
    Some(if negative { -total } else { total })
}

/// Java 17.0.15's short names (`Locale.US`, tzdata 2025a) for its zone ids, as its
/// `DateTimeFormatter` prints them with `z`: standard, then daylight ("" where Java never
/// showed the zone on daylight time). Sorted by id for binary search; generated by
/// formatting `z` at every transition of every zone in `ZoneId.getAvailableZoneIds()`, keeping
/// the ids the bundled tz database also has.
const ZONE_NAMES: &[(&str, &str, &str)] = &[
    ("Africa/Abidjan", "GMT", ""),
    ("Africa/Accra", "GMT", ""),
    ("Africa/Addis_Ababa", "EAT", ""),
    ("Africa/Algiers", "CET", "CEST"),
    ("Africa/Asmara", "EAT", ""),
    ("Africa/Asmera", "EAT", ""),
    ("Africa/Bamako", "GMT", ""),
    ("Africa/Bangui", "WAT", ""),
    ("Africa/Banjul", "GMT", ""),
    ("Africa/Bissau", "GMT", ""),
    ("Africa/Blantyre", "CAT", ""),
    ("Africa/Brazzaville", "WAT", ""),
    ("Africa/Bujumbura", "CAT", ""),
    ("Africa/Cairo", "EET", "EEST"),
    ("Africa/Casablanca", "WET", "WEST"),
    ("Africa/Ceuta", "CET", "CEST"),
    ("Africa/Conakry", "GMT", ""),
    ("Africa/Dakar", "GMT", ""),
    ("Africa/Dar_es_Salaam", "EAT", ""),
    ("Africa/Djibouti", "EAT", ""),
    ("Africa/Douala", "WAT", ""),
    ("Africa/El_Aaiun", "WET", "WEST"),
    ("Africa/Freetown", "GMT", ""),
    ("Africa/Gaborone", "CAT", ""),
    ("Africa/Harare", "CAT", ""),
    ("Africa/Johannesburg", "SAST", "SAST"),
    ("Africa/Juba", "CAT", "CAST"),
    ("Africa/Kampala", "EAT", ""),
    ("Africa/Khartoum", "CAT", "CAST"),
    ("Africa/Kigali", "CAT", ""),
    ("Africa/Kinshasa", "WAT", ""),
    ("Africa/Lagos", "WAT", ""),
    ("Africa/Libreville", "WAT", ""),
    ("Africa/Lome", "GMT", ""),
    ("Africa/Luanda", "WAT", ""),
    ("Africa/Lubumbashi", "CAT", ""),
    ("Africa/Lusaka", "CAT", ""),
    ("Africa/Malabo", "WAT", ""),
    ("Africa/Maputo", "CAT", ""),
    ("Africa/Maseru", "SAST", "SAST"),
    ("Africa/Mbabane", "SAST", "SAST"),
    ("Africa/Mogadishu", "EAT", ""),
    ("Africa/Monrovia", "GMT", ""),
    ("Africa/Nairobi", "EAT", ""),
    ("Africa/Ndjamena", "WAT", "WAST"),
    ("Africa/Niamey", "WAT", ""),
    ("Africa/Nouakchott", "GMT", ""),
    ("Africa/Ouagadougou", "GMT", ""),
    ("Africa/Porto-Novo", "WAT", ""),
    ("Africa/Sao_Tome", "GMT", ""),
    ("Africa/Timbuktu", "GMT", ""),
    ("Africa/Tripoli", "EET", "EEST"),
    ("Africa/Tunis", "CET", "CEST"),
    ("Africa/Windhoek", "CAT", "WAT"),
    ("America/Adak", "HAST", "HADT"),
    ("America/Anchorage", "AKST", "AKDT"),
    ("America/Anguilla", "AST", "ADT"),
    ("America/Antigua", "AST", "ADT"),
    ("America/Araguaina", "BRT", "BRST"),
    ("America/Argentina/Buenos_Aires", "ART", "ARST"),
    ("America/Argentina/Catamarca", "ART", "ARST"),
    ("America/Argentina/ComodRivadavia", "ART", "ARST"),
    ("America/Argentina/Cordoba", "ART", "ARST"),
    ("America/Argentina/Jujuy", "ART", "ARST"),
    ("America/Argentina/La_Rioja", "ART", "ARST"),
    ("America/Argentina/Mendoza", "ART", "ARST"),
    ("America/Argentina/Rio_Gallegos", "ART", "ARST"),
    ("America/Argentina/Salta", "ART", "ARST"),
    ("America/Argentina/San_Juan", "ART", "ARST"),
    ("America/Argentina/San_Luis", "ART", "ARST"),
    ("America/Argentina/Tucuman", "ART", "ARST"),
    ("America/Argentina/Ushuaia", "ART", "ARST"),
    ("America/Aruba", "AST", "ADT"),
    ("America/Asuncion", "PYT", "PYST"),
    ("America/Atikokan", "EST", ""),
    ("America/Atka", "HAST", "HADT"),
    ("America/Bahia", "BRT", "BRST"),
    ("America/Bahia_Banderas", "CST", "CDT"),
    ("America/Barbados", "AST", "ADT"),
    ("America/Belem", "BRT", "BRST"),
    ("America/Belize", "CST", "CDT"),
    ("America/Blanc-Sablon", "AST", "ADT"),
    ("America/Boa_Vista", "AMT", "AMST"),
    ("America/Bogota", "COT", "COST"),
    ("America/Boise", "MST", "MDT"),
    ("America/Buenos_Aires", "ART", "ARST"),
    ("America/Cambridge_Bay", "MST", "MDT"),
    ("America/Campo_Grande", "AMT", "AMST"),
    ("America/Cancun", "EST", "EDT"),
    ("America/Caracas", "VET", ""),
    ("America/Catamarca", "ART", "ARST"),
    ("America/Cayenne", "GFT", ""),
    ("America/Cayman", "EST", ""),
    ("America/Chicago", "CST", "CDT"),
    ("America/Chihuahua", "CST", "CDT"),
    ("America/Ciudad_Juarez", "MST", "MDT"),
    ("America/Coral_Harbour", "EST", ""),
    ("America/Cordoba", "ART", "ARST"),
    ("America/Costa_Rica", "CST", "CDT"),
    ("America/Creston", "MST", "MDT"),
    ("America/Cuiaba", "AMT", "AMST"),
    ("America/Curacao", "AST", "ADT"),
    ("America/Danmarkshavn", "GMT", "GMT"),
    ("America/Dawson", "MST", "MDT"),
    ("America/Dawson_Creek", "MST", "MDT"),
    ("America/Denver", "MST", "MDT"),
    ("America/Detroit", "EST", "EDT"),
    ("America/Dominica", "AST", "ADT"),
    ("America/Edmonton", "MST", "MDT"),
    ("America/Eirunepe", "ACT", "ACST"),
    ("America/El_Salvador", "CST", "CDT"),
    ("America/Ensenada", "PST", "PDT"),
    ("America/Fort_Nelson", "MST", "MDT"),
    ("America/Fort_Wayne", "EST", "EDT"),
    ("America/Fortaleza", "BRT", "BRST"),
    ("America/Glace_Bay", "AST", "ADT"),
    ("America/Godthab", "WGT", "WGST"),
    ("America/Goose_Bay", "AST", "ADT"),
    ("America/Grand_Turk", "EST", "EDT"),
    ("America/Grenada", "AST", "ADT"),
    ("America/Guadeloupe", "AST", "ADT"),
    ("America/Guatemala", "CST", "CDT"),
    ("America/Guayaquil", "ECT", "ECST"),
    ("America/Guyana", "GYT", ""),
    ("America/Halifax", "AST", "ADT"),
    ("America/Havana", "CST", "CDT"),
    ("America/Hermosillo", "MST", "MDT"),
    ("America/Indiana/Indianapolis", "EST", "EDT"),
    ("America/Indiana/Knox", "CST", "CDT"),
    ("America/Indiana/Marengo", "EST", "EDT"),
    ("America/Indiana/Petersburg", "EST", "EDT"),
    ("America/Indiana/Tell_City", "CST", "CDT"),
    ("America/Indiana/Vevay", "EST", "EDT"),
    ("America/Indiana/Vincennes", "EST", "EDT"),
    ("America/Indiana/Winamac", "EST", "EDT"),
    ("America/Indianapolis", "EST", "EDT"),
    ("America/Inuvik", "MST", "MDT"),
    ("America/Iqaluit", "EST", "EDT"),
    ("America/Jamaica", "EST", "EDT"),
    ("America/Jujuy", "ART", "ARST"),
    ("America/Juneau", "AKST", "AKDT"),
    ("America/Kentucky/Louisville", "EST", "EDT"),
    ("America/Kentucky/Monticello", "EST", "EDT"),
    ("America/Knox_IN", "CST", "CDT"),
    ("America/Kralendijk", "AST", "ADT"),
    ("America/La_Paz", "BOT", "BOST"),
    ("America/Lima", "PET", "PEST"),
    ("America/Los_Angeles", "PST", "PDT"),
    ("America/Louisville", "EST", "EDT"),
    ("America/Lower_Princes", "AST", "ADT"),
    ("America/Maceio", "BRT", "BRST"),
    ("America/Managua", "CST", "CDT"),
    ("America/Manaus", "AMT", "AMST"),
    ("America/Marigot", "AST", "ADT"),
    ("America/Martinique", "AST", "ADT"),
    ("America/Matamoros", "CST", "CDT"),
    ("America/Mazatlan", "MST", "MDT"),
    ("America/Mendoza", "ART", "ARST"),
    ("America/Menominee", "CST", "CDT"),
    ("America/Merida", "CST", "CDT"),
    ("America/Metlakatla", "AKST", "AKDT"),
    ("America/Mexico_City", "CST", "CDT"),
    ("America/Miquelon", "PMST", "PMDT"),
    ("America/Moncton", "AST", "ADT"),
    ("America/Monterrey", "CST", "CDT"),
    ("America/Montevideo", "UYT", "UYST"),
    ("America/Montreal", "EST", "EDT"),
    ("America/Montserrat", "AST", "ADT"),
    ("America/Nassau", "EST", "EDT"),
    ("America/New_York", "EST", "EDT"),
    ("America/Nipigon", "EST", "EDT"),
    ("America/Nome", "AKST", "AKDT"),
    ("America/Noronha", "FNT", "FNST"),
    ("America/North_Dakota/Beulah", "CST", "CDT"),
    ("America/North_Dakota/Center", "CST", "CDT"),
    ("America/North_Dakota/New_Salem", "CST", "CDT"),
    ("America/Nuuk", "WGT", "WGST"),
    ("America/Ojinaga", "CST", "CDT"),
    ("America/Panama", "EST", ""),
    ("America/Pangnirtung", "EST", "EDT"),
    ("America/Paramaribo", "SRT", ""),
    ("America/Phoenix", "MST", "MDT"),
    ("America/Port-au-Prince", "EST", "EDT"),
    ("America/Port_of_Spain", "AST", "ADT"),
    ("America/Porto_Acre", "ACT", "ACST"),
    ("America/Porto_Velho", "AMT", "AMST"),
    ("America/Puerto_Rico", "AST", "ADT"),
    ("America/Punta_Arenas", "GMT-03:00", "GMT-03:00"),
    ("America/Rainy_River", "CST", "CDT"),
    ("America/Rankin_Inlet", "CST", "CDT"),
    ("America/Recife", "BRT", "BRST"),
    ("America/Regina", "CST", "CDT"),
    ("America/Resolute", "CST", "CDT"),
    ("America/Rio_Branco", "ACT", "ACST"),
    ("America/Rosario", "ART", "ARST"),
    ("America/Santa_Isabel", "PST", "PDT"),
    ("America/Santarem", "BRT", "BRST"),
    ("America/Santiago", "CLT", "CLST"),
    ("America/Santo_Domingo", "AST", "ADT"),
    ("America/Sao_Paulo", "BRT", "BRST"),
    ("America/Scoresbysund", "EGT", "EGST"),
    ("America/Shiprock", "MST", "MDT"),
    ("America/Sitka", "AKST", "AKDT"),
    ("America/St_Barthelemy", "AST", "ADT"),
    ("America/St_Johns", "NST", "NDT"),
    ("America/St_Kitts", "AST", "ADT"),
    ("America/St_Lucia", "AST", "ADT"),
    ("America/St_Thomas", "AST", "ADT"),
    ("America/St_Vincent", "AST", "ADT"),
    ("America/Swift_Current", "CST", "CDT"),
    ("America/Tegucigalpa", "CST", "CDT"),
    ("America/Thule", "AST", "ADT"),
    ("America/Thunder_Bay", "EST", "EDT"),
    ("America/Tijuana", "PST", "PDT"),
    ("America/Toronto", "EST", "EDT"),
    ("America/Tortola", "AST", "ADT"),
    ("America/Vancouver", "PST", "PDT"),
    ("America/Virgin", "AST", "ADT"),
    ("America/Whitehorse", "MST", "MDT"),
    ("America/Winnipeg", "CST", "CDT"),
    ("America/Yakutat", "AKST", "AKDT"),
    ("America/Yellowknife", "MST", "MDT"),
    ("Antarctica/Casey", "AWST", ""),
    ("Antarctica/Davis", "DAVT", ""),
    ("Antarctica/DumontDUrville", "DDUT", ""),
    ("Antarctica/Macquarie", "AEST", "AEDT"),
    ("Antarctica/Mawson", "MAWT", ""),
    ("Antarctica/McMurdo", "NZST", "NZDT"),
    ("Antarctica/Palmer", "CLT", "CLST"),
    ("Antarctica/Rothera", "ROTT", ""),
    ("Antarctica/South_Pole", "NZST", "NZDT"),
    ("Antarctica/Syowa", "SYOT", ""),
    ("Antarctica/Troll", "GMT", "CEST"),
    ("Antarctica/Vostok", "VOST", ""),
    ("Arctic/Longyearbyen", "CET", "CEST"),
    ("Asia/Aden", "AST", ""),
    ("Asia/Almaty", "ALMT", "ALMST"),
    ("Asia/Amman", "EET", "EEST"),
    ("Asia/Anadyr", "ANAT", "ANAST"),
    ("Asia/Aqtau", "AQTT", "AQTST"),
    ("Asia/Aqtobe", "AQTT", "AQTST"),
    ("Asia/Ashgabat", "TMT", "TMST"),
    ("Asia/Ashkhabad", "TMT", "TMST"),
    ("Asia/Atyrau", "GMT+05:00", "GMT+05:00"),
    ("Asia/Baghdad", "AST", "ADT"),
    ("Asia/Bahrain", "AST", ""),
    ("Asia/Baku", "AZT", "AZST"),
    ("Asia/Bangkok", "ICT", ""),
    ("Asia/Barnaul", "GMT+07:00", "GMT+07:00"),
    ("Asia/Beirut", "EET", "EEST"),
    ("Asia/Bishkek", "KGT", "KGST"),
    ("Asia/Brunei", "BNT", "BNST"),
    ("Asia/Calcutta", "IST", "IDT"),
    ("Asia/Chita", "YAKT", "YAKST"),
    ("Asia/Choibalsan", "CHOT", "CHOST"),
    ("Asia/Chongqing", "CST", "CDT"),
    ("Asia/Chungking", "CST", "CDT"),
    ("Asia/Colombo", "IST", "IDT"),
    ("Asia/Dacca", "BDT", "BDST"),
    ("Asia/Damascus", "EET", "EEST"),
    ("Asia/Dhaka", "BDT", "BDST"),
    ("Asia/Dili", "TLT", ""),
    ("Asia/Dubai", "GST", ""),
    ("Asia/Dushanbe", "TJT", "TJST"),
    ("Asia/Famagusta", "EET", "EEST"),
    ("Asia/Gaza", "EET", "EEST"),
    ("Asia/Harbin", "CST", "CDT"),
    ("Asia/Hebron", "EET", "EEST"),
    ("Asia/Ho_Chi_Minh", "ICT", ""),
    ("Asia/Hong_Kong", "HKT", "HKST"),
    ("Asia/Hovd", "HOVT", "HOVST"),
    ("Asia/Irkutsk", "IRKT", "IRKST"),
    ("Asia/Istanbul", "TRT", "TRST"),
    ("Asia/Jakarta", "WIB", ""),
    ("Asia/Jayapura", "WIT", ""),
    ("Asia/Jerusalem", "IST", "IDT"),
    ("Asia/Kabul", "AFT", ""),
    ("Asia/Kamchatka", "PETT", "PETST"),
    ("Asia/Karachi", "PKT", "PKST"),
    ("Asia/Kashgar", "XJT", ""),
    ("Asia/Kathmandu", "NPT", ""),
    ("Asia/Katmandu", "NPT", ""),
    ("Asia/Khandyga", "YAKT", "YAKST"),
    ("Asia/Kolkata", "IST", "IDT"),
    ("Asia/Krasnoyarsk", "KRAT", "KRAST"),
    ("Asia/Kuala_Lumpur", "MYT", "MYST"),
    ("Asia/Kuching", "MYT", "MYST"),
    ("Asia/Kuwait", "AST", ""),
    ("Asia/Macao", "CST", "CDT"),
    ("Asia/Macau", "CST", "CDT"),
    ("Asia/Magadan", "MAGT", "MAGST"),
    ("Asia/Makassar", "WITA", ""),
    ("Asia/Manila", "PST", "PDT"),
    ("Asia/Muscat", "GST", ""),
    ("Asia/Nicosia", "EET", "EEST"),
    ("Asia/Novokuznetsk", "KRAT", "KRAST"),
    ("Asia/Novosibirsk", "NOVT", "NOVST"),
    ("Asia/Omsk", "OMST", "OMSST"),
    ("Asia/Oral", "ORAT", "ORAST"),
    ("Asia/Phnom_Penh", "ICT", ""),
    ("Asia/Pontianak", "WIB", ""),
    ("Asia/Pyongyang", "KST", ""),
    ("Asia/Qatar", "AST", ""),
    ("Asia/Qostanay", "QOST", "QOSST"),
    ("Asia/Qyzylorda", "QYZT", "QYZST"),
    ("Asia/Rangoon", "MMT", ""),
    ("Asia/Riyadh", "AST", ""),
    ("Asia/Saigon", "ICT", ""),
    ("Asia/Sakhalin", "SAKT", "SAKST"),
    ("Asia/Samarkand", "UZT", "UZST"),
    ("Asia/Seoul", "KST", "KDT"),
    ("Asia/Shanghai", "CST", "CDT"),
    ("Asia/Singapore", "SGT", "SGST"),
    ("Asia/Srednekolymsk", "SRET", "SREDT"),
    ("Asia/Taipei", "CST", "CDT"),
    ("Asia/Tashkent", "UZT", "UZST"),
    ("Asia/Tbilisi", "GET", "GEST"),
    ("Asia/Tehran", "IRST", "IRDT"),
    ("Asia/Tel_Aviv", "IST", "IDT"),
    ("Asia/Thimbu", "BTT", ""),
    ("Asia/Thimphu", "BTT", ""),
    ("Asia/Tokyo", "JST", "JDT"),
    ("Asia/Tomsk", "GMT+07:00", "GMT+07:00"),
    ("Asia/Ujung_Pandang", "WITA", ""),
    ("Asia/Ulaanbaatar", "ULAT", "ULAST"),
    ("Asia/Ulan_Bator", "ULAT", "ULAST"),
    ("Asia/Urumqi", "XJT", ""),
    ("Asia/Ust-Nera", "VLAT", "VLAST"),
    ("Asia/Vientiane", "ICT", ""),
    ("Asia/Vladivostok", "VLAT", "VLAST"),
    ("Asia/Yakutsk", "YAKT", "YAKST"),
    ("Asia/Yangon", "MMT", ""),
    ("Asia/Yekaterinburg", "YEKT", "YEKST"),
    ("Asia/Yerevan", "AMT", "AMST"),
    ("Atlantic/Azores", "AZOT", "AZOST"),
    ("Atlantic/Bermuda", "AST", "ADT"),
    ("Atlantic/Canary", "WET", "WEST"),
    ("Atlantic/Cape_Verde", "CVT", "CVST"),
    ("Atlantic/Faeroe", "WET", "WEST"),
    ("Atlantic/Faroe", "WET", "WEST"),
    ("Atlantic/Jan_Mayen", "CET", "CEST"),
    ("Atlantic/Madeira", "WET", "WEST"),
    ("Atlantic/Reykjavik", "GMT", ""),
    ("Atlantic/South_Georgia", "GST", ""),
    ("Atlantic/St_Helena", "GMT", ""),
    ("Atlantic/Stanley", "FKT", "FKST"),
    ("Australia/ACT", "AEST", "AEDT"),
    ("Australia/Adelaide", "ACST", "ACDT"),
    ("Australia/Brisbane", "AEST", "AEDT"),
    ("Australia/Broken_Hill", "ACST", "ACDT"),
    ("Australia/Canberra", "AEST", "AEDT"),
    ("Australia/Currie", "AEST", "AEDT"),
    ("Australia/Darwin", "ACST", "ACDT"),
    ("Australia/Eucla", "ACWST", "ACWDT"),
    ("Australia/Hobart", "AEST", "AEDT"),
    ("Australia/LHI", "LHST", "LHDT"),
    ("Australia/Lindeman", "AEST", "AEDT"),
    ("Australia/Lord_Howe", "LHST", "LHDT"),
    ("Australia/Melbourne", "AEST", "AEDT"),
    ("Australia/NSW", "AEST", "AEDT"),
    ("Australia/North", "ACST", "ACDT"),
    ("Australia/Perth", "AWST", "AWDT"),
    ("Australia/Queensland", "AEST", "AEDT"),
    ("Australia/South", "ACST", "ACDT"),
    ("Australia/Sydney", "AEST", "AEDT"),
    ("Australia/Tasmania", "AEST", "AEDT"),
    ("Australia/Victoria", "AEST", "AEDT"),
    ("Australia/West", "AWST", "AWDT"),
    ("Australia/Yancowinna", "ACST", "ACDT"),
    ("Brazil/Acre", "ACT", "ACST"),
    ("Brazil/DeNoronha", "FNT", "FNST"),
    ("Brazil/East", "BRT", "BRST"),
    ("Brazil/West", "AMT", "AMST"),
    ("CET", "CET", "CEST"),
    ("CST6CDT", "CST", "CDT"),
    ("Canada/Atlantic", "AST", "ADT"),
    ("Canada/Central", "CST", "CDT"),
    ("Canada/Eastern", "EST", "EDT"),
    ("Canada/Mountain", "MST", "MDT"),
    ("Canada/Newfoundland", "NST", "NDT"),
    ("Canada/Pacific", "PST", "PDT"),
    ("Canada/Saskatchewan", "CST", "CDT"),
    ("Canada/Yukon", "MST", "MDT"),
    ("Chile/Continental", "CLT", "CLST"),
    ("Chile/EasterIsland", "EAST", "EASST"),
    ("Cuba", "CST", "CDT"),
    ("EET", "EET", "EEST"),
    ("EST5EDT", "EST", "EDT"),
    ("Egypt", "EET", "EEST"),
    ("Eire", "GMT", "IST"),
    ("Etc/GMT", "GMT", ""),
    ("Etc/GMT+0", "GMT", ""),
    ("Etc/GMT+1", "GMT-01:00", ""),
    ("Etc/GMT+10", "GMT-10:00", ""),
    ("Etc/GMT+11", "GMT-11:00", ""),
    ("Etc/GMT+12", "GMT-12:00", ""),
    ("Etc/GMT+2", "GMT-02:00", ""),
    ("Etc/GMT+3", "GMT-03:00", ""),
    ("Etc/GMT+4", "GMT-04:00", ""),
    ("Etc/GMT+5", "GMT-05:00", ""),
    ("Etc/GMT+6", "GMT-06:00", ""),
    ("Etc/GMT+7", "GMT-07:00", ""),
    ("Etc/GMT+8", "GMT-08:00", ""),
    ("Etc/GMT+9", "GMT-09:00", ""),
    ("Etc/GMT-0", "GMT", ""),
    ("Etc/GMT-1", "GMT+01:00", ""),
    ("Etc/GMT-10", "GMT+10:00", ""),
    ("Etc/GMT-11", "GMT+11:00", ""),
    ("Etc/GMT-12", "GMT+12:00", ""),
    ("Etc/GMT-13", "GMT+13:00", ""),
    ("Etc/GMT-14", "GMT+14:00", ""),
    ("Etc/GMT-2", "GMT+02:00", ""),
    ("Etc/GMT-3", "GMT+03:00", ""),
    ("Etc/GMT-4", "GMT+04:00", ""),
    ("Etc/GMT-5", "GMT+05:00", ""),
    ("Etc/GMT-6", "GMT+06:00", ""),
    ("Etc/GMT-7", "GMT+07:00", ""),
    ("Etc/GMT-8", "GMT+08:00", ""),
    ("Etc/GMT-9", "GMT+09:00", ""),
    ("Etc/GMT0", "GMT", ""),
    ("Etc/Greenwich", "GMT", ""),
    ("Etc/UCT", "UTC", ""),
    ("Etc/UTC", "UTC", ""),
    ("Etc/Universal", "UTC", ""),
    ("Etc/Zulu", "UTC", ""),
    ("Europe/Amsterdam", "CET", "CEST"),
    ("Europe/Andorra", "CET", "CEST"),
    ("Europe/Astrakhan", "GMT+04:00", "GMT+04:00"),
    ("Europe/Athens", "EET", "EEST"),
    ("Europe/Belfast", "GMT", "BST"),
    ("Europe/Belgrade", "CET", "CEST"),
    ("Europe/Berlin", "CET", "CEST"),
    ("Europe/Bratislava", "CET", "CEST"),
    ("Europe/Brussels", "CET", "CEST"),
    ("Europe/Bucharest", "EET", "EEST"),
    ("Europe/Budapest", "CET", "CEST"),
    ("Europe/Busingen", "CET", "CEST"),
    ("Europe/Chisinau", "EET", "EEST"),
    ("Europe/Copenhagen", "CET", "CEST"),
    ("Europe/Dublin", "GMT", "IST"),
    ("Europe/Gibraltar", "CET", "CEST"),
    ("Europe/Guernsey", "GMT", "BST"),
    ("Europe/Helsinki", "EET", "EEST"),
    ("Europe/Isle_of_Man", "GMT", "BST"),
    ("Europe/Istanbul", "TRT", "TRST"),
    ("Europe/Jersey", "GMT", "BST"),
    ("Europe/Kaliningrad", "EET", "EEST"),
    ("Europe/Kiev", "EET", "EEST"),
    ("Europe/Kirov", "MSK", "MSD"),
    ("Europe/Kyiv", "EET", "EEST"),
    ("Europe/Lisbon", "WET", "WEST"),
    ("Europe/Ljubljana", "CET", "CEST"),
    ("Europe/London", "GMT", "BST"),
    ("Europe/Luxembourg", "CET", "CEST"),
    ("Europe/Madrid", "CET", "CEST"),
    ("Europe/Malta", "CET", "CEST"),
    ("Europe/Mariehamn", "EET", "EEST"),
    ("Europe/Minsk", "MSK", "MSD"),
    ("Europe/Monaco", "CET", "CEST"),
    ("Europe/Moscow", "MSK", "MSD"),
    ("Europe/Nicosia", "EET", "EEST"),
    ("Europe/Oslo", "CET", "CEST"),
    ("Europe/Paris", "CET", "CEST"),
    ("Europe/Podgorica", "CET", "CEST"),
    ("Europe/Prague", "CET", "CEST"),
    ("Europe/Riga", "EET", "EEST"),
    ("Europe/Rome", "CET", "CEST"),
    ("Europe/Samara", "SAMT", "SAMST"),
    ("Europe/San_Marino", "CET", "CEST"),
    ("Europe/Sarajevo", "CET", "CEST"),
    ("Europe/Saratov", "GMT+04:00", "GMT+04:00"),
    ("Europe/Simferopol", "MSK", "MSD"),
    ("Europe/Skopje", "CET", "CEST"),
    ("Europe/Sofia", "EET", "EEST"),
    ("Europe/Stockholm", "CET", "CEST"),
    ("Europe/Tallinn", "EET", "EEST"),
    ("Europe/Tirane", "CET", "CEST"),
    ("Europe/Tiraspol", "EET", "EEST"),
    ("Europe/Ulyanovsk", "GMT+04:00", "GMT+04:00"),
    ("Europe/Uzhgorod", "EET", "EEST"),
    ("Europe/Vaduz", "CET", "CEST"),
    ("Europe/Vatican", "CET", "CEST"),
    ("Europe/Vienna", "CET", "CEST"),
    ("Europe/Vilnius", "EET", "EEST"),
    ("Europe/Volgograd", "MSK", "MSD"),
    ("Europe/Warsaw", "CET", "CEST"),
    ("Europe/Zagreb", "CET", "CEST"),
    ("Europe/Zaporozhye", "EET", "EEST"),
    ("Europe/Zurich", "CET", "CEST"),
    ("GB", "GMT", "BST"),
    ("GB-Eire", "GMT", "BST"),
    ("GMT", "GMT", ""),
    ("GMT0", "GMT", ""),
    ("Greenwich", "GMT", ""),
    ("Hongkong", "HKT", "HKST"),
    ("Iceland", "GMT", ""),
    ("Indian/Antananarivo", "EAT", ""),
    ("Indian/Chagos", "IOT", ""),
    ("Indian/Christmas", "CXT", ""),
    ("Indian/Cocos", "CCT", ""),
    ("Indian/Comoro", "EAT", ""),
    ("Indian/Kerguelen", "TFT", ""),
    ("Indian/Mahe", "SCT", ""),
    ("Indian/Maldives", "MVT", ""),
    ("Indian/Mauritius", "MUT", "MUST"),
    ("Indian/Mayotte", "EAT", ""),
    ("Indian/Reunion", "RET", ""),
    ("Iran", "IRST", "IRDT"),
    ("Israel", "IST", "IDT"),
    ("Jamaica", "EST", "EDT"),
    ("Japan", "JST", "JDT"),
    ("Kwajalein", "MHT", ""),
    ("Libya", "EET", "EEST"),
    ("MET", "MET", "MEST"),
    ("MST7MDT", "MST", "MDT"),
    ("Mexico/BajaNorte", "PST", "PDT"),
    ("Mexico/BajaSur", "MST", "MDT"),
    ("Mexico/General", "CST", "CDT"),
    ("NZ", "NZST", "NZDT"),
    ("NZ-CHAT", "CHAST", "CHADT"),
    ("Navajo", "MST", "MDT"),
    ("PRC", "CST", "CDT"),
    ("PST8PDT", "PST", "PDT"),
    ("Pacific/Apia", "WSST", "WSDT"),
    ("Pacific/Auckland", "NZST", "NZDT"),
    ("Pacific/Bougainville", "BST", ""),
    ("Pacific/Chatham", "CHAST", "CHADT"),
    ("Pacific/Chuuk", "CHUT", ""),
    ("Pacific/Easter", "EAST", "EASST"),
    ("Pacific/Efate", "VUT", "VUST"),
    ("Pacific/Enderbury", "PHOT", ""),
    ("Pacific/Fakaofo", "TKT", ""),
    ("Pacific/Fiji", "FJT", "FJST"),
    ("Pacific/Funafuti", "TVT", ""),
    ("Pacific/Galapagos", "GALT", "GALST"),
    ("Pacific/Gambier", "GAMT", ""),
    ("Pacific/Guadalcanal", "SBT", ""),
    ("Pacific/Guam", "ChST", "ChDT"),
    ("Pacific/Honolulu", "HST", "HDT"),
    ("Pacific/Johnston", "HAST", "HADT"),
    ("Pacific/Kanton", "GMT+13:00", ""),
    ("Pacific/Kiritimati", "LINT", ""),
    ("Pacific/Kosrae", "KOST", ""),
    ("Pacific/Kwajalein", "MHT", ""),
    ("Pacific/Majuro", "MHT", ""),
    ("Pacific/Marquesas", "MART", ""),
    ("Pacific/Midway", "SST", ""),
    ("Pacific/Nauru", "NRT", ""),
    ("Pacific/Niue", "NUT", ""),
    ("Pacific/Norfolk", "NFT", "NFST"),
    ("Pacific/Noumea", "NCT", "NCST"),
    ("Pacific/Pago_Pago", "SST", ""),
    ("Pacific/Palau", "PWT", ""),
    ("Pacific/Pitcairn", "PST", ""),
    ("Pacific/Pohnpei", "PONT", ""),
    ("Pacific/Ponape", "PONT", ""),
    ("Pacific/Port_Moresby", "PGT", ""),
    ("Pacific/Rarotonga", "CKT", "CKHST"),
    ("Pacific/Saipan", "ChST", "ChDT"),
    ("Pacific/Samoa", "SST", ""),
    ("Pacific/Tahiti", "TAHT", ""),
    ("Pacific/Tarawa", "GILT", ""),
    ("Pacific/Tongatapu", "TOT", "TOST"),
    ("Pacific/Truk", "CHUT", ""),
    ("Pacific/Wake", "WAKT", ""),
    ("Pacific/Wallis", "WFT", ""),
    ("Pacific/Yap", "CHUT", ""),
    ("Poland", "CET", "CEST"),
    ("Portugal", "WET", "WEST"),
    ("ROK", "KST", "KDT"),
    ("Singapore", "SGT", "SGST"),
    ("Turkey", "TRT", "TRST"),
    ("UCT", "UTC", ""),
    ("US/Alaska", "AKST", "AKDT"),
    ("US/Aleutian", "HAST", "HADT"),
    ("US/Arizona", "MST", "MDT"),
    ("US/Central", "CST", "CDT"),
    ("US/East-Indiana", "EST", "EDT"),
    ("US/Eastern", "EST", "EDT"),
    ("US/Hawaii", "HST", "HDT"),
    ("US/Indiana-Starke", "CST", "CDT"),
    ("US/Michigan", "EST", "EDT"),
    ("US/Mountain", "MST", "MDT"),
    ("US/Pacific", "PST", "PDT"),
    ("US/Samoa", "SST", ""),
    ("UTC", "UTC", ""),
    ("Universal", "UTC", ""),
    ("W-SU", "MSK", "MSD"),
    ("WET", "WET", "WEST"),
    ("Zulu", "UTC", ""),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// What Java 17.0.15 (tzdata 2025a) prints for
    /// `DateTimeFormatter.ofPattern(pattern, Locale.US).withZone(ZoneId.of(zone)).format(Instant.ofEpochMilli(millis))`,
    /// captured by a throwaway Java program. `@ pattern` starts a group; each line after it
    /// is `zone millis expected`. The first ten groups are the grid of FusionAuth-style
    /// patterns × zones × instants (epoch, a millisecond before it, the eve of 2000, summer,
    /// winter, a leap day, 2040, 1965, both 2024 transitions of America/Denver ± 1 ms, year
    /// 10000, and the two ends of `i64`); the rest pin offset ids, zone ids, years of era,
    /// fractions, quotes and Java's negative-daylight-saving quirks. One captured line is left
    /// out: `EST5EDT` in 1850, where Java's tzdata (2025a) still has the old rule-only zone and
    /// the bundled one (2026f) has New York's local mean time.
    const JAVA_VECTORS: &str = r#"
@ M/d/yyyy hh:mm:ss a z
UTC 0 1/1/1970 12:00:00 AM UTC
UTC -1 12/31/1969 11:59:59 PM UTC
UTC 946684799999 12/31/1999 11:59:59 PM UTC
UTC 1720107045678 7/4/2024 03:30:45 PM UTC
UTC 1705305909042 1/15/2024 08:05:09 AM UTC
UTC 1709232300001 2/29/2024 06:45:00 PM UTC
UTC 2230085228009 9/1/2040 04:07:08 AM UTC
UTC -135028493993 9/21/1965 04:05:06 AM UTC
UTC 1710061199999 3/10/2024 08:59:59 AM UTC
UTC 1710061200000 3/10/2024 09:00:00 AM UTC
UTC 1730620799999 11/3/2024 07:59:59 AM UTC
UTC 1730620800000 11/3/2024 08:00:00 AM UTC
UTC 253402300800000 1/1/+10000 12:00:00 AM UTC
UTC -9223372036854775808 5/16/+292275056 04:47:04 PM UTC
UTC 9223372036854775807 8/17/+292278994 07:12:55 AM UTC
America/Denver 0 12/31/1969 05:00:00 PM MST
America/Denver -1 12/31/1969 04:59:59 PM MST
America/Denver 946684799999 12/31/1999 04:59:59 PM MST
America/Denver 1720107045678 7/4/2024 09:30:45 AM MDT
America/Denver 1705305909042 1/15/2024 01:05:09 AM MST
America/Denver 1709232300001 2/29/2024 11:45:00 AM MST
America/Denver 2230085228009 8/31/2040 10:07:08 PM MDT
America/Denver -135028493993 9/20/1965 10:05:06 PM MDT
America/Denver 1710061199999 3/10/2024 01:59:59 AM MST
America/Denver 1710061200000 3/10/2024 03:00:00 AM MDT
America/Denver 1730620799999 11/3/2024 01:59:59 AM MDT
America/Denver 1730620800000 11/3/2024 01:00:00 AM MST
America/Denver 253402300800000 12/31/9999 05:00:00 PM MST
America/Denver -9223372036854775808 5/16/+292275056 09:47:08 AM MST
America/Denver 9223372036854775807 8/17/+292278994 01:12:55 AM MDT
Europe/London 0 1/1/1970 01:00:00 AM GMT
Europe/London -1 1/1/1970 12:59:59 AM GMT
Europe/London 946684799999 12/31/1999 11:59:59 PM GMT
Europe/London 1720107045678 7/4/2024 04:30:45 PM BST
Europe/London 1705305909042 1/15/2024 08:05:09 AM GMT
Europe/London 1709232300001 2/29/2024 06:45:00 PM GMT
Europe/London 2230085228009 9/1/2040 05:07:08 AM BST
Europe/London -135028493993 9/21/1965 05:05:06 AM BST
Europe/London 1710061199999 3/10/2024 08:59:59 AM GMT
Europe/London 1710061200000 3/10/2024 09:00:00 AM GMT
Europe/London 1730620799999 11/3/2024 07:59:59 AM GMT
Europe/London 1730620800000 11/3/2024 08:00:00 AM GMT
Europe/London 253402300800000 1/1/+10000 12:00:00 AM GMT
Europe/London -9223372036854775808 5/16/+292275056 04:45:49 PM GMT
Europe/London 9223372036854775807 8/17/+292278994 08:12:55 AM BST
Europe/Berlin 0 1/1/1970 01:00:00 AM CET
Europe/Berlin -1 1/1/1970 12:59:59 AM CET
Europe/Berlin 946684799999 1/1/2000 12:59:59 AM CET
Europe/Berlin 1720107045678 7/4/2024 05:30:45 PM CEST
Europe/Berlin 1705305909042 1/15/2024 09:05:09 AM CET
Europe/Berlin 1709232300001 2/29/2024 07:45:00 PM CET
Europe/Berlin 2230085228009 9/1/2040 06:07:08 AM CEST
Europe/Berlin -135028493993 9/21/1965 05:05:06 AM CET
Europe/Berlin 1710061199999 3/10/2024 09:59:59 AM CET
Europe/Berlin 1710061200000 3/10/2024 10:00:00 AM CET
Europe/Berlin 1730620799999 11/3/2024 08:59:59 AM CET
Europe/Berlin 1730620800000 11/3/2024 09:00:00 AM CET
Europe/Berlin 253402300800000 1/1/+10000 01:00:00 AM CET
Europe/Berlin -9223372036854775808 5/16/+292275056 05:40:32 PM CET
Europe/Berlin 9223372036854775807 8/17/+292278994 09:12:55 AM CEST
Asia/Kolkata 0 1/1/1970 05:30:00 AM IST
Asia/Kolkata -1 1/1/1970 05:29:59 AM IST
Asia/Kolkata 946684799999 1/1/2000 05:29:59 AM IST
Asia/Kolkata 1720107045678 7/4/2024 09:00:45 PM IST
Asia/Kolkata 1705305909042 1/15/2024 01:35:09 PM IST
Asia/Kolkata 1709232300001 3/1/2024 12:15:00 AM IST
Asia/Kolkata 2230085228009 9/1/2040 09:37:08 AM IST
Asia/Kolkata -135028493993 9/21/1965 09:35:06 AM IST
Asia/Kolkata 1710061199999 3/10/2024 02:29:59 PM IST
Asia/Kolkata 1710061200000 3/10/2024 02:30:00 PM IST
Asia/Kolkata 1730620799999 11/3/2024 01:29:59 PM IST
Asia/Kolkata 1730620800000 11/3/2024 01:30:00 PM IST
Asia/Kolkata 253402300800000 1/1/+10000 05:30:00 AM IST
Asia/Kolkata -9223372036854775808 5/16/+292275056 10:40:32 PM IST
Asia/Kolkata 9223372036854775807 8/17/+292278994 12:42:55 PM IST
Asia/Tokyo 0 1/1/1970 09:00:00 AM JST
Asia/Tokyo -1 1/1/1970 08:59:59 AM JST
Asia/Tokyo 946684799999 1/1/2000 08:59:59 AM JST
Asia/Tokyo 1720107045678 7/5/2024 12:30:45 AM JST
Asia/Tokyo 1705305909042 1/15/2024 05:05:09 PM JST
Asia/Tokyo 1709232300001 3/1/2024 03:45:00 AM JST
Asia/Tokyo 2230085228009 9/1/2040 01:07:08 PM JST
Asia/Tokyo -135028493993 9/21/1965 01:05:06 PM JST
Asia/Tokyo 1710061199999 3/10/2024 05:59:59 PM JST
Asia/Tokyo 1710061200000 3/10/2024 06:00:00 PM JST
Asia/Tokyo 1730620799999 11/3/2024 04:59:59 PM JST
Asia/Tokyo 1730620800000 11/3/2024 05:00:00 PM JST
Asia/Tokyo 253402300800000 1/1/+10000 09:00:00 AM JST
Asia/Tokyo -9223372036854775808 5/17/+292275056 02:06:03 AM JST
Asia/Tokyo 9223372036854775807 8/17/+292278994 04:12:55 PM JST
Australia/Adelaide 0 1/1/1970 09:30:00 AM ACST
Australia/Adelaide -1 1/1/1970 09:29:59 AM ACST
Australia/Adelaide 946684799999 1/1/2000 10:29:59 AM ACDT
Australia/Adelaide 1720107045678 7/5/2024 01:00:45 AM ACST
Australia/Adelaide 1705305909042 1/15/2024 06:35:09 PM ACDT
Australia/Adelaide 1709232300001 3/1/2024 05:15:00 AM ACDT
Australia/Adelaide 2230085228009 9/1/2040 01:37:08 PM ACST
Australia/Adelaide -135028493993 9/21/1965 01:35:06 PM ACST
Australia/Adelaide 1710061199999 3/10/2024 07:29:59 PM ACDT
Australia/Adelaide 1710061200000 3/10/2024 07:30:00 PM ACDT
Australia/Adelaide 1730620799999 11/3/2024 06:29:59 PM ACDT
Australia/Adelaide 1730620800000 11/3/2024 06:30:00 PM ACDT
Australia/Adelaide 253402300800000 1/1/+10000 10:30:00 AM ACDT
Australia/Adelaide -9223372036854775808 5/17/+292275056 02:01:24 AM ACST
Australia/Adelaide 9223372036854775807 8/17/+292278994 04:42:55 PM ACST
America/St_Johns 0 12/31/1969 08:30:00 PM NST
America/St_Johns -1 12/31/1969 08:29:59 PM NST
America/St_Johns 946684799999 12/31/1999 08:29:59 PM NST
America/St_Johns 1720107045678 7/4/2024 01:00:45 PM NDT
America/St_Johns 1705305909042 1/15/2024 04:35:09 AM NST
America/St_Johns 1709232300001 2/29/2024 03:15:00 PM NST
America/St_Johns 2230085228009 9/1/2040 01:37:08 AM NDT
America/St_Johns -135028493993 9/21/1965 01:35:06 AM NDT
America/St_Johns 1710061199999 3/10/2024 06:29:59 AM NDT
America/St_Johns 1710061200000 3/10/2024 06:30:00 AM NDT
America/St_Johns 1730620799999 11/3/2024 04:29:59 AM NST
America/St_Johns 1730620800000 11/3/2024 04:30:00 AM NST
America/St_Johns 253402300800000 12/31/9999 08:30:00 PM NST
America/St_Johns -9223372036854775808 5/16/+292275056 01:16:12 PM NST
America/St_Johns 9223372036854775807 8/17/+292278994 04:42:55 AM NDT
Asia/Dubai 0 1/1/1970 04:00:00 AM GST
Asia/Dubai -1 1/1/1970 03:59:59 AM GST
Asia/Dubai 946684799999 1/1/2000 03:59:59 AM GST
Asia/Dubai 1720107045678 7/4/2024 07:30:45 PM GST
Asia/Dubai 1705305909042 1/15/2024 12:05:09 PM GST
Asia/Dubai 1709232300001 2/29/2024 10:45:00 PM GST
Asia/Dubai 2230085228009 9/1/2040 08:07:08 AM GST
Asia/Dubai -135028493993 9/21/1965 08:05:06 AM GST
Asia/Dubai 1710061199999 3/10/2024 12:59:59 PM GST
Asia/Dubai 1710061200000 3/10/2024 01:00:00 PM GST
Asia/Dubai 1730620799999 11/3/2024 11:59:59 AM GST
Asia/Dubai 1730620800000 11/3/2024 12:00:00 PM GST
Asia/Dubai 253402300800000 1/1/+10000 04:00:00 AM GST
Asia/Dubai -9223372036854775808 5/16/+292275056 08:28:16 PM GST
Asia/Dubai 9223372036854775807 8/17/+292278994 11:12:55 AM GST
Pacific/Chatham 0 1/1/1970 12:45:00 PM CHAST
Pacific/Chatham -1 1/1/1970 12:44:59 PM CHAST
Pacific/Chatham 946684799999 1/1/2000 01:44:59 PM CHADT
Pacific/Chatham 1720107045678 7/5/2024 04:15:45 AM CHAST
Pacific/Chatham 1705305909042 1/15/2024 09:50:09 PM CHADT
Pacific/Chatham 1709232300001 3/1/2024 08:30:00 AM CHADT
Pacific/Chatham 2230085228009 9/1/2040 04:52:08 PM CHAST
Pacific/Chatham -135028493993 9/21/1965 04:50:06 PM CHAST
Pacific/Chatham 1710061199999 3/10/2024 10:44:59 PM CHADT
Pacific/Chatham 1710061200000 3/10/2024 10:45:00 PM CHADT
Pacific/Chatham 1730620799999 11/3/2024 09:44:59 PM CHADT
Pacific/Chatham 1730620800000 11/3/2024 09:45:00 PM CHADT
Pacific/Chatham 253402300800000 1/1/+10000 01:45:00 PM CHADT
Pacific/Chatham -9223372036854775808 5/17/+292275056 05:00:52 AM CHAST
Pacific/Chatham 9223372036854775807 8/17/+292278994 07:57:55 PM CHAST
@ yyyy-MM-dd'T'HH:mm:ss.SSSXXX
UTC 0 1970-01-01T00:00:00.000Z
UTC -1 1969-12-31T23:59:59.999Z
UTC 946684799999 1999-12-31T23:59:59.999Z
UTC 1720107045678 2024-07-04T15:30:45.678Z
UTC 1705305909042 2024-01-15T08:05:09.042Z
UTC 1709232300001 2024-02-29T18:45:00.001Z
UTC 2230085228009 2040-09-01T04:07:08.009Z
UTC -135028493993 1965-09-21T04:05:06.007Z
UTC 1710061199999 2024-03-10T08:59:59.999Z
UTC 1710061200000 2024-03-10T09:00:00.000Z
UTC 1730620799999 2024-11-03T07:59:59.999Z
UTC 1730620800000 2024-11-03T08:00:00.000Z
UTC 253402300800000 +10000-01-01T00:00:00.000Z
UTC -9223372036854775808 +292275056-05-16T16:47:04.192Z
UTC 9223372036854775807 +292278994-08-17T07:12:55.807Z
America/Denver 0 1969-12-31T17:00:00.000-07:00
America/Denver -1 1969-12-31T16:59:59.999-07:00
America/Denver 946684799999 1999-12-31T16:59:59.999-07:00
America/Denver 1720107045678 2024-07-04T09:30:45.678-06:00
America/Denver 1705305909042 2024-01-15T01:05:09.042-07:00
America/Denver 1709232300001 2024-02-29T11:45:00.001-07:00
America/Denver 2230085228009 2040-08-31T22:07:08.009-06:00
America/Denver -135028493993 1965-09-20T22:05:06.007-06:00
America/Denver 1710061199999 2024-03-10T01:59:59.999-07:00
America/Denver 1710061200000 2024-03-10T03:00:00.000-06:00
America/Denver 1730620799999 2024-11-03T01:59:59.999-06:00
America/Denver 1730620800000 2024-11-03T01:00:00.000-07:00
America/Denver 253402300800000 9999-12-31T17:00:00.000-07:00
America/Denver -9223372036854775808 +292275056-05-16T09:47:08.192-06:59
America/Denver 9223372036854775807 +292278994-08-17T01:12:55.807-06:00
Europe/London 0 1970-01-01T01:00:00.000+01:00
Europe/London -1 1970-01-01T00:59:59.999+01:00
Europe/London 946684799999 1999-12-31T23:59:59.999Z
Europe/London 1720107045678 2024-07-04T16:30:45.678+01:00
Europe/London 1705305909042 2024-01-15T08:05:09.042Z
Europe/London 1709232300001 2024-02-29T18:45:00.001Z
Europe/London 2230085228009 2040-09-01T05:07:08.009+01:00
Europe/London -135028493993 1965-09-21T05:05:06.007+01:00
Europe/London 1710061199999 2024-03-10T08:59:59.999Z
Europe/London 1710061200000 2024-03-10T09:00:00.000Z
Europe/London 1730620799999 2024-11-03T07:59:59.999Z
Europe/London 1730620800000 2024-11-03T08:00:00.000Z
Europe/London 253402300800000 +10000-01-01T00:00:00.000Z
Europe/London -9223372036854775808 +292275056-05-16T16:45:49.192-00:01
Europe/London 9223372036854775807 +292278994-08-17T08:12:55.807+01:00
Europe/Berlin 0 1970-01-01T01:00:00.000+01:00
Europe/Berlin -1 1970-01-01T00:59:59.999+01:00
Europe/Berlin 946684799999 2000-01-01T00:59:59.999+01:00
Europe/Berlin 1720107045678 2024-07-04T17:30:45.678+02:00
Europe/Berlin 1705305909042 2024-01-15T09:05:09.042+01:00
Europe/Berlin 1709232300001 2024-02-29T19:45:00.001+01:00
Europe/Berlin 2230085228009 2040-09-01T06:07:08.009+02:00
Europe/Berlin -135028493993 1965-09-21T05:05:06.007+01:00
Europe/Berlin 1710061199999 2024-03-10T09:59:59.999+01:00
Europe/Berlin 1710061200000 2024-03-10T10:00:00.000+01:00
Europe/Berlin 1730620799999 2024-11-03T08:59:59.999+01:00
Europe/Berlin 1730620800000 2024-11-03T09:00:00.000+01:00
Europe/Berlin 253402300800000 +10000-01-01T01:00:00.000+01:00
Europe/Berlin -9223372036854775808 +292275056-05-16T17:40:32.192+00:53
Europe/Berlin 9223372036854775807 +292278994-08-17T09:12:55.807+02:00
Asia/Kolkata 0 1970-01-01T05:30:00.000+05:30
Asia/Kolkata -1 1970-01-01T05:29:59.999+05:30
Asia/Kolkata 946684799999 2000-01-01T05:29:59.999+05:30
Asia/Kolkata 1720107045678 2024-07-04T21:00:45.678+05:30
Asia/Kolkata 1705305909042 2024-01-15T13:35:09.042+05:30
Asia/Kolkata 1709232300001 2024-03-01T00:15:00.001+05:30
Asia/Kolkata 2230085228009 2040-09-01T09:37:08.009+05:30
Asia/Kolkata -135028493993 1965-09-21T09:35:06.007+05:30
Asia/Kolkata 1710061199999 2024-03-10T14:29:59.999+05:30
Asia/Kolkata 1710061200000 2024-03-10T14:30:00.000+05:30
Asia/Kolkata 1730620799999 2024-11-03T13:29:59.999+05:30
Asia/Kolkata 1730620800000 2024-11-03T13:30:00.000+05:30
Asia/Kolkata 253402300800000 +10000-01-01T05:30:00.000+05:30
Asia/Kolkata -9223372036854775808 +292275056-05-16T22:40:32.192+05:53
Asia/Kolkata 9223372036854775807 +292278994-08-17T12:42:55.807+05:30
Asia/Tokyo 0 1970-01-01T09:00:00.000+09:00
Asia/Tokyo -1 1970-01-01T08:59:59.999+09:00
Asia/Tokyo 946684799999 2000-01-01T08:59:59.999+09:00
Asia/Tokyo 1720107045678 2024-07-05T00:30:45.678+09:00
Asia/Tokyo 1705305909042 2024-01-15T17:05:09.042+09:00
Asia/Tokyo 1709232300001 2024-03-01T03:45:00.001+09:00
Asia/Tokyo 2230085228009 2040-09-01T13:07:08.009+09:00
Asia/Tokyo -135028493993 1965-09-21T13:05:06.007+09:00
Asia/Tokyo 1710061199999 2024-03-10T17:59:59.999+09:00
Asia/Tokyo 1710061200000 2024-03-10T18:00:00.000+09:00
Asia/Tokyo 1730620799999 2024-11-03T16:59:59.999+09:00
Asia/Tokyo 1730620800000 2024-11-03T17:00:00.000+09:00
Asia/Tokyo 253402300800000 +10000-01-01T09:00:00.000+09:00
Asia/Tokyo -9223372036854775808 +292275056-05-17T02:06:03.192+09:18
Asia/Tokyo 9223372036854775807 +292278994-08-17T16:12:55.807+09:00
Australia/Adelaide 0 1970-01-01T09:30:00.000+09:30
Australia/Adelaide -1 1970-01-01T09:29:59.999+09:30
Australia/Adelaide 946684799999 2000-01-01T10:29:59.999+10:30
Australia/Adelaide 1720107045678 2024-07-05T01:00:45.678+09:30
Australia/Adelaide 1705305909042 2024-01-15T18:35:09.042+10:30
Australia/Adelaide 1709232300001 2024-03-01T05:15:00.001+10:30
Australia/Adelaide 2230085228009 2040-09-01T13:37:08.009+09:30
Australia/Adelaide -135028493993 1965-09-21T13:35:06.007+09:30
Australia/Adelaide 1710061199999 2024-03-10T19:29:59.999+10:30
Australia/Adelaide 1710061200000 2024-03-10T19:30:00.000+10:30
Australia/Adelaide 1730620799999 2024-11-03T18:29:59.999+10:30
Australia/Adelaide 1730620800000 2024-11-03T18:30:00.000+10:30
Australia/Adelaide 253402300800000 +10000-01-01T10:30:00.000+10:30
Australia/Adelaide -9223372036854775808 +292275056-05-17T02:01:24.192+09:14
Australia/Adelaide 9223372036854775807 +292278994-08-17T16:42:55.807+09:30
America/St_Johns 0 1969-12-31T20:30:00.000-03:30
America/St_Johns -1 1969-12-31T20:29:59.999-03:30
America/St_Johns 946684799999 1999-12-31T20:29:59.999-03:30
America/St_Johns 1720107045678 2024-07-04T13:00:45.678-02:30
America/St_Johns 1705305909042 2024-01-15T04:35:09.042-03:30
America/St_Johns 1709232300001 2024-02-29T15:15:00.001-03:30
America/St_Johns 2230085228009 2040-09-01T01:37:08.009-02:30
America/St_Johns -135028493993 1965-09-21T01:35:06.007-02:30
America/St_Johns 1710061199999 2024-03-10T06:29:59.999-02:30
America/St_Johns 1710061200000 2024-03-10T06:30:00.000-02:30
America/St_Johns 1730620799999 2024-11-03T04:29:59.999-03:30
America/St_Johns 1730620800000 2024-11-03T04:30:00.000-03:30
America/St_Johns 253402300800000 9999-12-31T20:30:00.000-03:30
America/St_Johns -9223372036854775808 +292275056-05-16T13:16:12.192-03:30
America/St_Johns 9223372036854775807 +292278994-08-17T04:42:55.807-02:30
Asia/Dubai 0 1970-01-01T04:00:00.000+04:00
Asia/Dubai -1 1970-01-01T03:59:59.999+04:00
Asia/Dubai 946684799999 2000-01-01T03:59:59.999+04:00
Asia/Dubai 1720107045678 2024-07-04T19:30:45.678+04:00
Asia/Dubai 1705305909042 2024-01-15T12:05:09.042+04:00
Asia/Dubai 1709232300001 2024-02-29T22:45:00.001+04:00
Asia/Dubai 2230085228009 2040-09-01T08:07:08.009+04:00
Asia/Dubai -135028493993 1965-09-21T08:05:06.007+04:00
Asia/Dubai 1710061199999 2024-03-10T12:59:59.999+04:00
Asia/Dubai 1710061200000 2024-03-10T13:00:00.000+04:00
Asia/Dubai 1730620799999 2024-11-03T11:59:59.999+04:00
Asia/Dubai 1730620800000 2024-11-03T12:00:00.000+04:00
Asia/Dubai 253402300800000 +10000-01-01T04:00:00.000+04:00
Asia/Dubai -9223372036854775808 +292275056-05-16T20:28:16.192+03:41
Asia/Dubai 9223372036854775807 +292278994-08-17T11:12:55.807+04:00
Pacific/Chatham 0 1970-01-01T12:45:00.000+12:45
Pacific/Chatham -1 1970-01-01T12:44:59.999+12:45
Pacific/Chatham 946684799999 2000-01-01T13:44:59.999+13:45
Pacific/Chatham 1720107045678 2024-07-05T04:15:45.678+12:45
Pacific/Chatham 1705305909042 2024-01-15T21:50:09.042+13:45
Pacific/Chatham 1709232300001 2024-03-01T08:30:00.001+13:45
Pacific/Chatham 2230085228009 2040-09-01T16:52:08.009+12:45
Pacific/Chatham -135028493993 1965-09-21T16:50:06.007+12:45
Pacific/Chatham 1710061199999 2024-03-10T22:44:59.999+13:45
Pacific/Chatham 1710061200000 2024-03-10T22:45:00.000+13:45
Pacific/Chatham 1730620799999 2024-11-03T21:44:59.999+13:45
Pacific/Chatham 1730620800000 2024-11-03T21:45:00.000+13:45
Pacific/Chatham 253402300800000 +10000-01-01T13:45:00.000+13:45
Pacific/Chatham -9223372036854775808 +292275056-05-17T05:00:52.192+12:13
Pacific/Chatham 9223372036854775807 +292278994-08-17T19:57:55.807+12:45
@ yy/M/d H:m:s
UTC 0 70/1/1 0:0:0
UTC -1 69/12/31 23:59:59
UTC 946684799999 99/12/31 23:59:59
UTC 1720107045678 24/7/4 15:30:45
UTC 1705305909042 24/1/15 8:5:9
UTC 1709232300001 24/2/29 18:45:0
UTC 2230085228009 40/9/1 4:7:8
UTC -135028493993 65/9/21 4:5:6
UTC 1710061199999 24/3/10 8:59:59
UTC 1710061200000 24/3/10 9:0:0
UTC 1730620799999 24/11/3 7:59:59
UTC 1730620800000 24/11/3 8:0:0
UTC 253402300800000 00/1/1 0:0:0
UTC -9223372036854775808 56/5/16 16:47:4
UTC 9223372036854775807 94/8/17 7:12:55
America/Denver 0 69/12/31 17:0:0
America/Denver -1 69/12/31 16:59:59
America/Denver 946684799999 99/12/31 16:59:59
America/Denver 1720107045678 24/7/4 9:30:45
America/Denver 1705305909042 24/1/15 1:5:9
America/Denver 1709232300001 24/2/29 11:45:0
America/Denver 2230085228009 40/8/31 22:7:8
America/Denver -135028493993 65/9/20 22:5:6
America/Denver 1710061199999 24/3/10 1:59:59
America/Denver 1710061200000 24/3/10 3:0:0
America/Denver 1730620799999 24/11/3 1:59:59
America/Denver 1730620800000 24/11/3 1:0:0
America/Denver 253402300800000 99/12/31 17:0:0
America/Denver -9223372036854775808 56/5/16 9:47:8
America/Denver 9223372036854775807 94/8/17 1:12:55
Europe/London 0 70/1/1 1:0:0
Europe/London -1 70/1/1 0:59:59
Europe/London 946684799999 99/12/31 23:59:59
Europe/London 1720107045678 24/7/4 16:30:45
Europe/London 1705305909042 24/1/15 8:5:9
Europe/London 1709232300001 24/2/29 18:45:0
Europe/London 2230085228009 40/9/1 5:7:8
Europe/London -135028493993 65/9/21 5:5:6
Europe/London 1710061199999 24/3/10 8:59:59
Europe/London 1710061200000 24/3/10 9:0:0
Europe/London 1730620799999 24/11/3 7:59:59
Europe/London 1730620800000 24/11/3 8:0:0
Europe/London 253402300800000 00/1/1 0:0:0
Europe/London -9223372036854775808 56/5/16 16:45:49
Europe/London 9223372036854775807 94/8/17 8:12:55
Europe/Berlin 0 70/1/1 1:0:0
Europe/Berlin -1 70/1/1 0:59:59
Europe/Berlin 946684799999 00/1/1 0:59:59
Europe/Berlin 1720107045678 24/7/4 17:30:45
Europe/Berlin 1705305909042 24/1/15 9:5:9
Europe/Berlin 1709232300001 24/2/29 19:45:0
Europe/Berlin 2230085228009 40/9/1 6:7:8
Europe/Berlin -135028493993 65/9/21 5:5:6
Europe/Berlin 1710061199999 24/3/10 9:59:59
Europe/Berlin 1710061200000 24/3/10 10:0:0
Europe/Berlin 1730620799999 24/11/3 8:59:59
Europe/Berlin 1730620800000 24/11/3 9:0:0
Europe/Berlin 253402300800000 00/1/1 1:0:0
Europe/Berlin -9223372036854775808 56/5/16 17:40:32
Europe/Berlin 9223372036854775807 94/8/17 9:12:55
Asia/Kolkata 0 70/1/1 5:30:0
Asia/Kolkata -1 70/1/1 5:29:59
Asia/Kolkata 946684799999 00/1/1 5:29:59
Asia/Kolkata 1720107045678 24/7/4 21:0:45
Asia/Kolkata 1705305909042 24/1/15 13:35:9
Asia/Kolkata 1709232300001 24/3/1 0:15:0
Asia/Kolkata 2230085228009 40/9/1 9:37:8
Asia/Kolkata -135028493993 65/9/21 9:35:6
Asia/Kolkata 1710061199999 24/3/10 14:29:59
Asia/Kolkata 1710061200000 24/3/10 14:30:0
Asia/Kolkata 1730620799999 24/11/3 13:29:59
Asia/Kolkata 1730620800000 24/11/3 13:30:0
Asia/Kolkata 253402300800000 00/1/1 5:30:0
Asia/Kolkata -9223372036854775808 56/5/16 22:40:32
Asia/Kolkata 9223372036854775807 94/8/17 12:42:55
Asia/Tokyo 0 70/1/1 9:0:0
Asia/Tokyo -1 70/1/1 8:59:59
Asia/Tokyo 946684799999 00/1/1 8:59:59
Asia/Tokyo 1720107045678 24/7/5 0:30:45
Asia/Tokyo 1705305909042 24/1/15 17:5:9
Asia/Tokyo 1709232300001 24/3/1 3:45:0
Asia/Tokyo 2230085228009 40/9/1 13:7:8
Asia/Tokyo -135028493993 65/9/21 13:5:6
Asia/Tokyo 1710061199999 24/3/10 17:59:59
Asia/Tokyo 1710061200000 24/3/10 18:0:0
Asia/Tokyo 1730620799999 24/11/3 16:59:59
Asia/Tokyo 1730620800000 24/11/3 17:0:0
Asia/Tokyo 253402300800000 00/1/1 9:0:0
Asia/Tokyo -9223372036854775808 56/5/17 2:6:3
Asia/Tokyo 9223372036854775807 94/8/17 16:12:55
Australia/Adelaide 0 70/1/1 9:30:0
Australia/Adelaide -1 70/1/1 9:29:59
Australia/Adelaide 946684799999 00/1/1 10:29:59
Australia/Adelaide 1720107045678 24/7/5 1:0:45
Australia/Adelaide 1705305909042 24/1/15 18:35:9
Australia/Adelaide 1709232300001 24/3/1 5:15:0
Australia/Adelaide 2230085228009 40/9/1 13:37:8
Australia/Adelaide -135028493993 65/9/21 13:35:6
Australia/Adelaide 1710061199999 24/3/10 19:29:59
Australia/Adelaide 1710061200000 24/3/10 19:30:0
Australia/Adelaide 1730620799999 24/11/3 18:29:59
Australia/Adelaide 1730620800000 24/11/3 18:30:0
Australia/Adelaide 253402300800000 00/1/1 10:30:0
Australia/Adelaide -9223372036854775808 56/5/17 2:1:24
Australia/Adelaide 9223372036854775807 94/8/17 16:42:55
America/St_Johns 0 69/12/31 20:30:0
America/St_Johns -1 69/12/31 20:29:59
America/St_Johns 946684799999 99/12/31 20:29:59
America/St_Johns 1720107045678 24/7/4 13:0:45
America/St_Johns 1705305909042 24/1/15 4:35:9
America/St_Johns 1709232300001 24/2/29 15:15:0
America/St_Johns 2230085228009 40/9/1 1:37:8
America/St_Johns -135028493993 65/9/21 1:35:6
America/St_Johns 1710061199999 24/3/10 6:29:59
America/St_Johns 1710061200000 24/3/10 6:30:0
America/St_Johns 1730620799999 24/11/3 4:29:59
America/St_Johns 1730620800000 24/11/3 4:30:0
America/St_Johns 253402300800000 99/12/31 20:30:0
America/St_Johns -9223372036854775808 56/5/16 13:16:12
America/St_Johns 9223372036854775807 94/8/17 4:42:55
Asia/Dubai 0 70/1/1 4:0:0
Asia/Dubai -1 70/1/1 3:59:59
Asia/Dubai 946684799999 00/1/1 3:59:59
Asia/Dubai 1720107045678 24/7/4 19:30:45
Asia/Dubai 1705305909042 24/1/15 12:5:9
Asia/Dubai 1709232300001 24/2/29 22:45:0
Asia/Dubai 2230085228009 40/9/1 8:7:8
Asia/Dubai -135028493993 65/9/21 8:5:6
Asia/Dubai 1710061199999 24/3/10 12:59:59
Asia/Dubai 1710061200000 24/3/10 13:0:0
Asia/Dubai 1730620799999 24/11/3 11:59:59
Asia/Dubai 1730620800000 24/11/3 12:0:0
Asia/Dubai 253402300800000 00/1/1 4:0:0
Asia/Dubai -9223372036854775808 56/5/16 20:28:16
Asia/Dubai 9223372036854775807 94/8/17 11:12:55
Pacific/Chatham 0 70/1/1 12:45:0
Pacific/Chatham -1 70/1/1 12:44:59
Pacific/Chatham 946684799999 00/1/1 13:44:59
Pacific/Chatham 1720107045678 24/7/5 4:15:45
Pacific/Chatham 1705305909042 24/1/15 21:50:9
Pacific/Chatham 1709232300001 24/3/1 8:30:0
Pacific/Chatham 2230085228009 40/9/1 16:52:8
Pacific/Chatham -135028493993 65/9/21 16:50:6
Pacific/Chatham 1710061199999 24/3/10 22:44:59
Pacific/Chatham 1710061200000 24/3/10 22:45:0
Pacific/Chatham 1730620799999 24/11/3 21:44:59
Pacific/Chatham 1730620800000 24/11/3 21:45:0
Pacific/Chatham 253402300800000 00/1/1 13:45:0
Pacific/Chatham -9223372036854775808 56/5/17 5:0:52
Pacific/Chatham 9223372036854775807 94/8/17 19:57:55
@ EEE, d MMM yyyy HH:mm:ss Z
UTC 0 Thu, 1 Jan 1970 00:00:00 +0000
UTC -1 Wed, 31 Dec 1969 23:59:59 +0000
UTC 946684799999 Fri, 31 Dec 1999 23:59:59 +0000
UTC 1720107045678 Thu, 4 Jul 2024 15:30:45 +0000
UTC 1705305909042 Mon, 15 Jan 2024 08:05:09 +0000
UTC 1709232300001 Thu, 29 Feb 2024 18:45:00 +0000
UTC 2230085228009 Sat, 1 Sep 2040 04:07:08 +0000
UTC -135028493993 Tue, 21 Sep 1965 04:05:06 +0000
UTC 1710061199999 Sun, 10 Mar 2024 08:59:59 +0000
UTC 1710061200000 Sun, 10 Mar 2024 09:00:00 +0000
UTC 1730620799999 Sun, 3 Nov 2024 07:59:59 +0000
UTC 1730620800000 Sun, 3 Nov 2024 08:00:00 +0000
UTC 253402300800000 Sat, 1 Jan +10000 00:00:00 +0000
UTC -9223372036854775808 Sun, 16 May +292275056 16:47:04 +0000
UTC 9223372036854775807 Sun, 17 Aug +292278994 07:12:55 +0000
America/Denver 0 Wed, 31 Dec 1969 17:00:00 -0700
America/Denver -1 Wed, 31 Dec 1969 16:59:59 -0700
America/Denver 946684799999 Fri, 31 Dec 1999 16:59:59 -0700
America/Denver 1720107045678 Thu, 4 Jul 2024 09:30:45 -0600
America/Denver 1705305909042 Mon, 15 Jan 2024 01:05:09 -0700
America/Denver 1709232300001 Thu, 29 Feb 2024 11:45:00 -0700
America/Denver 2230085228009 Fri, 31 Aug 2040 22:07:08 -0600
America/Denver -135028493993 Mon, 20 Sep 1965 22:05:06 -0600
America/Denver 1710061199999 Sun, 10 Mar 2024 01:59:59 -0700
America/Denver 1710061200000 Sun, 10 Mar 2024 03:00:00 -0600
America/Denver 1730620799999 Sun, 3 Nov 2024 01:59:59 -0600
America/Denver 1730620800000 Sun, 3 Nov 2024 01:00:00 -0700
America/Denver 253402300800000 Fri, 31 Dec 9999 17:00:00 -0700
America/Denver -9223372036854775808 Sun, 16 May +292275056 09:47:08 -0659
America/Denver 9223372036854775807 Sun, 17 Aug +292278994 01:12:55 -0600
Europe/London 0 Thu, 1 Jan 1970 01:00:00 +0100
Europe/London -1 Thu, 1 Jan 1970 00:59:59 +0100
Europe/London 946684799999 Fri, 31 Dec 1999 23:59:59 +0000
Europe/London 1720107045678 Thu, 4 Jul 2024 16:30:45 +0100
Europe/London 1705305909042 Mon, 15 Jan 2024 08:05:09 +0000
Europe/London 1709232300001 Thu, 29 Feb 2024 18:45:00 +0000
Europe/London 2230085228009 Sat, 1 Sep 2040 05:07:08 +0100
Europe/London -135028493993 Tue, 21 Sep 1965 05:05:06 +0100
Europe/London 1710061199999 Sun, 10 Mar 2024 08:59:59 +0000
Europe/London 1710061200000 Sun, 10 Mar 2024 09:00:00 +0000
Europe/London 1730620799999 Sun, 3 Nov 2024 07:59:59 +0000
Europe/London 1730620800000 Sun, 3 Nov 2024 08:00:00 +0000
Europe/London 253402300800000 Sat, 1 Jan +10000 00:00:00 +0000
Europe/London -9223372036854775808 Sun, 16 May +292275056 16:45:49 -0001
Europe/London 9223372036854775807 Sun, 17 Aug +292278994 08:12:55 +0100
Europe/Berlin 0 Thu, 1 Jan 1970 01:00:00 +0100
Europe/Berlin -1 Thu, 1 Jan 1970 00:59:59 +0100
Europe/Berlin 946684799999 Sat, 1 Jan 2000 00:59:59 +0100
Europe/Berlin 1720107045678 Thu, 4 Jul 2024 17:30:45 +0200
Europe/Berlin 1705305909042 Mon, 15 Jan 2024 09:05:09 +0100
Europe/Berlin 1709232300001 Thu, 29 Feb 2024 19:45:00 +0100
Europe/Berlin 2230085228009 Sat, 1 Sep 2040 06:07:08 +0200
Europe/Berlin -135028493993 Tue, 21 Sep 1965 05:05:06 +0100
Europe/Berlin 1710061199999 Sun, 10 Mar 2024 09:59:59 +0100
Europe/Berlin 1710061200000 Sun, 10 Mar 2024 10:00:00 +0100
Europe/Berlin 1730620799999 Sun, 3 Nov 2024 08:59:59 +0100
Europe/Berlin 1730620800000 Sun, 3 Nov 2024 09:00:00 +0100
Europe/Berlin 253402300800000 Sat, 1 Jan +10000 01:00:00 +0100
Europe/Berlin -9223372036854775808 Sun, 16 May +292275056 17:40:32 +0053
Europe/Berlin 9223372036854775807 Sun, 17 Aug +292278994 09:12:55 +0200
Asia/Kolkata 0 Thu, 1 Jan 1970 05:30:00 +0530
Asia/Kolkata -1 Thu, 1 Jan 1970 05:29:59 +0530
Asia/Kolkata 946684799999 Sat, 1 Jan 2000 05:29:59 +0530
Asia/Kolkata 1720107045678 Thu, 4 Jul 2024 21:00:45 +0530
Asia/Kolkata 1705305909042 Mon, 15 Jan 2024 13:35:09 +0530
Asia/Kolkata 1709232300001 Fri, 1 Mar 2024 00:15:00 +0530
Asia/Kolkata 2230085228009 Sat, 1 Sep 2040 09:37:08 +0530
Asia/Kolkata -135028493993 Tue, 21 Sep 1965 09:35:06 +0530
Asia/Kolkata 1710061199999 Sun, 10 Mar 2024 14:29:59 +0530
Asia/Kolkata 1710061200000 Sun, 10 Mar 2024 14:30:00 +0530
Asia/Kolkata 1730620799999 Sun, 3 Nov 2024 13:29:59 +0530
Asia/Kolkata 1730620800000 Sun, 3 Nov 2024 13:30:00 +0530
Asia/Kolkata 253402300800000 Sat, 1 Jan +10000 05:30:00 +0530
Asia/Kolkata -9223372036854775808 Sun, 16 May +292275056 22:40:32 +0553
Asia/Kolkata 9223372036854775807 Sun, 17 Aug +292278994 12:42:55 +0530
Asia/Tokyo 0 Thu, 1 Jan 1970 09:00:00 +0900
Asia/Tokyo -1 Thu, 1 Jan 1970 08:59:59 +0900
Asia/Tokyo 946684799999 Sat, 1 Jan 2000 08:59:59 +0900
Asia/Tokyo 1720107045678 Fri, 5 Jul 2024 00:30:45 +0900
Asia/Tokyo 1705305909042 Mon, 15 Jan 2024 17:05:09 +0900
Asia/Tokyo 1709232300001 Fri, 1 Mar 2024 03:45:00 +0900
Asia/Tokyo 2230085228009 Sat, 1 Sep 2040 13:07:08 +0900
Asia/Tokyo -135028493993 Tue, 21 Sep 1965 13:05:06 +0900
Asia/Tokyo 1710061199999 Sun, 10 Mar 2024 17:59:59 +0900
Asia/Tokyo 1710061200000 Sun, 10 Mar 2024 18:00:00 +0900
Asia/Tokyo 1730620799999 Sun, 3 Nov 2024 16:59:59 +0900
Asia/Tokyo 1730620800000 Sun, 3 Nov 2024 17:00:00 +0900
Asia/Tokyo 253402300800000 Sat, 1 Jan +10000 09:00:00 +0900
Asia/Tokyo -9223372036854775808 Mon, 17 May +292275056 02:06:03 +0918
Asia/Tokyo 9223372036854775807 Sun, 17 Aug +292278994 16:12:55 +0900
Australia/Adelaide 0 Thu, 1 Jan 1970 09:30:00 +0930
Australia/Adelaide -1 Thu, 1 Jan 1970 09:29:59 +0930
Australia/Adelaide 946684799999 Sat, 1 Jan 2000 10:29:59 +1030
Australia/Adelaide 1720107045678 Fri, 5 Jul 2024 01:00:45 +0930
Australia/Adelaide 1705305909042 Mon, 15 Jan 2024 18:35:09 +1030
Australia/Adelaide 1709232300001 Fri, 1 Mar 2024 05:15:00 +1030
Australia/Adelaide 2230085228009 Sat, 1 Sep 2040 13:37:08 +0930
Australia/Adelaide -135028493993 Tue, 21 Sep 1965 13:35:06 +0930
Australia/Adelaide 1710061199999 Sun, 10 Mar 2024 19:29:59 +1030
Australia/Adelaide 1710061200000 Sun, 10 Mar 2024 19:30:00 +1030
Australia/Adelaide 1730620799999 Sun, 3 Nov 2024 18:29:59 +1030
Australia/Adelaide 1730620800000 Sun, 3 Nov 2024 18:30:00 +1030
Australia/Adelaide 253402300800000 Sat, 1 Jan +10000 10:30:00 +1030
Australia/Adelaide -9223372036854775808 Mon, 17 May +292275056 02:01:24 +0914
Australia/Adelaide 9223372036854775807 Sun, 17 Aug +292278994 16:42:55 +0930
America/St_Johns 0 Wed, 31 Dec 1969 20:30:00 -0330
America/St_Johns -1 Wed, 31 Dec 1969 20:29:59 -0330
America/St_Johns 946684799999 Fri, 31 Dec 1999 20:29:59 -0330
America/St_Johns 1720107045678 Thu, 4 Jul 2024 13:00:45 -0230
America/St_Johns 1705305909042 Mon, 15 Jan 2024 04:35:09 -0330
America/St_Johns 1709232300001 Thu, 29 Feb 2024 15:15:00 -0330
America/St_Johns 2230085228009 Sat, 1 Sep 2040 01:37:08 -0230
America/St_Johns -135028493993 Tue, 21 Sep 1965 01:35:06 -0230
America/St_Johns 1710061199999 Sun, 10 Mar 2024 06:29:59 -0230
America/St_Johns 1710061200000 Sun, 10 Mar 2024 06:30:00 -0230
America/St_Johns 1730620799999 Sun, 3 Nov 2024 04:29:59 -0330
America/St_Johns 1730620800000 Sun, 3 Nov 2024 04:30:00 -0330
America/St_Johns 253402300800000 Fri, 31 Dec 9999 20:30:00 -0330
America/St_Johns -9223372036854775808 Sun, 16 May +292275056 13:16:12 -0330
America/St_Johns 9223372036854775807 Sun, 17 Aug +292278994 04:42:55 -0230
Asia/Dubai 0 Thu, 1 Jan 1970 04:00:00 +0400
Asia/Dubai -1 Thu, 1 Jan 1970 03:59:59 +0400
Asia/Dubai 946684799999 Sat, 1 Jan 2000 03:59:59 +0400
Asia/Dubai 1720107045678 Thu, 4 Jul 2024 19:30:45 +0400
Asia/Dubai 1705305909042 Mon, 15 Jan 2024 12:05:09 +0400
Asia/Dubai 1709232300001 Thu, 29 Feb 2024 22:45:00 +0400
Asia/Dubai 2230085228009 Sat, 1 Sep 2040 08:07:08 +0400
Asia/Dubai -135028493993 Tue, 21 Sep 1965 08:05:06 +0400
Asia/Dubai 1710061199999 Sun, 10 Mar 2024 12:59:59 +0400
Asia/Dubai 1710061200000 Sun, 10 Mar 2024 13:00:00 +0400
Asia/Dubai 1730620799999 Sun, 3 Nov 2024 11:59:59 +0400
Asia/Dubai 1730620800000 Sun, 3 Nov 2024 12:00:00 +0400
Asia/Dubai 253402300800000 Sat, 1 Jan +10000 04:00:00 +0400
Asia/Dubai -9223372036854775808 Sun, 16 May +292275056 20:28:16 +0341
Asia/Dubai 9223372036854775807 Sun, 17 Aug +292278994 11:12:55 +0400
Pacific/Chatham 0 Thu, 1 Jan 1970 12:45:00 +1245
Pacific/Chatham -1 Thu, 1 Jan 1970 12:44:59 +1245
Pacific/Chatham 946684799999 Sat, 1 Jan 2000 13:44:59 +1345
Pacific/Chatham 1720107045678 Fri, 5 Jul 2024 04:15:45 +1245
Pacific/Chatham 1705305909042 Mon, 15 Jan 2024 21:50:09 +1345
Pacific/Chatham 1709232300001 Fri, 1 Mar 2024 08:30:00 +1345
Pacific/Chatham 2230085228009 Sat, 1 Sep 2040 16:52:08 +1245
Pacific/Chatham -135028493993 Tue, 21 Sep 1965 16:50:06 +1245
Pacific/Chatham 1710061199999 Sun, 10 Mar 2024 22:44:59 +1345
Pacific/Chatham 1710061200000 Sun, 10 Mar 2024 22:45:00 +1345
Pacific/Chatham 1730620799999 Sun, 3 Nov 2024 21:44:59 +1345
Pacific/Chatham 1730620800000 Sun, 3 Nov 2024 21:45:00 +1345
Pacific/Chatham 253402300800000 Sat, 1 Jan +10000 13:45:00 +1345
Pacific/Chatham -9223372036854775808 Mon, 17 May +292275056 05:00:52 +1213
Pacific/Chatham 9223372036854775807 Sun, 17 Aug +292278994 19:57:55 +1245
@ EEEE MMMM dd yyyy hh 'o''clock' a
UTC 0 Thursday January 01 1970 12 o'clock AM
UTC -1 Wednesday December 31 1969 11 o'clock PM
UTC 946684799999 Friday December 31 1999 11 o'clock PM
UTC 1720107045678 Thursday July 04 2024 03 o'clock PM
UTC 1705305909042 Monday January 15 2024 08 o'clock AM
UTC 1709232300001 Thursday February 29 2024 06 o'clock PM
UTC 2230085228009 Saturday September 01 2040 04 o'clock AM
UTC -135028493993 Tuesday September 21 1965 04 o'clock AM
UTC 1710061199999 Sunday March 10 2024 08 o'clock AM
UTC 1710061200000 Sunday March 10 2024 09 o'clock AM
UTC 1730620799999 Sunday November 03 2024 07 o'clock AM
UTC 1730620800000 Sunday November 03 2024 08 o'clock AM
UTC 253402300800000 Saturday January 01 +10000 12 o'clock AM
UTC -9223372036854775808 Sunday May 16 +292275056 04 o'clock PM
UTC 9223372036854775807 Sunday August 17 +292278994 07 o'clock AM
America/Denver 0 Wednesday December 31 1969 05 o'clock PM
America/Denver -1 Wednesday December 31 1969 04 o'clock PM
America/Denver 946684799999 Friday December 31 1999 04 o'clock PM
America/Denver 1720107045678 Thursday July 04 2024 09 o'clock AM
America/Denver 1705305909042 Monday January 15 2024 01 o'clock AM
America/Denver 1709232300001 Thursday February 29 2024 11 o'clock AM
America/Denver 2230085228009 Friday August 31 2040 10 o'clock PM
America/Denver -135028493993 Monday September 20 1965 10 o'clock PM
America/Denver 1710061199999 Sunday March 10 2024 01 o'clock AM
America/Denver 1710061200000 Sunday March 10 2024 03 o'clock AM
America/Denver 1730620799999 Sunday November 03 2024 01 o'clock AM
America/Denver 1730620800000 Sunday November 03 2024 01 o'clock AM
America/Denver 253402300800000 Friday December 31 9999 05 o'clock PM
America/Denver -9223372036854775808 Sunday May 16 +292275056 09 o'clock AM
America/Denver 9223372036854775807 Sunday August 17 +292278994 01 o'clock AM
Europe/London 0 Thursday January 01 1970 01 o'clock AM
Europe/London -1 Thursday January 01 1970 12 o'clock AM
Europe/London 946684799999 Friday December 31 1999 11 o'clock PM
Europe/London 1720107045678 Thursday July 04 2024 04 o'clock PM
Europe/London 1705305909042 Monday January 15 2024 08 o'clock AM
Europe/London 1709232300001 Thursday February 29 2024 06 o'clock PM
Europe/London 2230085228009 Saturday September 01 2040 05 o'clock AM
Europe/London -135028493993 Tuesday September 21 1965 05 o'clock AM
Europe/London 1710061199999 Sunday March 10 2024 08 o'clock AM
Europe/London 1710061200000 Sunday March 10 2024 09 o'clock AM
Europe/London 1730620799999 Sunday November 03 2024 07 o'clock AM
Europe/London 1730620800000 Sunday November 03 2024 08 o'clock AM
Europe/London 253402300800000 Saturday January 01 +10000 12 o'clock AM
Europe/London -9223372036854775808 Sunday May 16 +292275056 04 o'clock PM
Europe/London 9223372036854775807 Sunday August 17 +292278994 08 o'clock AM
Europe/Berlin 0 Thursday January 01 1970 01 o'clock AM
Europe/Berlin -1 Thursday January 01 1970 12 o'clock AM
Europe/Berlin 946684799999 Saturday January 01 2000 12 o'clock AM
Europe/Berlin 1720107045678 Thursday July 04 2024 05 o'clock PM
Europe/Berlin 1705305909042 Monday January 15 2024 09 o'clock AM
Europe/Berlin 1709232300001 Thursday February 29 2024 07 o'clock PM
Europe/Berlin 2230085228009 Saturday September 01 2040 06 o'clock AM
Europe/Berlin -135028493993 Tuesday September 21 1965 05 o'clock AM
Europe/Berlin 1710061199999 Sunday March 10 2024 09 o'clock AM
Europe/Berlin 1710061200000 Sunday March 10 2024 10 o'clock AM
Europe/Berlin 1730620799999 Sunday November 03 2024 08 o'clock AM
Europe/Berlin 1730620800000 Sunday November 03 2024 09 o'clock AM
Europe/Berlin 253402300800000 Saturday January 01 +10000 01 o'clock AM
Europe/Berlin -9223372036854775808 Sunday May 16 +292275056 05 o'clock PM
Europe/Berlin 9223372036854775807 Sunday August 17 +292278994 09 o'clock AM
Asia/Kolkata 0 Thursday January 01 1970 05 o'clock AM
Asia/Kolkata -1 Thursday January 01 1970 05 o'clock AM
Asia/Kolkata 946684799999 Saturday January 01 2000 05 o'clock AM
Asia/Kolkata 1720107045678 Thursday July 04 2024 09 o'clock PM
Asia/Kolkata 1705305909042 Monday January 15 2024 01 o'clock PM
Asia/Kolkata 1709232300001 Friday March 01 2024 12 o'clock AM
Asia/Kolkata 2230085228009 Saturday September 01 2040 09 o'clock AM
Asia/Kolkata -135028493993 Tuesday September 21 1965 09 o'clock AM
Asia/Kolkata 1710061199999 Sunday March 10 2024 02 o'clock PM
Asia/Kolkata 1710061200000 Sunday March 10 2024 02 o'clock PM
Asia/Kolkata 1730620799999 Sunday November 03 2024 01 o'clock PM
Asia/Kolkata 1730620800000 Sunday November 03 2024 01 o'clock PM
Asia/Kolkata 253402300800000 Saturday January 01 +10000 05 o'clock AM
Asia/Kolkata -9223372036854775808 Sunday May 16 +292275056 10 o'clock PM
Asia/Kolkata 9223372036854775807 Sunday August 17 +292278994 12 o'clock PM
Asia/Tokyo 0 Thursday January 01 1970 09 o'clock AM
Asia/Tokyo -1 Thursday January 01 1970 08 o'clock AM
Asia/Tokyo 946684799999 Saturday January 01 2000 08 o'clock AM
Asia/Tokyo 1720107045678 Friday July 05 2024 12 o'clock AM
Asia/Tokyo 1705305909042 Monday January 15 2024 05 o'clock PM
Asia/Tokyo 1709232300001 Friday March 01 2024 03 o'clock AM
Asia/Tokyo 2230085228009 Saturday September 01 2040 01 o'clock PM
Asia/Tokyo -135028493993 Tuesday September 21 1965 01 o'clock PM
Asia/Tokyo 1710061199999 Sunday March 10 2024 05 o'clock PM
Asia/Tokyo 1710061200000 Sunday March 10 2024 06 o'clock PM
Asia/Tokyo 1730620799999 Sunday November 03 2024 04 o'clock PM
Asia/Tokyo 1730620800000 Sunday November 03 2024 05 o'clock PM
Asia/Tokyo 253402300800000 Saturday January 01 +10000 09 o'clock AM
Asia/Tokyo -9223372036854775808 Monday May 17 +292275056 02 o'clock AM
Asia/Tokyo 9223372036854775807 Sunday August 17 +292278994 04 o'clock PM
Australia/Adelaide 0 Thursday January 01 1970 09 o'clock AM
Australia/Adelaide -1 Thursday January 01 1970 09 o'clock AM
Australia/Adelaide 946684799999 Saturday January 01 2000 10 o'clock AM
Australia/Adelaide 1720107045678 Friday July 05 2024 01 o'clock AM
Australia/Adelaide 1705305909042 Monday January 15 2024 06 o'clock PM
Australia/Adelaide 1709232300001 Friday March 01 2024 05 o'clock AM
Australia/Adelaide 2230085228009 Saturday September 01 2040 01 o'clock PM
Australia/Adelaide -135028493993 Tuesday September 21 1965 01 o'clock PM
Australia/Adelaide 1710061199999 Sunday March 10 2024 07 o'clock PM
Australia/Adelaide 1710061200000 Sunday March 10 2024 07 o'clock PM
Australia/Adelaide 1730620799999 Sunday November 03 2024 06 o'clock PM
Australia/Adelaide 1730620800000 Sunday November 03 2024 06 o'clock PM
Australia/Adelaide 253402300800000 Saturday January 01 +10000 10 o'clock AM
Australia/Adelaide -9223372036854775808 Monday May 17 +292275056 02 o'clock AM
Australia/Adelaide 9223372036854775807 Sunday August 17 +292278994 04 o'clock PM
America/St_Johns 0 Wednesday December 31 1969 08 o'clock PM
America/St_Johns -1 Wednesday December 31 1969 08 o'clock PM
America/St_Johns 946684799999 Friday December 31 1999 08 o'clock PM
America/St_Johns 1720107045678 Thursday July 04 2024 01 o'clock PM
America/St_Johns 1705305909042 Monday January 15 2024 04 o'clock AM
America/St_Johns 1709232300001 Thursday February 29 2024 03 o'clock PM
America/St_Johns 2230085228009 Saturday September 01 2040 01 o'clock AM
America/St_Johns -135028493993 Tuesday September 21 1965 01 o'clock AM
America/St_Johns 1710061199999 Sunday March 10 2024 06 o'clock AM
America/St_Johns 1710061200000 Sunday March 10 2024 06 o'clock AM
America/St_Johns 1730620799999 Sunday November 03 2024 04 o'clock AM
America/St_Johns 1730620800000 Sunday November 03 2024 04 o'clock AM
America/St_Johns 253402300800000 Friday December 31 9999 08 o'clock PM
America/St_Johns -9223372036854775808 Sunday May 16 +292275056 01 o'clock PM
America/St_Johns 9223372036854775807 Sunday August 17 +292278994 04 o'clock AM
Asia/Dubai 0 Thursday January 01 1970 04 o'clock AM
Asia/Dubai -1 Thursday January 01 1970 03 o'clock AM
Asia/Dubai 946684799999 Saturday January 01 2000 03 o'clock AM
Asia/Dubai 1720107045678 Thursday July 04 2024 07 o'clock PM
Asia/Dubai 1705305909042 Monday January 15 2024 12 o'clock PM
Asia/Dubai 1709232300001 Thursday February 29 2024 10 o'clock PM
Asia/Dubai 2230085228009 Saturday September 01 2040 08 o'clock AM
Asia/Dubai -135028493993 Tuesday September 21 1965 08 o'clock AM
Asia/Dubai 1710061199999 Sunday March 10 2024 12 o'clock PM
Asia/Dubai 1710061200000 Sunday March 10 2024 01 o'clock PM
Asia/Dubai 1730620799999 Sunday November 03 2024 11 o'clock AM
Asia/Dubai 1730620800000 Sunday November 03 2024 12 o'clock PM
Asia/Dubai 253402300800000 Saturday January 01 +10000 04 o'clock AM
Asia/Dubai -9223372036854775808 Sunday May 16 +292275056 08 o'clock PM
Asia/Dubai 9223372036854775807 Sunday August 17 +292278994 11 o'clock AM
Pacific/Chatham 0 Thursday January 01 1970 12 o'clock PM
Pacific/Chatham -1 Thursday January 01 1970 12 o'clock PM
Pacific/Chatham 946684799999 Saturday January 01 2000 01 o'clock PM
Pacific/Chatham 1720107045678 Friday July 05 2024 04 o'clock AM
Pacific/Chatham 1705305909042 Monday January 15 2024 09 o'clock PM
Pacific/Chatham 1709232300001 Friday March 01 2024 08 o'clock AM
Pacific/Chatham 2230085228009 Saturday September 01 2040 04 o'clock PM
Pacific/Chatham -135028493993 Tuesday September 21 1965 04 o'clock PM
Pacific/Chatham 1710061199999 Sunday March 10 2024 10 o'clock PM
Pacific/Chatham 1710061200000 Sunday March 10 2024 10 o'clock PM
Pacific/Chatham 1730620799999 Sunday November 03 2024 09 o'clock PM
Pacific/Chatham 1730620800000 Sunday November 03 2024 09 o'clock PM
Pacific/Chatham 253402300800000 Saturday January 01 +10000 01 o'clock PM
Pacific/Chatham -9223372036854775808 Monday May 17 +292275056 05 o'clock AM
Pacific/Chatham 9223372036854775807 Sunday August 17 +292278994 07 o'clock PM
@ dd.MM.yyyy HH:mm:ss.SSSSSS
UTC 0 01.01.1970 00:00:00.000000
UTC -1 31.12.1969 23:59:59.999000
UTC 946684799999 31.12.1999 23:59:59.999000
UTC 1720107045678 04.07.2024 15:30:45.678000
UTC 1705305909042 15.01.2024 08:05:09.042000
UTC 1709232300001 29.02.2024 18:45:00.001000
UTC 2230085228009 01.09.2040 04:07:08.009000
UTC -135028493993 21.09.1965 04:05:06.007000
UTC 1710061199999 10.03.2024 08:59:59.999000
UTC 1710061200000 10.03.2024 09:00:00.000000
UTC 1730620799999 03.11.2024 07:59:59.999000
UTC 1730620800000 03.11.2024 08:00:00.000000
UTC 253402300800000 01.01.+10000 00:00:00.000000
UTC -9223372036854775808 16.05.+292275056 16:47:04.192000
UTC 9223372036854775807 17.08.+292278994 07:12:55.807000
America/Denver 0 31.12.1969 17:00:00.000000
America/Denver -1 31.12.1969 16:59:59.999000
America/Denver 946684799999 31.12.1999 16:59:59.999000
America/Denver 1720107045678 04.07.2024 09:30:45.678000
America/Denver 1705305909042 15.01.2024 01:05:09.042000
America/Denver 1709232300001 29.02.2024 11:45:00.001000
America/Denver 2230085228009 31.08.2040 22:07:08.009000
America/Denver -135028493993 20.09.1965 22:05:06.007000
America/Denver 1710061199999 10.03.2024 01:59:59.999000
America/Denver 1710061200000 10.03.2024 03:00:00.000000
America/Denver 1730620799999 03.11.2024 01:59:59.999000
America/Denver 1730620800000 03.11.2024 01:00:00.000000
America/Denver 253402300800000 31.12.9999 17:00:00.000000
America/Denver -9223372036854775808 16.05.+292275056 09:47:08.192000
America/Denver 9223372036854775807 17.08.+292278994 01:12:55.807000
Europe/London 0 01.01.1970 01:00:00.000000
Europe/London -1 01.01.1970 00:59:59.999000
Europe/London 946684799999 31.12.1999 23:59:59.999000
Europe/London 1720107045678 04.07.2024 16:30:45.678000
Europe/London 1705305909042 15.01.2024 08:05:09.042000
Europe/London 1709232300001 29.02.2024 18:45:00.001000
Europe/London 2230085228009 01.09.2040 05:07:08.009000
Europe/London -135028493993 21.09.1965 05:05:06.007000
Europe/London 1710061199999 10.03.2024 08:59:59.999000
Europe/London 1710061200000 10.03.2024 09:00:00.000000
Europe/London 1730620799999 03.11.2024 07:59:59.999000
Europe/London 1730620800000 03.11.2024 08:00:00.000000
Europe/London 253402300800000 01.01.+10000 00:00:00.000000
Europe/London -9223372036854775808 16.05.+292275056 16:45:49.192000
Europe/London 9223372036854775807 17.08.+292278994 08:12:55.807000
Europe/Berlin 0 01.01.1970 01:00:00.000000
Europe/Berlin -1 01.01.1970 00:59:59.999000
Europe/Berlin 946684799999 01.01.2000 00:59:59.999000
Europe/Berlin 1720107045678 04.07.2024 17:30:45.678000
Europe/Berlin 1705305909042 15.01.2024 09:05:09.042000
Europe/Berlin 1709232300001 29.02.2024 19:45:00.001000
Europe/Berlin 2230085228009 01.09.2040 06:07:08.009000
Europe/Berlin -135028493993 21.09.1965 05:05:06.007000
Europe/Berlin 1710061199999 10.03.2024 09:59:59.999000
Europe/Berlin 1710061200000 10.03.2024 10:00:00.000000
Europe/Berlin 1730620799999 03.11.2024 08:59:59.999000
Europe/Berlin 1730620800000 03.11.2024 09:00:00.000000
Europe/Berlin 253402300800000 01.01.+10000 01:00:00.000000
Europe/Berlin -9223372036854775808 16.05.+292275056 17:40:32.192000
Europe/Berlin 9223372036854775807 17.08.+292278994 09:12:55.807000
Asia/Kolkata 0 01.01.1970 05:30:00.000000
Asia/Kolkata -1 01.01.1970 05:29:59.999000
Asia/Kolkata 946684799999 01.01.2000 05:29:59.999000
Asia/Kolkata 1720107045678 04.07.2024 21:00:45.678000
Asia/Kolkata 1705305909042 15.01.2024 13:35:09.042000
Asia/Kolkata 1709232300001 01.03.2024 00:15:00.001000
Asia/Kolkata 2230085228009 01.09.2040 09:37:08.009000
Asia/Kolkata -135028493993 21.09.1965 09:35:06.007000
Asia/Kolkata 1710061199999 10.03.2024 14:29:59.999000
Asia/Kolkata 1710061200000 10.03.2024 14:30:00.000000
Asia/Kolkata 1730620799999 03.11.2024 13:29:59.999000
Asia/Kolkata 1730620800000 03.11.2024 13:30:00.000000
Asia/Kolkata 253402300800000 01.01.+10000 05:30:00.000000
Asia/Kolkata -9223372036854775808 16.05.+292275056 22:40:32.192000
Asia/Kolkata 9223372036854775807 17.08.+292278994 12:42:55.807000
Asia/Tokyo 0 01.01.1970 09:00:00.000000
Asia/Tokyo -1 01.01.1970 08:59:59.999000
Asia/Tokyo 946684799999 01.01.2000 08:59:59.999000
Asia/Tokyo 1720107045678 05.07.2024 00:30:45.678000
Asia/Tokyo 1705305909042 15.01.2024 17:05:09.042000
Asia/Tokyo 1709232300001 01.03.2024 03:45:00.001000
Asia/Tokyo 2230085228009 01.09.2040 13:07:08.009000
Asia/Tokyo -135028493993 21.09.1965 13:05:06.007000
Asia/Tokyo 1710061199999 10.03.2024 17:59:59.999000
Asia/Tokyo 1710061200000 10.03.2024 18:00:00.000000
Asia/Tokyo 1730620799999 03.11.2024 16:59:59.999000
Asia/Tokyo 1730620800000 03.11.2024 17:00:00.000000
Asia/Tokyo 253402300800000 01.01.+10000 09:00:00.000000
Asia/Tokyo -9223372036854775808 17.05.+292275056 02:06:03.192000
Asia/Tokyo 9223372036854775807 17.08.+292278994 16:12:55.807000
Australia/Adelaide 0 01.01.1970 09:30:00.000000
Australia/Adelaide -1 01.01.1970 09:29:59.999000
Australia/Adelaide 946684799999 01.01.2000 10:29:59.999000
Australia/Adelaide 1720107045678 05.07.2024 01:00:45.678000
Australia/Adelaide 1705305909042 15.01.2024 18:35:09.042000
Australia/Adelaide 1709232300001 01.03.2024 05:15:00.001000
Australia/Adelaide 2230085228009 01.09.2040 13:37:08.009000
Australia/Adelaide -135028493993 21.09.1965 13:35:06.007000
Australia/Adelaide 1710061199999 10.03.2024 19:29:59.999000
Australia/Adelaide 1710061200000 10.03.2024 19:30:00.000000
Australia/Adelaide 1730620799999 03.11.2024 18:29:59.999000
Australia/Adelaide 1730620800000 03.11.2024 18:30:00.000000
Australia/Adelaide 253402300800000 01.01.+10000 10:30:00.000000
Australia/Adelaide -9223372036854775808 17.05.+292275056 02:01:24.192000
Australia/Adelaide 9223372036854775807 17.08.+292278994 16:42:55.807000
America/St_Johns 0 31.12.1969 20:30:00.000000
America/St_Johns -1 31.12.1969 20:29:59.999000
America/St_Johns 946684799999 31.12.1999 20:29:59.999000
America/St_Johns 1720107045678 04.07.2024 13:00:45.678000
America/St_Johns 1705305909042 15.01.2024 04:35:09.042000
America/St_Johns 1709232300001 29.02.2024 15:15:00.001000
America/St_Johns 2230085228009 01.09.2040 01:37:08.009000
America/St_Johns -135028493993 21.09.1965 01:35:06.007000
America/St_Johns 1710061199999 10.03.2024 06:29:59.999000
America/St_Johns 1710061200000 10.03.2024 06:30:00.000000
America/St_Johns 1730620799999 03.11.2024 04:29:59.999000
America/St_Johns 1730620800000 03.11.2024 04:30:00.000000
America/St_Johns 253402300800000 31.12.9999 20:30:00.000000
America/St_Johns -9223372036854775808 16.05.+292275056 13:16:12.192000
America/St_Johns 9223372036854775807 17.08.+292278994 04:42:55.807000
Asia/Dubai 0 01.01.1970 04:00:00.000000
Asia/Dubai -1 01.01.1970 03:59:59.999000
Asia/Dubai 946684799999 01.01.2000 03:59:59.999000
Asia/Dubai 1720107045678 04.07.2024 19:30:45.678000
Asia/Dubai 1705305909042 15.01.2024 12:05:09.042000
Asia/Dubai 1709232300001 29.02.2024 22:45:00.001000
Asia/Dubai 2230085228009 01.09.2040 08:07:08.009000
Asia/Dubai -135028493993 21.09.1965 08:05:06.007000
Asia/Dubai 1710061199999 10.03.2024 12:59:59.999000
Asia/Dubai 1710061200000 10.03.2024 13:00:00.000000
Asia/Dubai 1730620799999 03.11.2024 11:59:59.999000
Asia/Dubai 1730620800000 03.11.2024 12:00:00.000000
Asia/Dubai 253402300800000 01.01.+10000 04:00:00.000000
Asia/Dubai -9223372036854775808 16.05.+292275056 20:28:16.192000
Asia/Dubai 9223372036854775807 17.08.+292278994 11:12:55.807000
Pacific/Chatham 0 01.01.1970 12:45:00.000000
Pacific/Chatham -1 01.01.1970 12:44:59.999000
Pacific/Chatham 946684799999 01.01.2000 13:44:59.999000
Pacific/Chatham 1720107045678 05.07.2024 04:15:45.678000
Pacific/Chatham 1705305909042 15.01.2024 21:50:09.042000
Pacific/Chatham 1709232300001 01.03.2024 08:30:00.001000
Pacific/Chatham 2230085228009 01.09.2040 16:52:08.009000
Pacific/Chatham -135028493993 21.09.1965 16:50:06.007000
Pacific/Chatham 1710061199999 10.03.2024 22:44:59.999000
Pacific/Chatham 1710061200000 10.03.2024 22:45:00.000000
Pacific/Chatham 1730620799999 03.11.2024 21:44:59.999000
Pacific/Chatham 1730620800000 03.11.2024 21:45:00.000000
Pacific/Chatham 253402300800000 01.01.+10000 13:45:00.000000
Pacific/Chatham -9223372036854775808 17.05.+292275056 05:00:52.192000
Pacific/Chatham 9223372036854775807 17.08.+292278994 19:57:55.807000
@ yyyyMMddHHmmssX
UTC 0 19700101000000Z
UTC -1 19691231235959Z
UTC 946684799999 19991231235959Z
UTC 1720107045678 20240704153045Z
UTC 1705305909042 20240115080509Z
UTC 1709232300001 20240229184500Z
UTC 2230085228009 20400901040708Z
UTC -135028493993 19650921040506Z
UTC 1710061199999 20240310085959Z
UTC 1710061200000 20240310090000Z
UTC 1730620799999 20241103075959Z
UTC 1730620800000 20241103080000Z
UTC 253402300800000 +100000101000000Z
UTC -9223372036854775808 +2922750560516164704Z
UTC 9223372036854775807 +2922789940817071255Z
America/Denver 0 19691231170000-07
America/Denver -1 19691231165959-07
America/Denver 946684799999 19991231165959-07
America/Denver 1720107045678 20240704093045-06
America/Denver 1705305909042 20240115010509-07
America/Denver 1709232300001 20240229114500-07
America/Denver 2230085228009 20400831220708-06
America/Denver -135028493993 19650920220506-06
America/Denver 1710061199999 20240310015959-07
America/Denver 1710061200000 20240310030000-06
America/Denver 1730620799999 20241103015959-06
America/Denver 1730620800000 20241103010000-07
America/Denver 253402300800000 99991231170000-07
America/Denver -9223372036854775808 +2922750560516094708-0659
America/Denver 9223372036854775807 +2922789940817011255-06
Europe/London 0 19700101010000+01
Europe/London -1 19700101005959+01
Europe/London 946684799999 19991231235959Z
Europe/London 1720107045678 20240704163045+01
Europe/London 1705305909042 20240115080509Z
Europe/London 1709232300001 20240229184500Z
Europe/London 2230085228009 20400901050708+01
Europe/London -135028493993 19650921050506+01
Europe/London 1710061199999 20240310085959Z
Europe/London 1710061200000 20240310090000Z
Europe/London 1730620799999 20241103075959Z
Europe/London 1730620800000 20241103080000Z
Europe/London 253402300800000 +100000101000000Z
Europe/London -9223372036854775808 +2922750560516164549-0001
Europe/London 9223372036854775807 +2922789940817081255+01
Europe/Berlin 0 19700101010000+01
Europe/Berlin -1 19700101005959+01
Europe/Berlin 946684799999 20000101005959+01
Europe/Berlin 1720107045678 20240704173045+02
Europe/Berlin 1705305909042 20240115090509+01
Europe/Berlin 1709232300001 20240229194500+01
Europe/Berlin 2230085228009 20400901060708+02
Europe/Berlin -135028493993 19650921050506+01
Europe/Berlin 1710061199999 20240310095959+01
Europe/Berlin 1710061200000 20240310100000+01
Europe/Berlin 1730620799999 20241103085959+01
Europe/Berlin 1730620800000 20241103090000+01
Europe/Berlin 253402300800000 +100000101010000+01
Europe/Berlin -9223372036854775808 +2922750560516174032+0053
Europe/Berlin 9223372036854775807 +2922789940817091255+02
Asia/Kolkata 0 19700101053000+0530
Asia/Kolkata -1 19700101052959+0530
Asia/Kolkata 946684799999 20000101052959+0530
Asia/Kolkata 1720107045678 20240704210045+0530
Asia/Kolkata 1705305909042 20240115133509+0530
Asia/Kolkata 1709232300001 20240301001500+0530
Asia/Kolkata 2230085228009 20400901093708+0530
Asia/Kolkata -135028493993 19650921093506+0530
Asia/Kolkata 1710061199999 20240310142959+0530
Asia/Kolkata 1710061200000 20240310143000+0530
Asia/Kolkata 1730620799999 20241103132959+0530
Asia/Kolkata 1730620800000 20241103133000+0530
Asia/Kolkata 253402300800000 +100000101053000+0530
Asia/Kolkata -9223372036854775808 +2922750560516224032+0553
Asia/Kolkata 9223372036854775807 +2922789940817124255+0530
Asia/Tokyo 0 19700101090000+09
Asia/Tokyo -1 19700101085959+09
Asia/Tokyo 946684799999 20000101085959+09
Asia/Tokyo 1720107045678 20240705003045+09
Asia/Tokyo 1705305909042 20240115170509+09
Asia/Tokyo 1709232300001 20240301034500+09
Asia/Tokyo 2230085228009 20400901130708+09
Asia/Tokyo -135028493993 19650921130506+09
Asia/Tokyo 1710061199999 20240310175959+09
Asia/Tokyo 1710061200000 20240310180000+09
Asia/Tokyo 1730620799999 20241103165959+09
Asia/Tokyo 1730620800000 20241103170000+09
Asia/Tokyo 253402300800000 +100000101090000+09
Asia/Tokyo -9223372036854775808 +2922750560517020603+0918
Asia/Tokyo 9223372036854775807 +2922789940817161255+09
Australia/Adelaide 0 19700101093000+0930
Australia/Adelaide -1 19700101092959+0930
Australia/Adelaide 946684799999 20000101102959+1030
Australia/Adelaide 1720107045678 20240705010045+0930
Australia/Adelaide 1705305909042 20240115183509+1030
Australia/Adelaide 1709232300001 20240301051500+1030
Australia/Adelaide 2230085228009 20400901133708+0930
Australia/Adelaide -135028493993 19650921133506+0930
Australia/Adelaide 1710061199999 20240310192959+1030
Australia/Adelaide 1710061200000 20240310193000+1030
Australia/Adelaide 1730620799999 20241103182959+1030
Australia/Adelaide 1730620800000 20241103183000+1030
Australia/Adelaide 253402300800000 +100000101103000+1030
Australia/Adelaide -9223372036854775808 +2922750560517020124+0914
Australia/Adelaide 9223372036854775807 +2922789940817164255+0930
America/St_Johns 0 19691231203000-0330
America/St_Johns -1 19691231202959-0330
America/St_Johns 946684799999 19991231202959-0330
America/St_Johns 1720107045678 20240704130045-0230
America/St_Johns 1705305909042 20240115043509-0330
America/St_Johns 1709232300001 20240229151500-0330
America/St_Johns 2230085228009 20400901013708-0230
America/St_Johns -135028493993 19650921013506-0230
America/St_Johns 1710061199999 20240310062959-0230
America/St_Johns 1710061200000 20240310063000-0230
America/St_Johns 1730620799999 20241103042959-0330
America/St_Johns 1730620800000 20241103043000-0330
America/St_Johns 253402300800000 99991231203000-0330
America/St_Johns -9223372036854775808 +2922750560516131612-0330
America/St_Johns 9223372036854775807 +2922789940817044255-0230
Asia/Dubai 0 19700101040000+04
Asia/Dubai -1 19700101035959+04
Asia/Dubai 946684799999 20000101035959+04
Asia/Dubai 1720107045678 20240704193045+04
Asia/Dubai 1705305909042 20240115120509+04
Asia/Dubai 1709232300001 20240229224500+04
Asia/Dubai 2230085228009 20400901080708+04
Asia/Dubai -135028493993 19650921080506+04
Asia/Dubai 1710061199999 20240310125959+04
Asia/Dubai 1710061200000 20240310130000+04
Asia/Dubai 1730620799999 20241103115959+04
Asia/Dubai 1730620800000 20241103120000+04
Asia/Dubai 253402300800000 +100000101040000+04
Asia/Dubai -9223372036854775808 +2922750560516202816+0341
Asia/Dubai 9223372036854775807 +2922789940817111255+04
Pacific/Chatham 0 19700101124500+1245
Pacific/Chatham -1 19700101124459+1245
Pacific/Chatham 946684799999 20000101134459+1345
Pacific/Chatham 1720107045678 20240705041545+1245
Pacific/Chatham 1705305909042 20240115215009+1345
Pacific/Chatham 1709232300001 20240301083000+1345
Pacific/Chatham 2230085228009 20400901165208+1245
Pacific/Chatham -135028493993 19650921165006+1245
Pacific/Chatham 1710061199999 20240310224459+1345
Pacific/Chatham 1710061200000 20240310224500+1345
Pacific/Chatham 1730620799999 20241103214459+1345
Pacific/Chatham 1730620800000 20241103214500+1345
Pacific/Chatham 253402300800000 +100000101134500+1345
Pacific/Chatham -9223372036854775808 +2922750560517050052+1213
Pacific/Chatham 9223372036854775807 +2922789940817195755+1245
@ yyyy-MM-dd HH:mm:ss xx
UTC 0 1970-01-01 00:00:00 +0000
UTC -1 1969-12-31 23:59:59 +0000
UTC 946684799999 1999-12-31 23:59:59 +0000
UTC 1720107045678 2024-07-04 15:30:45 +0000
UTC 1705305909042 2024-01-15 08:05:09 +0000
UTC 1709232300001 2024-02-29 18:45:00 +0000
UTC 2230085228009 2040-09-01 04:07:08 +0000
UTC -135028493993 1965-09-21 04:05:06 +0000
UTC 1710061199999 2024-03-10 08:59:59 +0000
UTC 1710061200000 2024-03-10 09:00:00 +0000
UTC 1730620799999 2024-11-03 07:59:59 +0000
UTC 1730620800000 2024-11-03 08:00:00 +0000
UTC 253402300800000 +10000-01-01 00:00:00 +0000
UTC -9223372036854775808 +292275056-05-16 16:47:04 +0000
UTC 9223372036854775807 +292278994-08-17 07:12:55 +0000
America/Denver 0 1969-12-31 17:00:00 -0700
America/Denver -1 1969-12-31 16:59:59 -0700
America/Denver 946684799999 1999-12-31 16:59:59 -0700
America/Denver 1720107045678 2024-07-04 09:30:45 -0600
America/Denver 1705305909042 2024-01-15 01:05:09 -0700
America/Denver 1709232300001 2024-02-29 11:45:00 -0700
America/Denver 2230085228009 2040-08-31 22:07:08 -0600
America/Denver -135028493993 1965-09-20 22:05:06 -0600
America/Denver 1710061199999 2024-03-10 01:59:59 -0700
America/Denver 1710061200000 2024-03-10 03:00:00 -0600
America/Denver 1730620799999 2024-11-03 01:59:59 -0600
America/Denver 1730620800000 2024-11-03 01:00:00 -0700
America/Denver 253402300800000 9999-12-31 17:00:00 -0700
America/Denver -9223372036854775808 +292275056-05-16 09:47:08 -0659
America/Denver 9223372036854775807 +292278994-08-17 01:12:55 -0600
Europe/London 0 1970-01-01 01:00:00 +0100
Europe/London -1 1970-01-01 00:59:59 +0100
Europe/London 946684799999 1999-12-31 23:59:59 +0000
Europe/London 1720107045678 2024-07-04 16:30:45 +0100
Europe/London 1705305909042 2024-01-15 08:05:09 +0000
Europe/London 1709232300001 2024-02-29 18:45:00 +0000
Europe/London 2230085228009 2040-09-01 05:07:08 +0100
Europe/London -135028493993 1965-09-21 05:05:06 +0100
Europe/London 1710061199999 2024-03-10 08:59:59 +0000
Europe/London 1710061200000 2024-03-10 09:00:00 +0000
Europe/London 1730620799999 2024-11-03 07:59:59 +0000
Europe/London 1730620800000 2024-11-03 08:00:00 +0000
Europe/London 253402300800000 +10000-01-01 00:00:00 +0000
Europe/London -9223372036854775808 +292275056-05-16 16:45:49 -0001
Europe/London 9223372036854775807 +292278994-08-17 08:12:55 +0100
Europe/Berlin 0 1970-01-01 01:00:00 +0100
Europe/Berlin -1 1970-01-01 00:59:59 +0100
Europe/Berlin 946684799999 2000-01-01 00:59:59 +0100
Europe/Berlin 1720107045678 2024-07-04 17:30:45 +0200
Europe/Berlin 1705305909042 2024-01-15 09:05:09 +0100
Europe/Berlin 1709232300001 2024-02-29 19:45:00 +0100
Europe/Berlin 2230085228009 2040-09-01 06:07:08 +0200
Europe/Berlin -135028493993 1965-09-21 05:05:06 +0100
Europe/Berlin 1710061199999 2024-03-10 09:59:59 +0100
Europe/Berlin 1710061200000 2024-03-10 10:00:00 +0100
Europe/Berlin 1730620799999 2024-11-03 08:59:59 +0100
Europe/Berlin 1730620800000 2024-11-03 09:00:00 +0100
Europe/Berlin 253402300800000 +10000-01-01 01:00:00 +0100
Europe/Berlin -9223372036854775808 +292275056-05-16 17:40:32 +0053
Europe/Berlin 9223372036854775807 +292278994-08-17 09:12:55 +0200
Asia/Kolkata 0 1970-01-01 05:30:00 +0530
Asia/Kolkata -1 1970-01-01 05:29:59 +0530
Asia/Kolkata 946684799999 2000-01-01 05:29:59 +0530
Asia/Kolkata 1720107045678 2024-07-04 21:00:45 +0530
Asia/Kolkata 1705305909042 2024-01-15 13:35:09 +0530
Asia/Kolkata 1709232300001 2024-03-01 00:15:00 +0530
Asia/Kolkata 2230085228009 2040-09-01 09:37:08 +0530
Asia/Kolkata -135028493993 1965-09-21 09:35:06 +0530
Asia/Kolkata 1710061199999 2024-03-10 14:29:59 +0530
Asia/Kolkata 1710061200000 2024-03-10 14:30:00 +0530
Asia/Kolkata 1730620799999 2024-11-03 13:29:59 +0530
Asia/Kolkata 1730620800000 2024-11-03 13:30:00 +0530
Asia/Kolkata 253402300800000 +10000-01-01 05:30:00 +0530
Asia/Kolkata -9223372036854775808 +292275056-05-16 22:40:32 +0553
Asia/Kolkata 9223372036854775807 +292278994-08-17 12:42:55 +0530
Asia/Tokyo 0 1970-01-01 09:00:00 +0900
Asia/Tokyo -1 1970-01-01 08:59:59 +0900
Asia/Tokyo 946684799999 2000-01-01 08:59:59 +0900
Asia/Tokyo 1720107045678 2024-07-05 00:30:45 +0900
Asia/Tokyo 1705305909042 2024-01-15 17:05:09 +0900
Asia/Tokyo 1709232300001 2024-03-01 03:45:00 +0900
Asia/Tokyo 2230085228009 2040-09-01 13:07:08 +0900
Asia/Tokyo -135028493993 1965-09-21 13:05:06 +0900
Asia/Tokyo 1710061199999 2024-03-10 17:59:59 +0900
Asia/Tokyo 1710061200000 2024-03-10 18:00:00 +0900
Asia/Tokyo 1730620799999 2024-11-03 16:59:59 +0900
Asia/Tokyo 1730620800000 2024-11-03 17:00:00 +0900
Asia/Tokyo 253402300800000 +10000-01-01 09:00:00 +0900
Asia/Tokyo -9223372036854775808 +292275056-05-17 02:06:03 +0918
Asia/Tokyo 9223372036854775807 +292278994-08-17 16:12:55 +0900
Australia/Adelaide 0 1970-01-01 09:30:00 +0930
Australia/Adelaide -1 1970-01-01 09:29:59 +0930
Australia/Adelaide 946684799999 2000-01-01 10:29:59 +1030
Australia/Adelaide 1720107045678 2024-07-05 01:00:45 +0930
Australia/Adelaide 1705305909042 2024-01-15 18:35:09 +1030
Australia/Adelaide 1709232300001 2024-03-01 05:15:00 +1030
Australia/Adelaide 2230085228009 2040-09-01 13:37:08 +0930
Australia/Adelaide -135028493993 1965-09-21 13:35:06 +0930
Australia/Adelaide 1710061199999 2024-03-10 19:29:59 +1030
Australia/Adelaide 1710061200000 2024-03-10 19:30:00 +1030
Australia/Adelaide 1730620799999 2024-11-03 18:29:59 +1030
Australia/Adelaide 1730620800000 2024-11-03 18:30:00 +1030
Australia/Adelaide 253402300800000 +10000-01-01 10:30:00 +1030
Australia/Adelaide -9223372036854775808 +292275056-05-17 02:01:24 +0914
Australia/Adelaide 9223372036854775807 +292278994-08-17 16:42:55 +0930
America/St_Johns 0 1969-12-31 20:30:00 -0330
America/St_Johns -1 1969-12-31 20:29:59 -0330
America/St_Johns 946684799999 1999-12-31 20:29:59 -0330
America/St_Johns 1720107045678 2024-07-04 13:00:45 -0230
America/St_Johns 1705305909042 2024-01-15 04:35:09 -0330
America/St_Johns 1709232300001 2024-02-29 15:15:00 -0330
America/St_Johns 2230085228009 2040-09-01 01:37:08 -0230
America/St_Johns -135028493993 1965-09-21 01:35:06 -0230
America/St_Johns 1710061199999 2024-03-10 06:29:59 -0230
America/St_Johns 1710061200000 2024-03-10 06:30:00 -0230
America/St_Johns 1730620799999 2024-11-03 04:29:59 -0330
America/St_Johns 1730620800000 2024-11-03 04:30:00 -0330
America/St_Johns 253402300800000 9999-12-31 20:30:00 -0330
America/St_Johns -9223372036854775808 +292275056-05-16 13:16:12 -0330
America/St_Johns 9223372036854775807 +292278994-08-17 04:42:55 -0230
Asia/Dubai 0 1970-01-01 04:00:00 +0400
Asia/Dubai -1 1970-01-01 03:59:59 +0400
Asia/Dubai 946684799999 2000-01-01 03:59:59 +0400
Asia/Dubai 1720107045678 2024-07-04 19:30:45 +0400
Asia/Dubai 1705305909042 2024-01-15 12:05:09 +0400
Asia/Dubai 1709232300001 2024-02-29 22:45:00 +0400
Asia/Dubai 2230085228009 2040-09-01 08:07:08 +0400
Asia/Dubai -135028493993 1965-09-21 08:05:06 +0400
Asia/Dubai 1710061199999 2024-03-10 12:59:59 +0400
Asia/Dubai 1710061200000 2024-03-10 13:00:00 +0400
Asia/Dubai 1730620799999 2024-11-03 11:59:59 +0400
Asia/Dubai 1730620800000 2024-11-03 12:00:00 +0400
Asia/Dubai 253402300800000 +10000-01-01 04:00:00 +0400
Asia/Dubai -9223372036854775808 +292275056-05-16 20:28:16 +0341
Asia/Dubai 9223372036854775807 +292278994-08-17 11:12:55 +0400
Pacific/Chatham 0 1970-01-01 12:45:00 +1245
Pacific/Chatham -1 1970-01-01 12:44:59 +1245
Pacific/Chatham 946684799999 2000-01-01 13:44:59 +1345
Pacific/Chatham 1720107045678 2024-07-05 04:15:45 +1245
Pacific/Chatham 1705305909042 2024-01-15 21:50:09 +1345
Pacific/Chatham 1709232300001 2024-03-01 08:30:00 +1345
Pacific/Chatham 2230085228009 2040-09-01 16:52:08 +1245
Pacific/Chatham -135028493993 1965-09-21 16:50:06 +1245
Pacific/Chatham 1710061199999 2024-03-10 22:44:59 +1345
Pacific/Chatham 1710061200000 2024-03-10 22:45:00 +1345
Pacific/Chatham 1730620799999 2024-11-03 21:44:59 +1345
Pacific/Chatham 1730620800000 2024-11-03 21:45:00 +1345
Pacific/Chatham 253402300800000 +10000-01-01 13:45:00 +1345
Pacific/Chatham -9223372036854775808 +292275056-05-17 05:00:52 +1213
Pacific/Chatham 9223372036854775807 +292278994-08-17 19:57:55 +1245
@ h:mm a zzz
UTC 0 12:00 AM UTC
UTC -1 11:59 PM UTC
UTC 946684799999 11:59 PM UTC
UTC 1720107045678 3:30 PM UTC
UTC 1705305909042 8:05 AM UTC
UTC 1709232300001 6:45 PM UTC
UTC 2230085228009 4:07 AM UTC
UTC -135028493993 4:05 AM UTC
UTC 1710061199999 8:59 AM UTC
UTC 1710061200000 9:00 AM UTC
UTC 1730620799999 7:59 AM UTC
UTC 1730620800000 8:00 AM UTC
UTC 253402300800000 12:00 AM UTC
UTC -9223372036854775808 4:47 PM UTC
UTC 9223372036854775807 7:12 AM UTC
America/Denver 0 5:00 PM MST
America/Denver -1 4:59 PM MST
America/Denver 946684799999 4:59 PM MST
America/Denver 1720107045678 9:30 AM MDT
America/Denver 1705305909042 1:05 AM MST
America/Denver 1709232300001 11:45 AM MST
America/Denver 2230085228009 10:07 PM MDT
America/Denver -135028493993 10:05 PM MDT
America/Denver 1710061199999 1:59 AM MST
America/Denver 1710061200000 3:00 AM MDT
America/Denver 1730620799999 1:59 AM MDT
America/Denver 1730620800000 1:00 AM MST
America/Denver 253402300800000 5:00 PM MST
America/Denver -9223372036854775808 9:47 AM MST
America/Denver 9223372036854775807 1:12 AM MDT
Europe/London 0 1:00 AM GMT
Europe/London -1 12:59 AM GMT
Europe/London 946684799999 11:59 PM GMT
Europe/London 1720107045678 4:30 PM BST
Europe/London 1705305909042 8:05 AM GMT
Europe/London 1709232300001 6:45 PM GMT
Europe/London 2230085228009 5:07 AM BST
Europe/London -135028493993 5:05 AM BST
Europe/London 1710061199999 8:59 AM GMT
Europe/London 1710061200000 9:00 AM GMT
Europe/London 1730620799999 7:59 AM GMT
Europe/London 1730620800000 8:00 AM GMT
Europe/London 253402300800000 12:00 AM GMT
Europe/London -9223372036854775808 4:45 PM GMT
Europe/London 9223372036854775807 8:12 AM BST
Europe/Berlin 0 1:00 AM CET
Europe/Berlin -1 12:59 AM CET
Europe/Berlin 946684799999 12:59 AM CET
Europe/Berlin 1720107045678 5:30 PM CEST
Europe/Berlin 1705305909042 9:05 AM CET
Europe/Berlin 1709232300001 7:45 PM CET
Europe/Berlin 2230085228009 6:07 AM CEST
Europe/Berlin -135028493993 5:05 AM CET
Europe/Berlin 1710061199999 9:59 AM CET
Europe/Berlin 1710061200000 10:00 AM CET
Europe/Berlin 1730620799999 8:59 AM CET
Europe/Berlin 1730620800000 9:00 AM CET
Europe/Berlin 253402300800000 1:00 AM CET
Europe/Berlin -9223372036854775808 5:40 PM CET
Europe/Berlin 9223372036854775807 9:12 AM CEST
Asia/Kolkata 0 5:30 AM IST
Asia/Kolkata -1 5:29 AM IST
Asia/Kolkata 946684799999 5:29 AM IST
Asia/Kolkata 1720107045678 9:00 PM IST
Asia/Kolkata 1705305909042 1:35 PM IST
Asia/Kolkata 1709232300001 12:15 AM IST
Asia/Kolkata 2230085228009 9:37 AM IST
Asia/Kolkata -135028493993 9:35 AM IST
Asia/Kolkata 1710061199999 2:29 PM IST
Asia/Kolkata 1710061200000 2:30 PM IST
Asia/Kolkata 1730620799999 1:29 PM IST
Asia/Kolkata 1730620800000 1:30 PM IST
Asia/Kolkata 253402300800000 5:30 AM IST
Asia/Kolkata -9223372036854775808 10:40 PM IST
Asia/Kolkata 9223372036854775807 12:42 PM IST
Asia/Tokyo 0 9:00 AM JST
Asia/Tokyo -1 8:59 AM JST
Asia/Tokyo 946684799999 8:59 AM JST
Asia/Tokyo 1720107045678 12:30 AM JST
Asia/Tokyo 1705305909042 5:05 PM JST
Asia/Tokyo 1709232300001 3:45 AM JST
Asia/Tokyo 2230085228009 1:07 PM JST
Asia/Tokyo -135028493993 1:05 PM JST
Asia/Tokyo 1710061199999 5:59 PM JST
Asia/Tokyo 1710061200000 6:00 PM JST
Asia/Tokyo 1730620799999 4:59 PM JST
Asia/Tokyo 1730620800000 5:00 PM JST
Asia/Tokyo 253402300800000 9:00 AM JST
Asia/Tokyo -9223372036854775808 2:06 AM JST
Asia/Tokyo 9223372036854775807 4:12 PM JST
Australia/Adelaide 0 9:30 AM ACST
Australia/Adelaide -1 9:29 AM ACST
Australia/Adelaide 946684799999 10:29 AM ACDT
Australia/Adelaide 1720107045678 1:00 AM ACST
Australia/Adelaide 1705305909042 6:35 PM ACDT
Australia/Adelaide 1709232300001 5:15 AM ACDT
Australia/Adelaide 2230085228009 1:37 PM ACST
Australia/Adelaide -135028493993 1:35 PM ACST
Australia/Adelaide 1710061199999 7:29 PM ACDT
Australia/Adelaide 1710061200000 7:30 PM ACDT
Australia/Adelaide 1730620799999 6:29 PM ACDT
Australia/Adelaide 1730620800000 6:30 PM ACDT
Australia/Adelaide 253402300800000 10:30 AM ACDT
Australia/Adelaide -9223372036854775808 2:01 AM ACST
Australia/Adelaide 9223372036854775807 4:42 PM ACST
America/St_Johns 0 8:30 PM NST
America/St_Johns -1 8:29 PM NST
America/St_Johns 946684799999 8:29 PM NST
America/St_Johns 1720107045678 1:00 PM NDT
America/St_Johns 1705305909042 4:35 AM NST
America/St_Johns 1709232300001 3:15 PM NST
America/St_Johns 2230085228009 1:37 AM NDT
America/St_Johns -135028493993 1:35 AM NDT
America/St_Johns 1710061199999 6:29 AM NDT
America/St_Johns 1710061200000 6:30 AM NDT
America/St_Johns 1730620799999 4:29 AM NST
America/St_Johns 1730620800000 4:30 AM NST
America/St_Johns 253402300800000 8:30 PM NST
America/St_Johns -9223372036854775808 1:16 PM NST
America/St_Johns 9223372036854775807 4:42 AM NDT
Asia/Dubai 0 4:00 AM GST
Asia/Dubai -1 3:59 AM GST
Asia/Dubai 946684799999 3:59 AM GST
Asia/Dubai 1720107045678 7:30 PM GST
Asia/Dubai 1705305909042 12:05 PM GST
Asia/Dubai 1709232300001 10:45 PM GST
Asia/Dubai 2230085228009 8:07 AM GST
Asia/Dubai -135028493993 8:05 AM GST
Asia/Dubai 1710061199999 12:59 PM GST
Asia/Dubai 1710061200000 1:00 PM GST
Asia/Dubai 1730620799999 11:59 AM GST
Asia/Dubai 1730620800000 12:00 PM GST
Asia/Dubai 253402300800000 4:00 AM GST
Asia/Dubai -9223372036854775808 8:28 PM GST
Asia/Dubai 9223372036854775807 11:12 AM GST
Pacific/Chatham 0 12:45 PM CHAST
Pacific/Chatham -1 12:44 PM CHAST
Pacific/Chatham 946684799999 1:44 PM CHADT
Pacific/Chatham 1720107045678 4:15 AM CHAST
Pacific/Chatham 1705305909042 9:50 PM CHADT
Pacific/Chatham 1709232300001 8:30 AM CHADT
Pacific/Chatham 2230085228009 4:52 PM CHAST
Pacific/Chatham -135028493993 4:50 PM CHAST
Pacific/Chatham 1710061199999 10:44 PM CHADT
Pacific/Chatham 1710061200000 10:45 PM CHADT
Pacific/Chatham 1730620799999 9:44 PM CHADT
Pacific/Chatham 1730620800000 9:45 PM CHADT
Pacific/Chatham 253402300800000 1:45 PM CHADT
Pacific/Chatham -9223372036854775808 5:00 AM CHAST
Pacific/Chatham 9223372036854775807 7:57 PM CHAST
@ MMMMM EEEEE ZZZZZ ZZZZ
UTC 0 J T Z GMT
UTC -1 D W Z GMT
UTC 946684799999 D F Z GMT
UTC 1720107045678 J T Z GMT
UTC 1705305909042 J M Z GMT
UTC 1709232300001 F T Z GMT
UTC 2230085228009 S S Z GMT
UTC -135028493993 S T Z GMT
UTC 1710061199999 M S Z GMT
UTC 1710061200000 M S Z GMT
UTC 1730620799999 N S Z GMT
UTC 1730620800000 N S Z GMT
UTC 253402300800000 J S Z GMT
UTC -9223372036854775808 M S Z GMT
UTC 9223372036854775807 A S Z GMT
America/Denver 0 D W -07:00 GMT-07:00
America/Denver -1 D W -07:00 GMT-07:00
America/Denver 946684799999 D F -07:00 GMT-07:00
America/Denver 1720107045678 J T -06:00 GMT-06:00
America/Denver 1705305909042 J M -07:00 GMT-07:00
America/Denver 1709232300001 F T -07:00 GMT-07:00
America/Denver 2230085228009 A F -06:00 GMT-06:00
America/Denver -135028493993 S M -06:00 GMT-06:00
America/Denver 1710061199999 M S -07:00 GMT-07:00
America/Denver 1710061200000 M S -06:00 GMT-06:00
America/Denver 1730620799999 N S -06:00 GMT-06:00
America/Denver 1730620800000 N S -07:00 GMT-07:00
America/Denver 253402300800000 D F -07:00 GMT-07:00
America/Denver -9223372036854775808 M S -06:59:56 GMT-06:59:56
America/Denver 9223372036854775807 A S -06:00 GMT-06:00
Europe/London 0 J T +01:00 GMT+01:00
Europe/London -1 J T +01:00 GMT+01:00
Europe/London 946684799999 D F Z GMT
Europe/London 1720107045678 J T +01:00 GMT+01:00
Europe/London 1705305909042 J M Z GMT
Europe/London 1709232300001 F T Z GMT
Europe/London 2230085228009 S S +01:00 GMT+01:00
Europe/London -135028493993 S T +01:00 GMT+01:00
Europe/London 1710061199999 M S Z GMT
Europe/London 1710061200000 M S Z GMT
Europe/London 1730620799999 N S Z GMT
Europe/London 1730620800000 N S Z GMT
Europe/London 253402300800000 J S Z GMT
Europe/London -9223372036854775808 M S -00:01:15 GMT-00:01:15
Europe/London 9223372036854775807 A S +01:00 GMT+01:00
Europe/Berlin 0 J T +01:00 GMT+01:00
Europe/Berlin -1 J T +01:00 GMT+01:00
Europe/Berlin 946684799999 J S +01:00 GMT+01:00
Europe/Berlin 1720107045678 J T +02:00 GMT+02:00
Europe/Berlin 1705305909042 J M +01:00 GMT+01:00
Europe/Berlin 1709232300001 F T +01:00 GMT+01:00
Europe/Berlin 2230085228009 S S +02:00 GMT+02:00
Europe/Berlin -135028493993 S T +01:00 GMT+01:00
Europe/Berlin 1710061199999 M S +01:00 GMT+01:00
Europe/Berlin 1710061200000 M S +01:00 GMT+01:00
Europe/Berlin 1730620799999 N S +01:00 GMT+01:00
Europe/Berlin 1730620800000 N S +01:00 GMT+01:00
Europe/Berlin 253402300800000 J S +01:00 GMT+01:00
Europe/Berlin -9223372036854775808 M S +00:53:28 GMT+00:53:28
Europe/Berlin 9223372036854775807 A S +02:00 GMT+02:00
Asia/Kolkata 0 J T +05:30 GMT+05:30
Asia/Kolkata -1 J T +05:30 GMT+05:30
Asia/Kolkata 946684799999 J S +05:30 GMT+05:30
Asia/Kolkata 1720107045678 J T +05:30 GMT+05:30
Asia/Kolkata 1705305909042 J M +05:30 GMT+05:30
Asia/Kolkata 1709232300001 M F +05:30 GMT+05:30
Asia/Kolkata 2230085228009 S S +05:30 GMT+05:30
Asia/Kolkata -135028493993 S T +05:30 GMT+05:30
Asia/Kolkata 1710061199999 M S +05:30 GMT+05:30
Asia/Kolkata 1710061200000 M S +05:30 GMT+05:30
Asia/Kolkata 1730620799999 N S +05:30 GMT+05:30
Asia/Kolkata 1730620800000 N S +05:30 GMT+05:30
Asia/Kolkata 253402300800000 J S +05:30 GMT+05:30
Asia/Kolkata -9223372036854775808 M S +05:53:28 GMT+05:53:28
Asia/Kolkata 9223372036854775807 A S +05:30 GMT+05:30
Asia/Tokyo 0 J T +09:00 GMT+09:00
Asia/Tokyo -1 J T +09:00 GMT+09:00
Asia/Tokyo 946684799999 J S +09:00 GMT+09:00
Asia/Tokyo 1720107045678 J F +09:00 GMT+09:00
Asia/Tokyo 1705305909042 J M +09:00 GMT+09:00
Asia/Tokyo 1709232300001 M F +09:00 GMT+09:00
Asia/Tokyo 2230085228009 S S +09:00 GMT+09:00
Asia/Tokyo -135028493993 S T +09:00 GMT+09:00
Asia/Tokyo 1710061199999 M S +09:00 GMT+09:00
Asia/Tokyo 1710061200000 M S +09:00 GMT+09:00
Asia/Tokyo 1730620799999 N S +09:00 GMT+09:00
Asia/Tokyo 1730620800000 N S +09:00 GMT+09:00
Asia/Tokyo 253402300800000 J S +09:00 GMT+09:00
Asia/Tokyo -9223372036854775808 M M +09:18:59 GMT+09:18:59
Asia/Tokyo 9223372036854775807 A S +09:00 GMT+09:00
Australia/Adelaide 0 J T +09:30 GMT+09:30
Australia/Adelaide -1 J T +09:30 GMT+09:30
Australia/Adelaide 946684799999 J S +10:30 GMT+10:30
Australia/Adelaide 1720107045678 J F +09:30 GMT+09:30
Australia/Adelaide 1705305909042 J M +10:30 GMT+10:30
Australia/Adelaide 1709232300001 M F +10:30 GMT+10:30
Australia/Adelaide 2230085228009 S S +09:30 GMT+09:30
Australia/Adelaide -135028493993 S T +09:30 GMT+09:30
Australia/Adelaide 1710061199999 M S +10:30 GMT+10:30
Australia/Adelaide 1710061200000 M S +10:30 GMT+10:30
Australia/Adelaide 1730620799999 N S +10:30 GMT+10:30
Australia/Adelaide 1730620800000 N S +10:30 GMT+10:30
Australia/Adelaide 253402300800000 J S +10:30 GMT+10:30
Australia/Adelaide -9223372036854775808 M M +09:14:20 GMT+09:14:20
Australia/Adelaide 9223372036854775807 A S +09:30 GMT+09:30
America/St_Johns 0 D W -03:30 GMT-03:30
America/St_Johns -1 D W -03:30 GMT-03:30
America/St_Johns 946684799999 D F -03:30 GMT-03:30
America/St_Johns 1720107045678 J T -02:30 GMT-02:30
America/St_Johns 1705305909042 J M -03:30 GMT-03:30
America/St_Johns 1709232300001 F T -03:30 GMT-03:30
America/St_Johns 2230085228009 S S -02:30 GMT-02:30
America/St_Johns -135028493993 S T -02:30 GMT-02:30
America/St_Johns 1710061199999 M S -02:30 GMT-02:30
America/St_Johns 1710061200000 M S -02:30 GMT-02:30
America/St_Johns 1730620799999 N S -03:30 GMT-03:30
America/St_Johns 1730620800000 N S -03:30 GMT-03:30
America/St_Johns 253402300800000 D F -03:30 GMT-03:30
America/St_Johns -9223372036854775808 M S -03:30:52 GMT-03:30:52
America/St_Johns 9223372036854775807 A S -02:30 GMT-02:30
Asia/Dubai 0 J T +04:00 GMT+04:00
Asia/Dubai -1 J T +04:00 GMT+04:00
Asia/Dubai 946684799999 J S +04:00 GMT+04:00
Asia/Dubai 1720107045678 J T +04:00 GMT+04:00
Asia/Dubai 1705305909042 J M +04:00 GMT+04:00
Asia/Dubai 1709232300001 F T +04:00 GMT+04:00
Asia/Dubai 2230085228009 S S +04:00 GMT+04:00
Asia/Dubai -135028493993 S T +04:00 GMT+04:00
Asia/Dubai 1710061199999 M S +04:00 GMT+04:00
Asia/Dubai 1710061200000 M S +04:00 GMT+04:00
Asia/Dubai 1730620799999 N S +04:00 GMT+04:00
Asia/Dubai 1730620800000 N S +04:00 GMT+04:00
Asia/Dubai 253402300800000 J S +04:00 GMT+04:00
Asia/Dubai -9223372036854775808 M S +03:41:12 GMT+03:41:12
Asia/Dubai 9223372036854775807 A S +04:00 GMT+04:00
Pacific/Chatham 0 J T +12:45 GMT+12:45
Pacific/Chatham -1 J T +12:45 GMT+12:45
Pacific/Chatham 946684799999 J S +13:45 GMT+13:45
Pacific/Chatham 1720107045678 J F +12:45 GMT+12:45
Pacific/Chatham 1705305909042 J M +13:45 GMT+13:45
Pacific/Chatham 1709232300001 M F +13:45 GMT+13:45
Pacific/Chatham 2230085228009 S S +12:45 GMT+12:45
Pacific/Chatham -135028493993 S T +12:45 GMT+12:45
Pacific/Chatham 1710061199999 M S +13:45 GMT+13:45
Pacific/Chatham 1710061200000 M S +13:45 GMT+13:45
Pacific/Chatham 1730620799999 N S +13:45 GMT+13:45
Pacific/Chatham 1730620800000 N S +13:45 GMT+13:45
Pacific/Chatham 253402300800000 J S +13:45 GMT+13:45
Pacific/Chatham -9223372036854775808 M M +12:13:48 GMT+12:13:48
Pacific/Chatham 9223372036854775807 A S +12:45 GMT+12:45
@ z|Z|ZZZZ|ZZZZZ|X|XXX|XXXXX|x|xxxxx
UTC 0 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC 1720107045678 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC 1705305909042 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC -3773779200000 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC 44582400000 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Z 0 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Z 1720107045678 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Z 1705305909042 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Z -3773779200000 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Z 44582400000 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT 0 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT 1720107045678 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT 1705305909042 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT -3773779200000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT 44582400000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
+02:00 0 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+02:00 1720107045678 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+02:00 1705305909042 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+02:00 -3773779200000 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+02:00 44582400000 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+2 0 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+2 1720107045678 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+2 1705305909042 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+2 -3773779200000 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
+2 44582400000 +02:00|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
-0530 0 -05:30|-0530|GMT-05:30|-05:30|-0530|-05:30|-05:30|-0530|-05:30
-0530 1720107045678 -05:30|-0530|GMT-05:30|-05:30|-0530|-05:30|-05:30|-0530|-05:30
-0530 1705305909042 -05:30|-0530|GMT-05:30|-05:30|-0530|-05:30|-05:30|-0530|-05:30
-0530 -3773779200000 -05:30|-0530|GMT-05:30|-05:30|-0530|-05:30|-05:30|-0530|-05:30
-0530 44582400000 -05:30|-0530|GMT-05:30|-05:30|-0530|-05:30|-05:30|-0530|-05:30
+05:30:15 0 +05:30:15|+0530|GMT+05:30:15|+05:30:15|+0530|+05:30|+05:30:15|+0530|+05:30:15
+05:30:15 1720107045678 +05:30:15|+0530|GMT+05:30:15|+05:30:15|+0530|+05:30|+05:30:15|+0530|+05:30:15
+05:30:15 1705305909042 +05:30:15|+0530|GMT+05:30:15|+05:30:15|+0530|+05:30|+05:30:15|+0530|+05:30:15
+05:30:15 -3773779200000 +05:30:15|+0530|GMT+05:30:15|+05:30:15|+0530|+05:30|+05:30:15|+0530|+05:30:15
+05:30:15 44582400000 +05:30:15|+0530|GMT+05:30:15|+05:30:15|+0530|+05:30|+05:30:15|+0530|+05:30:15
-00:00 0 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
-00:00 1720107045678 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
-00:00 1705305909042 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
-00:00 -3773779200000 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
-00:00 44582400000 Z|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC+00:00 0 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC+00:00 1720107045678 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC+00:00 1705305909042 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC+00:00 -3773779200000 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
UTC+00:00 44582400000 UTC|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT+0 0 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT+0 1720107045678 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT+0 1705305909042 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT+0 -3773779200000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
GMT+0 44582400000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
EST5EDT 0 EST|-0500|GMT-05:00|-05:00|-05|-05:00|-05:00|-05|-05:00
EST5EDT 1720107045678 EDT|-0400|GMT-04:00|-04:00|-04|-04:00|-04:00|-04|-04:00
EST5EDT 1705305909042 EST|-0500|GMT-05:00|-05:00|-05|-05:00|-05:00|-05|-05:00
EST5EDT 44582400000 EDT|-0400|GMT-04:00|-04:00|-04|-04:00|-04:00|-04|-04:00
US/Mountain 0 MST|-0700|GMT-07:00|-07:00|-07|-07:00|-07:00|-07|-07:00
US/Mountain 1720107045678 MDT|-0600|GMT-06:00|-06:00|-06|-06:00|-06:00|-06|-06:00
US/Mountain 1705305909042 MST|-0700|GMT-07:00|-07:00|-07|-07:00|-07:00|-07|-07:00
US/Mountain -3773779200000 MST|-0659|GMT-06:59:56|-06:59:56|-0659|-06:59|-06:59:56|-0659|-06:59:56
US/Mountain 44582400000 MDT|-0600|GMT-06:00|-06:00|-06|-06:00|-06:00|-06|-06:00
Asia/Calcutta 0 IST|+0530|GMT+05:30|+05:30|+0530|+05:30|+05:30|+0530|+05:30
Asia/Calcutta 1720107045678 IST|+0530|GMT+05:30|+05:30|+0530|+05:30|+05:30|+0530|+05:30
Asia/Calcutta 1705305909042 IST|+0530|GMT+05:30|+05:30|+0530|+05:30|+05:30|+0530|+05:30
Asia/Calcutta -3773779200000 IST|+0553|GMT+05:53:28|+05:53:28|+0553|+05:53|+05:53:28|+0553|+05:53:28
Asia/Calcutta 44582400000 IST|+0530|GMT+05:30|+05:30|+0530|+05:30|+05:30|+0530|+05:30
Etc/GMT+2 0 GMT-02:00|-0200|GMT-02:00|-02:00|-02|-02:00|-02:00|-02|-02:00
Etc/GMT+2 1720107045678 GMT-02:00|-0200|GMT-02:00|-02:00|-02|-02:00|-02:00|-02|-02:00
Etc/GMT+2 1705305909042 GMT-02:00|-0200|GMT-02:00|-02:00|-02|-02:00|-02:00|-02|-02:00
Etc/GMT+2 -3773779200000 GMT-02:00|-0200|GMT-02:00|-02:00|-02|-02:00|-02:00|-02|-02:00
Etc/GMT+2 44582400000 GMT-02:00|-0200|GMT-02:00|-02:00|-02|-02:00|-02:00|-02|-02:00
Europe/Dublin 0 IST|+0100|GMT+01:00|+01:00|+01|+01:00|+01:00|+01|+01:00
Europe/Dublin 1720107045678 IST|+0100|GMT+01:00|+01:00|+01|+01:00|+01:00|+01|+01:00
Europe/Dublin 1705305909042 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Europe/Dublin -3773779200000 GMT|-0025|GMT-00:25:21|-00:25:21|-0025|-00:25|-00:25:21|-0025|-00:25:21
Europe/Dublin 44582400000 IST|+0100|GMT+01:00|+01:00|+01|+01:00|+01:00|+01|+01:00
Africa/Monrovia 0 GMT|-0044|GMT-00:44:30|-00:44:30|-0044|-00:44|-00:44:30|-0044|-00:44:30
Africa/Monrovia 1720107045678 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Africa/Monrovia 1705305909042 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Africa/Monrovia -3773779200000 GMT|-0043|GMT-00:43:08|-00:43:08|-0043|-00:43|-00:43:08|-0043|-00:43:08
Africa/Monrovia 44582400000 GMT|-0044|GMT-00:44:30|-00:44:30|-0044|-00:44|-00:44:30|-0044|-00:44:30
America/Sao_Paulo 0 BRT|-0300|GMT-03:00|-03:00|-03|-03:00|-03:00|-03|-03:00
America/Sao_Paulo 1720107045678 BRT|-0300|GMT-03:00|-03:00|-03|-03:00|-03:00|-03|-03:00
America/Sao_Paulo 1705305909042 BRT|-0300|GMT-03:00|-03:00|-03|-03:00|-03:00|-03|-03:00
America/Sao_Paulo -3773779200000 BRT|-0306|GMT-03:06:28|-03:06:28|-0306|-03:06|-03:06:28|-0306|-03:06:28
America/Sao_Paulo 44582400000 BRT|-0300|GMT-03:00|-03:00|-03|-03:00|-03:00|-03|-03:00
Antarctica/Troll 0 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Antarctica/Troll 1720107045678 CEST|+0200|GMT+02:00|+02:00|+02|+02:00|+02:00|+02|+02:00
Antarctica/Troll 1705305909042 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Antarctica/Troll -3773779200000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
Antarctica/Troll 44582400000 GMT|+0000|GMT|Z|Z|Z|Z|+00|+00:00
@ y|yy|yyy|yyyy|yyyyy|yyyyyyyyyyyyyyyyyyy
UTC -62135596800000 1|01|001|0001|00001|0000000000000000001
UTC -62135596800001 1|01|001|0001|00001|0000000000000000001
UTC -65286259200000 100|00|100|0100|00100|0000000000000000100
UTC -30620040650991 999|99|999|0999|00999|0000000000000000999
UTC 1720107045678 2024|24|2024|2024|02024|0000000000000002024
UTC 3833727840000000 123456|56|123456|+123456|+123456|0000000000000123456
@ S|SS|SSS|SSSS|SSSSSSSSS h H a
UTC -1 9|99|999|9990|999000000 11 23 PM
UTC 1 0|00|001|0010|001000000 12 0 AM
UTC 12 0|01|012|0120|012000000 12 0 AM
UTC 43200123 1|12|123|1230|123000000 12 12 PM
UTC 86399999 9|99|999|9990|999000000 11 23 PM
@ ''|'a''b'|''''|'it''s o''clock'|é ~ /:,.-
UTC 0 '|a'b|'|it's o'clock|é ~ /:,.-
@ MMM MMMM MMMMM EEE EEEE EEEEE
UTC 1725148800000 Sep September S Sun Sunday S
UTC 1715126400000 May May M Wed Wednesday W
UTC 1718323200000 Jun June J Fri Friday F
@ yyyy-MM-dd HH:mm:ss.SSS z XXX
Europe/Dublin -37242000001 1968-10-26 23:59:59.999 IST +01:00
Europe/Dublin -37242000000 1968-10-27 00:00:00.000 IST +01:00
Europe/Dublin 0 1970-01-01 01:00:00.000 IST +01:00
Europe/Dublin 57722399999 1971-10-31 02:59:59.999 IST +01:00
Europe/Dublin 57722400000 1971-10-31 02:00:00.000 GMT Z
Europe/Dublin 1705320000000 2024-01-15 12:00:00.000 GMT Z
Europe/Dublin 1720094400000 2024-07-04 13:00:00.000 IST +01:00
Africa/Windhoek 637970399999 1990-03-20 23:59:59.999 CAT +02:00
Africa/Windhoek 637970400000 1990-03-21 00:00:00.000 WAT +02:00
Africa/Windhoek 764200799999 1994-03-20 23:59:59.999 WAT +02:00
Africa/Windhoek 764200800000 1994-03-20 23:00:00.000 CAT +01:00
Africa/Windhoek 1263556800000 2010-01-15 14:00:00.000 WAT +02:00
Africa/Windhoek 1279195200000 2010-07-15 13:00:00.000 CAT +01:00
Africa/Windhoek 1508795999999 2017-10-23 23:59:59.999 WAT +02:00
Africa/Windhoek 1508796000000 2017-10-24 00:00:00.000 WAT +02:00
Africa/Windhoek 1720094400000 2024-07-04 14:00:00.000 WAT +02:00
"#;

    #[test]
    fn formats_every_vector_as_java_does() {
        let mut current: Option<JavaDateFormat> = None;
        let mut checked = 0;
        let mut failures = Vec::new();
        for line in JAVA_VECTORS.lines().filter(|line| !line.is_empty()) {
            if let Some(pattern) = line.strip_prefix("@ ") {
                current = Some(JavaDateFormat::parse(pattern).unwrap());
                continue;
            }
            let format = current.as_ref().expect("a pattern line comes first");
            let mut parts = line.splitn(3, ' ');
            let (id, millis, expected) = (
                parts.next().unwrap(),
                parts.next().unwrap(),
                parts.next().unwrap(),
            );
            let actual = format.format(millis.parse().unwrap(), &zone(id).unwrap());
            if actual != expected {
                failures.push(format!("{id} {millis}: Java {expected:?}, here {actual:?}"));
            }
            checked += 1;
        }
        assert!(
            failures.is_empty(),
            "{} of {checked} differ:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(checked, 1500 + 104 + 16);
    }

    #[test]
    fn the_default_pattern_is_supported() {
        let format = JavaDateFormat::parse(JavaDateFormat::DEFAULT).unwrap();
        let denver = zone("America/Denver").unwrap();
        assert_eq!(
            format.format(1_720_107_045_678, &denver),
            "7/4/2024 09:30:45 AM MDT"
        );
    }

    /// Every refusal, with what Java 17 does with the same pattern: we may refuse more than
    /// Java, never format differently.
    #[test]
    fn refuses_patterns_it_does_not_reproduce() {
        use PatternError::*;
        let count = |letter, count| UnsupportedCount { letter, count };
        let cases = [
            // Java accepts these; their rules (eras, week fields, standalone forms, ...) are
            // not reproduced here.
            ("G", UnsupportedLetter('G')),
            ("QQQ", UnsupportedLetter('Q')),
            ("w", UnsupportedLetter('w')),
            ("uuuu-MM-dd", UnsupportedLetter('u')),
            ("k:mm", UnsupportedLetter('k')),
            ("K", UnsupportedLetter('K')),
            ("D", UnsupportedLetter('D')),
            ("O", UnsupportedLetter('O')),
            ("VV", UnsupportedLetter('V')),
            ("v", UnsupportedLetter('v')),
            ("B", UnsupportedLetter('B')),
            ("yyyy[MM]", ReservedCharacter('[')),
            ("zzzz", count('z', 4)),
            // Java refuses these too.
            ("]", ReservedCharacter(']')),
            ("{", ReservedCharacter('{')),
            ("}", ReservedCharacter('}')),
            ("#", ReservedCharacter('#')),
            ("'abc", UnterminatedQuote),
            ("'''", UnterminatedQuote),
            ("b", UnsupportedLetter('b')),
            ("I", UnsupportedLetter('I')),
            ("p", UnsupportedLetter('p')),
            ("zzzzz", count('z', 5)),
            ("aa", count('a', 2)),
            ("ddd", count('d', 3)),
            ("HHH", count('H', 3)),
            ("hhh", count('h', 3)),
            ("mmm", count('m', 3)),
            ("sss", count('s', 3)),
            ("SSSSSSSSSS", count('S', 10)),
            ("MMMMMM", count('M', 6)),
            ("EEEEEE", count('E', 6)),
            ("ZZZZZZ", count('Z', 6)),
            ("XXXXXX", count('X', 6)),
            ("xxxxxx", count('x', 6)),
            ("yyyyyyyyyyyyyyyyyyyy", count('y', 20)),
        ];
        for (pattern, expected) in cases {
            assert_eq!(JavaDateFormat::parse(pattern), Err(expected), "{pattern}");
        }
    }

    #[test]
    fn errors_name_the_offending_character() {
        let message = |pattern: &str| JavaDateFormat::parse(pattern).unwrap_err().to_string();
        assert_eq!(message("G"), "pattern letter 'G' is not supported");
        assert_eq!(
            message("yyyy zzzz"),
            "pattern letter 'z' is not supported 4 times in a row"
        );
        assert!(message("HH[:mm]").contains("'['"));
        assert!(message("'open").contains("(')"));
    }

    #[test]
    fn the_tokenizer_merges_literals_and_decodes_quotes() {
        let format = JavaDateFormat::parse("'at' HH 'o''clock', '''ok'''").unwrap();
        assert_eq!(
            format.tokens,
            [
                Token::Literal("at ".into()),
                Token::Number(Field::Hour, 2),
                Token::Literal(" o'clock, 'ok'".into()),
            ]
        );
        assert_eq!(
            JavaDateFormat::parse("").unwrap().format(0, &TimeZone::UTC),
            ""
        );
    }

    #[test]
    fn zone_ids_follow_java() {
        // Java's ZoneId.of accepts all of these, and so do we.
        for id in [
            "UTC",
            "Z",
            "GMT",
            "GMT0",
            "UCT",
            "Zulu",
            "Universal",
            "Etc/UTC",
            "Etc/GMT+2",
            "+02:00",
            "+2",
            "+02",
            "+0",
            "-0530",
            "+05:30:15",
            "+020030",
            "+0000",
            "-00:00",
            "+18:00",
            "-18:00",
            "+1800",
            "UTC+00:00",
            "UTC-0",
            "GMT+0",
            "GMT-00:00",
            "EST5EDT",
            "PST8PDT",
            "CET",
            "US/Mountain",
            "Asia/Calcutta",
            "ROK",
            "Europe/Kyiv",
            "Europe/Kiev",
            "America/Denver",
        ] {
            assert!(zone(id).is_ok(), "{id}");
        }
        // Java refuses these.
        for id in [
            "Mars/Olympus",
            "america/denver",
            "utc",
            "EST",
            "MST",
            "HST",
            "America/Coyhaique",
            "Etc/Unknown",
            "",
            " UTC",
            "UTC0",
            "z",
            "+",
            "02:00",
            "+2:00",
            "+2:30",
            "-05:7",
            "+19:00",
            "+18:01",
            "+00:60",
        ] {
            assert_eq!(zone(id).err(), Some(UnknownZone(id.to_owned())), "{id}");
        }
        // Java accepts these, naming the zone by its id, which a jiff zone cannot carry.
        for id in [
            "UT",
            "UT+00:00",
            "UTC+02:00",
            "GMT+2",
            "UT-05:30",
            "SystemV/EST5",
        ] {
            assert_eq!(zone(id).err(), Some(UnknownZone(id.to_owned())), "{id}");
        }
        assert_eq!(
            UnknownZone("Mars/Olympus".into()).to_string(),
            "unknown or unsupported time zone id 'Mars/Olympus'"
        );
    }

    #[test]
    fn zones_from_outside_are_named_by_their_offset() {
        let format = JavaDateFormat::parse("HH:mm z").unwrap();
        let plus_two = TimeZone::fixed(jiff::tz::offset(2));
        assert_eq!(format.format(0, &plus_two), "02:00 +02:00");
        assert_eq!(format.format(0, &TimeZone::UTC), "00:00 UTC");
    }

    #[test]
    fn the_zone_name_table_matches_the_bundled_database() {
        assert!(
            ZONE_NAMES.windows(2).all(|pair| pair[0].0 < pair[1].0),
            "sorted, no duplicates"
        );
        for &(id, standard, _) in ZONE_NAMES {
            assert!(!standard.is_empty(), "{id}");
            let zone = zone(id).unwrap_or_else(|error| panic!("{error}"));
            assert_eq!(zone.iana_name(), Some(id));
        }
        for &(id, from, until) in JAVA_EXTRA_DAYLIGHT {
            assert!(java_short_names(id).is_some() && from < until, "{id}");
        }
    }
}
