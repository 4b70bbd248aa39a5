//! Logging: one line per event with its request id, filtered by `RUST_LOG`; as text, or as
//! one JSON object per line with `SHELTER_LOG_FORMAT=json` (for journald and log shippers).
//! Never logs bodies, names, narratives, contacts, tokens or addresses (docs/LOGGING.md).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line: timestamp, level, message, fields, the current span's fields.
    Json,
}

impl LogFormat {
    /// Reads `SHELTER_LOG_FORMAT` (`text` or `json`); anything else is refused.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("SHELTER_LOG_FORMAT").ok().as_deref().map(str::trim) {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!("SHELTER_LOG_FORMAT must be `text` or `json`, not {other:?}")),
        }
    }
}

/// Installs the log subscriber; `RUST_LOG` overrides the default level.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
    };
}
