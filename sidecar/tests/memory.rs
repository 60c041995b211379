//! The allocator trim that returns a burst's memory (`memory::trim`). Its own test
//! binary, so that no other test allocates in the same process while RSS is measured.
#![cfg(all(target_os = "linux", target_env = "gnu"))]
#![allow(clippy::unwrap_used)]

use authlet_sidecar::memory::trim;

const MIB: u64 = 1024 * 1024;

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// The state a drained queue leaves: 64 MiB allocated in small pieces and all freed but
/// one piece in every 64 KiB, so that no free run reaches an arena's top and glibc keeps
/// every page resident on its own.
#[test]
fn memory_freed_in_scattered_pieces_goes_back_to_the_system() {
    const PIECE: usize = 1024;
    const PIECES: usize = 64 * 1024;
    trim();
    let baseline = resident_bytes();
    // Written, so that every page is resident.
    let mut pieces: Vec<Option<Box<[u8]>>> = (0..PIECES)
        .map(|_| Some(vec![1u8; PIECE].into_boxed_slice()))
        .collect();
    for (i, piece) in pieces.iter_mut().enumerate() {
        if i % 64 != 0 {
            *piece = None;
        }
    }
    let held = resident_bytes();
    assert!(
        held > baseline + 32 * MIB,
        "glibc did not keep the freed pieces resident: {baseline} -> {held} bytes"
    );

    assert!(trim(), "the trim returned nothing");
    let after = resident_bytes();
    assert!(
        after + 32 * MIB < held,
        "RSS went from {held} to only {after} bytes"
    );
    assert_eq!(pieces.iter().flatten().count(), PIECES / 64);
}
