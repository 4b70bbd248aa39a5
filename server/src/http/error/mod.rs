//! One error type at the HTTP edge, rendered as an HTML page or as JSON under `/api/`.
//!
//! Handlers return [`AppError`]; it logs its cause once and marks the response with an
//! [`ErrorInfo`]. The [`render`] middleware, which knows the request id and whether the
//! caller is the API, turns that (or a bare error status from axum or tower) into the body.
//! Every code it answers with is an [`ErrorCode`]; [`domain`] says which one each domain
//! error gets.

use std::any::Any;

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use shelter_frontend::i18n::Translator;
use shelter_frontend::pages::error::{self as error_page, ErrorPage};
use shelter_shared::api::{ErrorBody, ErrorCode, ErrorDetail};
use shelter_shared::language::Language;

use super::request_id::RequestId;

mod domain;

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing here, or nothing the caller may know about.
    #[error("not found")]
    NotFound,
    /// The body is larger than the limit.
    #[error("request body over {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Not signed in, or the credentials are wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// The input is malformed or not acceptable; `code` names the kind, `message` says what to fix.
    #[error("{message}")]
    Invalid {
        /// The kind of invalid input.
        code: ErrorCode,
        /// What to fix.
        message: String,
    },
    /// Several fields are wrong: a summary and a sentence per field.
    #[error("{message}")]
    InvalidFields {
        /// The kind of invalid input.
        code: ErrorCode,
        /// Summary.
        message: String,
        /// Field name → sentence.
        fields: std::collections::BTreeMap<String, String>,
    },
    /// The current state does not allow this.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts.
    #[error("{message}")]
    TooManyRequests {
        /// What to do.
        message: String,
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// axum refused the body (malformed JSON or form, wrong content type): its status and words.
    #[error("{message}")]
    Rejected {
        /// The status axum chose (400, 415, 422, 413).
        status: StatusCode,
        /// What axum said.
        message: String,
    },
    /// Shelter cannot serve this right now (the database cannot be reached, or a shared
    /// computation this request waited for failed); trying again later may succeed.
    #[error("unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// A bug or an unexpected failure; details stay in the log.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 with a code and a sentence saying what to fix.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Invalid { code, message: message.into() }
    }
}

/// The public face of an error, attached to the response for [`render`].
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The code.
    pub code: ErrorCode,
    /// A sentence for people.
    pub message: String,
    /// Per-field sentences.
    pub fields: Option<std::collections::BTreeMap<String, String>>,
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Invalid { .. } | AppError::InvalidFields { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Rejected { status, .. } => *status,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The sentence shown to people (never the internal cause).
    pub fn public_message(&self) -> String {
        self.info().message
    }

    /// The code a client acts on (and a staff page words in its reader's language).
    pub fn code(&self) -> ErrorCode {
        self.info().code
    }

    fn info(&self) -> ErrorInfo {
        match self {
            AppError::PayloadTooLarge { limit } => ErrorInfo {
                code: ErrorCode::PayloadTooLarge,
                message: format!("The request is too large: at most {limit} bytes are accepted."),
                fields: None,
            },
            AppError::Unauthorized(message) => {
                ErrorInfo { code: ErrorCode::Unauthorized, message: message.clone(), fields: None }
            }
            AppError::Forbidden(message) => {
                ErrorInfo { code: ErrorCode::Forbidden, message: message.clone(), fields: None }
            }
            AppError::Invalid { code, message } => ErrorInfo { code: *code, message: message.clone(), fields: None },
            AppError::InvalidFields { code, message, fields } => {
                ErrorInfo { code: *code, message: message.clone(), fields: Some(fields.clone()) }
            }
            AppError::Conflict(message) => {
                ErrorInfo { code: ErrorCode::Conflict, message: message.clone(), fields: None }
            }
            AppError::TooManyRequests { message, .. } => {
                ErrorInfo { code: ErrorCode::TooManyRequests, message: message.clone(), fields: None }
            }
            AppError::Rejected { status, message } => {
                ErrorInfo { code: default_info(*status).code, message: message.clone(), fields: None }
            }
            other => default_info(other.status()),
        }
    }
}

/// Whether `cause` (or anything it wraps) is the database being unreachable.
fn database_unavailable(cause: &anyhow::Error) -> bool {
    cause.chain().any(|e| {
        matches!(
            e.downcast_ref::<sqlx::Error>(),
            Some(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_))
        )
    })
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // Services wrap database errors; an unreachable database is still a 503, not a bug.
        match self {
            AppError::Internal(cause) if database_unavailable(&cause) => {
                tracing::warn!(error = format!("{cause:#}"), "database unavailable");
                let mut response = StatusCode::SERVICE_UNAVAILABLE.into_response();
                response.extensions_mut().insert(default_info(StatusCode::SERVICE_UNAVAILABLE));
                response
            }
            other => other.respond(),
        }
    }
}

impl AppError {
    fn respond(self) -> Response {
        match &self {
            AppError::Internal(cause) => tracing::error!(error = format!("{cause:#}"), "request failed"),
            AppError::Unavailable(cause) => tracing::warn!(error = format!("{cause:#}"), "unavailable"),
            _ => {}
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyRequests { retry_after_secs, .. } = &self
            && let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response.extensions_mut().insert(self.info());
        response
    }
}

/// The code and message for a status that carries no [`ErrorInfo`] of its own.
fn default_info(status: StatusCode) -> ErrorInfo {
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => (ErrorCode::BadRequest, "The request could not be understood."),
        StatusCode::UNAUTHORIZED => (ErrorCode::Unauthorized, "Please sign in."),
        StatusCode::FORBIDDEN => (ErrorCode::Forbidden, "You may not do this."),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "There is nothing at this address."),
        StatusCode::METHOD_NOT_ALLOWED => (ErrorCode::MethodNotAllowed, "This address does not accept that method."),
        StatusCode::REQUEST_TIMEOUT => (ErrorCode::Timeout, "The request took too long. Please try again."),
        StatusCode::CONFLICT => (ErrorCode::Conflict, "This was changed meanwhile. Please reload and try again."),
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::PayloadTooLarge, "The request is too large."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UnsupportedMediaType, "This type of content is not accepted.")
        }
        StatusCode::UNPROCESSABLE_ENTITY => (ErrorCode::Unprocessable, "Some of the values sent are not valid."),
        StatusCode::TOO_MANY_REQUESTS => (ErrorCode::TooManyRequests, "Too many attempts. Please wait and try again."),
        StatusCode::SERVICE_UNAVAILABLE => (
            ErrorCode::Unavailable,
            "Shelter is briefly unavailable. Nothing you sent was lost; please try again in a minute.",
        ),
        _ if status.is_client_error() => (ErrorCode::BadRequest, "The request could not be served."),
        _ => (ErrorCode::Internal, "Something went wrong on our side. Please try again."),
    };
    ErrorInfo { code, message: message.to_owned(), fields: None }
}

fn title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::SERVICE_UNAVAILABLE => "Temporarily unavailable",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::TOO_MANY_REQUESTS => "Please wait",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong",
    }
}

/// Gives every error response its body: JSON under `/api/`, an HTML page elsewhere.
pub async fn render(request: Request, next: Next) -> Response {
    let request_id = request.extensions().get::<RequestId>().map(|r| r.0.clone());
    let is_api = request.uri().path().starts_with("/api/");
    let requester = requester_language(request.uri());
    let response = next.run(request).await;
    let status = response.status();
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        // Errors produced by axum or tower (405, 408, 413 from the extractors) come as
        // plain text; handlers that write their own JSON or HTML error bodies are left alone.
        None if (status.is_client_error() || status.is_server_error()) && !has_rendered_body(&response) => {
            default_info(status)
        }
        None => return response,
    };
    let (mut parts, _) = response.into_parts();
    // The body is replaced by one that is not compressed: drop what described the old one.
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    let body = if is_api {
        let body = ErrorBody {
            error: ErrorDetail { code: info.code, message: info.message, request_id, fields: info.fields },
        };
        Json(body).into_response()
    } else if let Some(t) = requester {
        Html(error_page::render_requester(t, status.as_u16(), request_id.as_deref())).into_response()
    } else {
        Html(error_page::render(ErrorPage {
            status: status.as_u16(),
            title: title(status),
            message: &info.message,
            request_id: request_id.as_deref(),
        }))
        .into_response()
    };
    let (body_parts, body) = body.into_parts();
    if let Some(content_type) = body_parts.headers.get(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, content_type.clone());
    }
    Response::from_parts(parts, body)
}

/// The requester's language for an error page anywhere outside the staff area: `?lang=`,
/// else English from the catalogue. `None` for staff pages, which stay in English.
fn requester_language(uri: &axum::http::Uri) -> Option<Translator> {
    if uri.path() == "/staff" || uri.path().starts_with("/staff/") {
        return None;
    }
    let lang = uri.query().into_iter().flat_map(|q| q.split('&')).find_map(|pair| pair.strip_prefix("lang="));
    Some(Translator::new(lang.and_then(|l| l.parse::<Language>().ok()).unwrap_or_default()))
}

fn has_rendered_body(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json") || ct.starts_with("text/html"))
}

/// A panic becomes a plain 500 (rendered by [`render`]); the panic message is logged, never shown.
pub fn panic_response(cause: Box<dyn Any + Send + 'static>) -> Response {
    let detail = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "request handler panicked");
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}
