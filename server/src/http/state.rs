//! What every handler can reach.

use std::sync::Arc;

use sqlx::PgPool;

/// Settings the HTTP layer needs, fixed at start.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Served over TLS behind a proxy: send HSTS, mark cookies Secure.
    pub https: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds before a request is answered 408.
    pub request_timeout_secs: u64,
}

/// The application state shared by all handlers.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: PgPool,
    /// HTTP settings.
    pub config: Arc<HttpConfig>,
}
