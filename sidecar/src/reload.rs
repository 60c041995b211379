//! Hot reload: watch the config file's directory and swap in each valid new version.
//!
//! Kubernetes updates a mounted Secret by swapping the `..data` symlink in the mount's
//! directory, so the file's own inode never changes; watching the directory and comparing
//! content catches that as well as editors' write-and-rename. A slow poll backs the
//! watcher up where inotify is unavailable (and off Linux). An invalid file is logged and
//! ignored: the last good configuration keeps serving.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use authlet_core::config::Config;
use futures::{FutureExt as _, StreamExt as _};

use crate::metrics::{Outcome, ReloadLabels};
use crate::state::{AppState, Runtime};

const POLL_INTERVAL: Duration = Duration::from_secs(5);
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Reads, parses and prepares a configuration file.
pub fn load(path: &Path) -> anyhow::Result<(Runtime, String)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let config = Config::parse(&text)?;
    let runtime = Runtime::new(config)?;
    Ok((runtime, text))
}

/// What the watcher asks inotify for in the config file's directory: a finished write,
/// a rename into it (an editor's save, the kubelet's `..data` swap), a creation or a
/// deletion, and the directory itself going away. Not each write or open: a SQLite
/// database beside the config raises those with every login, and waking for them (as
/// the `notify` crate's fixed mask did) cost about 2 % of the sidecar's CPU under load.
#[cfg(target_os = "linux")]
const WATCHED: inotify::WatchMask = inotify::WatchMask::CLOSE_WRITE
    .union(inotify::WatchMask::MOVED_TO)
    .union(inotify::WatchMask::CREATE)
    .union(inotify::WatchMask::DELETE)
    .union(inotify::WatchMask::DELETE_SELF)
    .union(inotify::WatchMask::MOVE_SELF);

/// Events in the config file's directory, for as long as it can be watched.
#[cfg(target_os = "linux")]
type DirectoryEvents = inotify::EventStream<[u8; 4096]>;
#[cfg(not(target_os = "linux"))]
type DirectoryEvents = futures::stream::Pending<std::io::Result<DirectoryEvent>>;

#[cfg(target_os = "linux")]
type DirectoryEvent = inotify::Event<std::ffi::OsString>;
#[cfg(not(target_os = "linux"))]
type DirectoryEvent = std::convert::Infallible;

#[cfg(target_os = "linux")]
fn watch_directory(directory: &Path) -> std::io::Result<DirectoryEvents> {
    let inotify = inotify::Inotify::init()?;
    inotify.watches().add(directory, WATCHED)?;
    inotify.into_event_stream([0; 4096])
}

#[cfg(not(target_os = "linux"))]
fn watch_directory(_directory: &Path) -> std::io::Result<DirectoryEvents> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// What an event says about the configuration.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    /// Worth reading the file again.
    MayHaveChanged,
    /// Another file's event, such as a database's beside the config.
    Unrelated,
    /// The watch is gone (the directory was removed or moved): poll from now on.
    WatchEnded,
}

/// What `event` in the config file's directory says: the file itself and the
/// `..`-prefixed entries through which the kubelet swaps a mounted Secret (`..data`,
/// `..2026_…`) may have changed it; lost events may have too.
#[cfg(target_os = "linux")]
fn seen(event: &DirectoryEvent, file_name: &OsStr) -> Seen {
    use inotify::EventMask;
    if event.mask.contains(EventMask::IGNORED) {
        return Seen::WatchEnded;
    }
    if event.mask.contains(EventMask::Q_OVERFLOW)
        || event
            .mask
            .intersects(EventMask::DELETE_SELF | EventMask::MOVE_SELF)
    {
        return Seen::MayHaveChanged;
    }
    match &event.name {
        Some(name) if name != file_name && !name.as_encoded_bytes().starts_with(b"..") => {
            Seen::Unrelated
        }
        _ => Seen::MayHaveChanged,
    }
}

#[cfg(not(target_os = "linux"))]
fn seen(event: &DirectoryEvent, _file_name: &OsStr) -> Seen {
    match *event {}
}

/// What the watcher's next item says; a failed or ended stream ends the watch, and the
/// poll carries on alone.
fn outcome_of(event: Option<std::io::Result<DirectoryEvent>>, file_name: &OsStr) -> Seen {
    let outcome = match event {
        Some(Ok(event)) => seen(&event, file_name),
        Some(Err(error)) => {
            tracing::warn!(%error, "watching the config's directory failed");
            Seen::WatchEnded
        }
        None => Seen::WatchEnded,
    };
    if outcome == Seen::WatchEnded {
        tracing::warn!("no longer watching the config's directory; polling the config every 5 s");
    }
    outcome
}

/// Fields read once at startup: the listener, its TLS and the database pool are not
/// rebuilt on reload. A change to them is valid but would be silently ignored, which
/// reads like it was applied — so it is named in a warning instead.
fn restart_only_changes(running: &Config, next: &Config) -> Vec<&'static str> {
    let mut changed = Vec::new();
    if running.listen != next.listen {
        changed.push("listen");
    }
    if running.database.url != next.database.url {
        changed.push("database.url");
    }
    if running.tls != next.tls {
        changed.push("tls");
    }
    changed
}

/// Runs until the process ends, applying valid changes to `state`.
pub async fn watch(state: Arc<AppState>, path: PathBuf, mut current: String) {
    let directory = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let file_name = path
        .file_name()
        .map(OsStr::to_os_string)
        .unwrap_or_default();
    let mut events = match watch_directory(&directory) {
        Ok(events) => Some(events),
        Err(error) => {
            tracing::warn!(%error, "file watching unavailable; polling the config every 5 s");
            None
        }
    };
    loop {
        let next_event = async {
            match events.as_mut() {
                Some(events) => events.next().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = next_event => {
                match outcome_of(event, &file_name) {
                    Seen::Unrelated => continue,
                    Seen::WatchEnded => events = None,
                    Seen::MayHaveChanged => {
                        tokio::time::sleep(DEBOUNCE).await;
                        // What else arrived while waiting is covered by the read below,
                        // unless it says the watch is gone.
                        while let Some(event) = events.as_mut().and_then(|e| e.next().now_or_never()) {
                            if outcome_of(event, &file_name) == Seen::WatchEnded {
                                events = None;
                            }
                        }
                    }
                }
            }
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
        let Ok(text) = tokio::fs::read_to_string(&path).await else {
            continue;
        };
        if text == current {
            continue;
        }
        let candidate = path.clone();
        match tokio::task::spawn_blocking(move || load(&candidate)).await {
            Ok(Ok((runtime, text))) => {
                let unapplied = restart_only_changes(&state.runtime().config, &runtime.config);
                if !unapplied.is_empty() {
                    tracing::warn!(path = %path.display(), fields = ?unapplied, "changed fields take effect only at the next restart; the rest is reloaded");
                }
                state.replace_runtime(runtime);
                current = text;
                state
                    .metrics
                    .config_reloads
                    .get_or_create(&ReloadLabels {
                        outcome: Outcome::Success,
                    })
                    .inc();
                tracing::info!(path = %path.display(), "configuration reloaded");
            }
            Ok(Err(error)) => {
                // Remember the bad text so it is reported once, not every poll.
                current = text;
                state
                    .metrics
                    .config_reloads
                    .get_or_create(&ReloadLabels {
                        outcome: Outcome::Failure,
                    })
                    .inc();
                tracing::error!(path = %path.display(), %error, "configuration rejected; still serving the previous one");
            }
            Err(error) => tracing::error!(%error, "configuration reload task failed"),
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// Events in a watched directory until one names `name`, or all of them if none
    /// does within 5 s.
    async fn events_until(events: &mut DirectoryEvents, name: &str) -> Vec<DirectoryEvent> {
        let mut seen = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while let Ok(Some(Ok(event))) = tokio::time::timeout_at(deadline, events.next()).await {
            let done = event.name.as_deref() == Some(OsStr::new(name));
            seen.push(event);
            if done {
                break;
            }
        }
        seen
    }

    /// A database written beside the config raises no event per write, and what does
    /// arrive for it is unrelated; saving the config (written elsewhere, renamed in) is
    /// seen. With `notify`'s mask, each of the writes below was an event.
    #[tokio::test]
    async fn writes_beside_the_config_do_not_wake_the_watcher_and_a_save_does() {
        let dir = tempfile::tempdir().unwrap();
        let config = OsStr::new("config.yaml");
        let mut events = watch_directory(dir.path()).unwrap();
        let mut database = std::fs::File::create(dir.path().join("authlet.db-wal")).unwrap();
        for _ in 0..200 {
            database
                .write_all(b"a page of the write-ahead log")
                .unwrap();
            database.flush().unwrap();
        }
        std::fs::write(dir.path().join(".config.yaml.swp"), "tenants: []").unwrap();
        std::fs::rename(
            dir.path().join(".config.yaml.swp"),
            dir.path().join("config.yaml"),
        )
        .unwrap();

        let seen_events = events_until(&mut events, "config.yaml").await;
        assert!(seen_events.len() <= 4, "{seen_events:?}");
        let (config_events, others): (Vec<_>, Vec<_>) = seen_events
            .iter()
            .partition(|e| e.name.as_deref() == Some(config));
        assert_eq!(config_events.len(), 1, "{seen_events:?}");
        assert_eq!(seen(config_events[0], config), Seen::MayHaveChanged);
        for other in others {
            assert_eq!(seen(other, config), Seen::Unrelated, "{other:?}");
        }
    }

    /// The kubelet's swap of a mounted Secret: a new `..`-prefixed directory, and the
    /// `..data` link renamed over the old one.
    #[tokio::test]
    async fn a_kubelet_style_swap_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let config = OsStr::new("config.yaml");
        let mut events = watch_directory(dir.path()).unwrap();
        std::fs::create_dir(dir.path().join("..2026_11_28_04_00_00.1")).unwrap();
        std::os::unix::fs::symlink("..2026_11_28_04_00_00.1", dir.path().join("..data_tmp"))
            .unwrap();
        std::fs::rename(dir.path().join("..data_tmp"), dir.path().join("..data")).unwrap();
        let seen_events = events_until(&mut events, "..data").await;
        assert_eq!(
            seen_events.last().and_then(|e| e.name.clone()).as_deref(),
            Some(OsStr::new("..data"))
        );
        for event in &seen_events {
            assert_eq!(seen(event, config), Seen::MayHaveChanged, "{event:?}");
        }
    }

    /// The directory removed: the watch ends, and the caller falls back to polling.
    #[tokio::test]
    async fn a_removed_directory_ends_the_watch() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("config");
        std::fs::create_dir(&dir).unwrap();
        let mut events = watch_directory(&dir).unwrap();
        std::fs::remove_dir(&dir).unwrap();
        let config = OsStr::new("config.yaml");
        let mut outcomes = Vec::new();
        while let Ok(Some(Ok(event))) =
            tokio::time::timeout(Duration::from_secs(5), events.next()).await
        {
            outcomes.push(seen(&event, config));
            if outcomes.last() == Some(&Seen::WatchEnded) {
                break;
            }
        }
        assert_eq!(outcomes.last(), Some(&Seen::WatchEnded), "{outcomes:?}");
    }
}
