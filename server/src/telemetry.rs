//! Logging: one line per event with its request id, filtered by `RUST_LOG`.
//! Never logs bodies, names, narratives, contacts, tokens or addresses (docs/LOGGING.md).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the log subscriber; `RUST_LOG` overrides the default level.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}
