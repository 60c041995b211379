//! Links the sidecar's binaries with packed relative relocations (DT_RELR).
//!
//! The sidecar is a position-independent executable, and the dynamic loader reads its
//! whole table of relative relocations at every start: about 870 KiB in the classic RELA
//! form, all of it resident for the life of a process that runs in every pod. RELR
//! encodes the same relocations as bitmaps in a few KiB. GNU ld from 2.38 and lld from 15
//! produce it; glibc reads it from 2.36 (Debian 12), and the linker records that need as
//! a symbol version, so an older glibc refuses the binary at start instead of misloading
//! it.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
