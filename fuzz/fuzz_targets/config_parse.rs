//! Configuration documents (YAML or JSON) and the keys they carry.
//!
//! Oracles: no panic, and no runaway (alias expansion, deep nesting) past libFuzzer's
//! timeout; a document that parses also validates, loads its keys or says which one is
//! bad, and survives a round trip through its own serialization unchanged.
#![no_main]

use authlet_core::config::Config;
use authlet_sidecar::state::Runtime;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(config) = Config::parse(text) else {
        return;
    };
    assert!(config.validate().is_ok());
    if let Err(error) = Runtime::new(config.clone()) {
        assert!(error.to_string().starts_with("keys["), "{error}");
    }
    let rendered = serde_json::to_string(&config).expect("a config serializes");
    let reread = Config::parse(&rendered).unwrap_or_else(|e| panic!("{rendered}: {e}"));
    assert_eq!(reread, config);
});
