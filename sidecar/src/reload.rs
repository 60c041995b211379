//! Hot reload: watch the config file's directory and swap in each valid new version.
//!
//! Kubernetes updates a mounted Secret by swapping the `..data` symlink in the mount's
//! directory, so the file's own inode never changes; watching the directory and comparing
//! content catches that as well as editors' write-and-rename. A slow poll backs the
//! watcher up where inotify is unavailable. An invalid file is logged and ignored: the
//! last good configuration keeps serving.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use authlet_core::config::Config;
use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

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

/// Whether an event in the config file's directory may have changed the configuration.
///
/// Not an access: reading the file raises open and close events, and answering those
/// by reading it again kept an idle sidecar re-reading its config five times a second.
/// Not another file's change either, such as a SQLite database beside the config, which
/// changes with every login. What remains is the file itself and the `..`-prefixed
/// entries through which the kubelet swaps a mounted Secret (`..data`, `..2026_…`).
fn may_change(event: &notify::Event, file_name: &OsStr) -> bool {
    if event.need_rescan() {
        return true;
    }
    !event.kind.is_access()
        && event.paths.iter().any(|path| {
            path.file_name()
                .is_some_and(|name| name == file_name || name.as_encoded_bytes().starts_with(b".."))
        })
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
    let (tx, mut rx) = mpsc::channel::<()>(16);
    let directory = path
        .parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let file_name = path
        .file_name()
        .map(OsStr::to_os_string)
        .unwrap_or_default();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.as_ref().map_or(true, |e| may_change(e, &file_name)) {
            let _ = tx.try_send(());
        }
    })
    .and_then(|mut w| w.watch(&directory, RecursiveMode::NonRecursive).map(|()| w));
    let _watcher = match watcher {
        Ok(w) => Some(w),
        Err(error) => {
            tracing::warn!(%error, "file watching unavailable; polling the config every 5 s");
            None
        }
    };
    loop {
        tokio::select! {
            _ = rx.recv() => tokio::time::sleep(DEBOUNCE).await,
            () = tokio::time::sleep(POLL_INTERVAL) => {}
        }
        while rx.try_recv().is_ok() {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{
        AccessKind, AccessMode, CreateKind, DataChange, EventKind, Flag, ModifyKind, RenameMode,
    };
    use notify::Event;

    fn event(kind: EventKind, name: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from("/etc/authlet").join(name))
    }

    #[test]
    fn only_changes_to_the_config_or_the_kubelets_links_are_worth_a_read() {
        let config = OsStr::new("config.yaml");
        let modified = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Read));
        assert!(may_change(&event(modified, "config.yaml"), config));
        assert!(may_change(
            &event(
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                "config.yaml"
            ),
            config
        ));
        // The kubelet's swap of a mounted Secret.
        assert!(may_change(
            &event(
                EventKind::Create(CreateKind::Folder),
                "..2026_11_28_04_00_00.1"
            ),
            config
        ));
        assert!(may_change(
            &event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                "..data"
            ),
            config
        ));
        // Our own reads, and a database beside the config.
        assert!(!may_change(&event(opened, "config.yaml"), config));
        assert!(!may_change(&event(closed, "config.yaml"), config));
        assert!(!may_change(&event(modified, "authlet.db-wal"), config));
        // Events were lost: look.
        assert!(may_change(
            &Event::new(EventKind::Other).set_flag(Flag::Rescan),
            config
        ));
    }
}
