//! The committed JSON Schema must match the Rust types: editors and the operator read
//! the file, so a change to the contract has to show up in review as a schema diff.

use authlet_core::config::Config;

#[test]
fn committed_schema_matches_the_config_types() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/authlet-config.schema.json"
    );
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file is readable"))
            .expect("schema file is JSON");
    assert!(
        committed == Config::json_schema(),
        "schema/authlet-config.schema.json is stale; regenerate it with\n  cargo run -p authlet-sidecar -- config schema > schema/authlet-config.schema.json"
    );
}
