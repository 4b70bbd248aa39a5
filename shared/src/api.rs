//! Payloads of the JSON API that both sides agree on.

use serde::{Deserialize, Serialize};

/// The body of every JSON error: `{"error": {"code", "message", "request_id"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// One error: a stable machine-readable code and a human sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable, lowercase, snake_case code such as `not_found` or `payload_too_large`.
    pub code: String,
    /// A sentence for people; never carries case content or secrets.
    pub message: String,
    /// The id of the request, to find the matching server log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field problems, when the input had several (field name → sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<std::collections::BTreeMap<String, String>>,
}

/// The answer of `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`, or `unavailable` when a dependency is down.
    pub status: String,
}

/// `POST /api/v1/auth/enrol`: the one-time code and the new password.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The enrolment code from `shelter user add`.
    pub code: String,
    /// The new password (12 to 128 characters, not easily guessed).
    pub password: String,
}

/// The TOTP secret to add to an authenticator app.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    /// `otpauth://totp/…` URI.
    pub otpauth_uri: String,
    /// The same secret in base32, for typing by hand.
    pub secret: String,
}

/// `POST /api/v1/auth/enrol/confirm`: proof that the app works.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolConfirmRequest {
    /// The enrolment code again.
    pub code: String,
    /// A current six-digit code from the app.
    pub totp: String,
}

/// Ten single-use recovery codes, shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesResponse {
    /// The codes.
    pub recovery_codes: Vec<String>,
}

/// `POST /api/v1/auth/token`: sign in for a bearer token.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Sign-in e-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// A six-digit TOTP code (or give `recovery_code`).
    #[serde(default)]
    pub totp: Option<String>,
    /// A recovery code instead of a TOTP code.
    #[serde(default)]
    pub recovery_code: Option<String>,
}

/// A bearer token bound to a server-side session.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the session ends at the latest (it also ends after 15 minutes idle).
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/auth/step-up`: a fresh TOTP code before a sensitive action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepUpRequest {
    /// A current six-digit code, not used before.
    pub totp: String,
}

/// Who the caller is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Account id.
    pub id: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Roles.
    pub roles: Vec<crate::staff::Role>,
}

/// One live session of the caller.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// Session id (not its token).
    pub id: String,
    /// `browser` or `api`.
    pub kind: String,
    /// Started.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last used.
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// Whether it is the session making this request.
    pub current: bool,
}

/// A staff account as administrators see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAccount {
    /// Id.
    pub id: String,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Roles.
    pub roles: Vec<crate::staff::Role>,
    /// `enrolling`, `active` or `disabled`.
    pub status: String,
    /// Waits for a supervisor's confirmation before it can sign in (a privileged account an
    /// administrator created or reset).
    pub pending_confirmation: bool,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/admin/users`: a new staff account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaffRequest {
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// At least one role.
    pub roles: Vec<crate::staff::Role>,
    /// For a partner account: its organisation's id in the partner directory.
    #[serde(default)]
    pub partner_id: Option<String>,
}

/// A one-time enrolment code for an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentCode {
    /// The account.
    pub id: String,
    /// The code, shown once; valid 24 hours.
    pub enrolment_code: String,
    /// When it stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/requester/token`: open a case with its reference and passphrase.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequesterTokenRequest {
    /// The case reference, e.g. `SH-7K3M-Q9TD` (case and dashes do not matter).
    pub reference: String,
    /// The six-word passphrase.
    pub passphrase: String,
}

/// A requester's bearer token (15 minutes idle, 2 hours at most).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequesterTokenResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
}

/// One message as the requester sees it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequesterMessage {
    /// `you` or `network` (staff names are never shown).
    pub from: String,
    /// The text.
    pub body: String,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/v1/requester/case`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequesterCase {
    /// Reference.
    pub reference: String,
    /// `received`, `being_handled`, `referred`, `on_hold` or `closed`.
    pub status: String,
    /// The status in plain words, in the case's language.
    pub status_text: String,
    /// Messages, oldest first.
    pub messages: Vec<RequesterMessage>,
    /// When the network expects the next check-in, if it asked for check-ins.
    #[serde(default)]
    pub check_in_due_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `POST /api/v1/requester/messages` (and staff messages).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    /// The text (1 to 5000 characters).
    pub body: String,
}

/// A created message.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageCreated {
    /// Its id.
    pub id: String,
}

/// `POST /api/v1/requester/check-in`: "I am all right".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    /// The safe word agreed with the network, if one was.
    #[serde(default)]
    pub safe_word: Option<String>,
}

/// The answer to a check-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInAnswer {
    /// When the next check-in is due.
    pub next_due_at: chrono::DateTime<chrono::Utc>,
}

/// `PUT /api/v1/requester/duress-passphrase`: set or replace the second passphrase.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DuressPassphraseRequest {
    /// The second passphrase, 8 to 200 characters.
    pub passphrase: String,
}
