//! Payloads of the JSON API that both sides agree on.

use serde::{Deserialize, Serialize};

/// The body of every JSON error: `{"error": {"code", "message", "request_id"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// One error: a stable machine-readable code and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable, lowercase, snake_case code such as `not_found` or `payload_too_large`.
    pub code: String,
    /// A sentence for people; never carries case content or secrets.
    pub message: String,
    /// The id of the request, to find the matching server log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The answer of `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`, or `unavailable` when a dependency is down.
    pub status: String,
}
