//! `authlet-operator`: will reconcile `Tenant` and `Application` objects into sidecar
//! configuration. Until the operator lands, the sidecar runs from hand-written config
//! files (see the README), and this binary says so instead of pretending to work.

fn main() -> std::process::ExitCode {
    eprintln!("authlet-operator is not implemented yet; run authlet-sidecar with --config");
    std::process::ExitCode::from(2)
}
