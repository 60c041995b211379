//! `crds/` and the chart's `crds/` must hold exactly what the Rust types generate.
//! Regenerate both with:
//!   cargo run -p authlet-operator -- crds --out crds
//!   cargo run -p authlet-operator -- crds --out charts/authlet/crds
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

#[test]
fn committed_crds_match_the_rust_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for directory in ["crds", "charts/authlet/crds"] {
        for (name, yaml) in authlet_operator::crds::manifests().unwrap() {
            let path = root.join(directory).join(&name);
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                committed == yaml,
                "{} is out of date: regenerate it with `cargo run -p authlet-operator -- crds --out {directory}`",
                path.display()
            );
        }
    }
}
