//! Payloads of the JSON API that both sides agree on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

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
    /// What went wrong, as a stable code a client can act on; `message` says it in words.
    pub code: ErrorCode,
    /// A sentence for people; never carries case content or secrets.
    pub message: String,
    /// The id of the request, to find the matching server log line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field problems, when the input had several (field name → sentence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<std::collections::BTreeMap<String, String>>,
}

named! {
    /// Every code Shelter answers an error with, in `error.code`. A client acts on the code
    /// (which field to mark, whether to sign in again, to wait, to reload); the sentence in
    /// `error.message` is for people and may change. Codes are never renamed or reused.
    ErrorCode {
        // Answers any request can get, one per HTTP status.
        /// 400: the body, a path or a query value is malformed.
        BadRequest => "bad_request",
        /// 401: no session or token, or it ended; or the credentials are not right.
        Unauthorized => "unauthorized",
        /// 403: the caller's roles or relation to the record do not allow it, or a fresh
        /// second factor is needed first.
        Forbidden => "forbidden",
        /// 404: nothing at this address, or nothing the caller may know of.
        NotFound => "not_found",
        /// 405: the address does not take this method.
        MethodNotAllowed => "method_not_allowed",
        /// 408: the request took too long.
        Timeout => "timeout",
        /// 409: the record changed meanwhile, or its state does not allow this now.
        Conflict => "conflict",
        /// 413: the body is larger than the server accepts.
        PayloadTooLarge => "payload_too_large",
        /// 415: the body is not of a media type this operation takes.
        UnsupportedMediaType => "unsupported_media_type",
        /// 422: a field is missing or of the wrong type (the body did not fit the schema).
        Unprocessable => "unprocessable",
        /// 429: too many attempts; `Retry-After` says how long to wait.
        TooManyRequests => "too_many_requests",
        /// 503: the database is unreachable for a moment; nothing sent was lost.
        Unavailable => "unavailable",
        /// 500: a failure on the server's side; the request id finds it in the log.
        Internal => "internal",

        // 422, sign-in and accounts.
        /// The enrolment code is unknown, used or expired.
        InvalidEnrolmentCode => "invalid_enrolment_code",
        /// The second-factor code did not match.
        InvalidCode => "invalid_code",
        /// The new password is too short, too long or too easily guessed.
        WeakPassword => "weak_password",
        /// Signing in needs exactly one of a TOTP code or a recovery code.
        SecondFactorRequired => "second_factor_required",
        /// An e-mail address is malformed.
        InvalidEmail => "invalid_email",
        /// A name is empty or too long.
        InvalidName => "invalid_name",
        /// An account is given no role, or roles that do not go together.
        InvalidRoles => "invalid_roles",
        /// A box confirming a destructive action was not ticked.
        ConfirmationNeeded => "confirmation_needed",
        /// A page language or time zone is not one Shelter offers.
        InvalidPreference => "invalid_preference",

        // 422, lists and figures.
        /// A list's filter (state, date, country, page, …) is not valid.
        InvalidFilter => "invalid_filter",
        /// A period is not valid: its end before its start, or a date that is not one.
        InvalidPeriod => "invalid_period",

        // 422, requests and the requester's side.
        /// An intake form has invalid fields, each named in `error.fields`.
        InvalidIntake => "invalid_intake",
        /// A message is empty or too long.
        InvalidMessage => "invalid_message",
        /// A message to a partner seems to hold details the requester did not consent to
        /// share with them (phone numbers, e-mail addresses, names the packet leaves out):
        /// reword it, or send it again with `send_anyway`.
        UnconsentedDetails => "unconsented_details",
        /// An attachment is of a type not accepted, too large, or one too many.
        InvalidAttachment => "invalid_attachment",
        /// The second passphrase is too short or too long, or the same as the first.
        InvalidPassphrase => "invalid_passphrase",
        /// The form was open too long; reload it and send it again.
        FormExpired => "form_expired",

        // 422, case work.
        /// A decision's written rationale is missing or too long.
        InvalidRationale => "invalid_rationale",
        /// Closing needs an outcome, chosen from the list.
        InvalidOutcome => "invalid_outcome",
        /// Triage needs a severity and an incident kind that has a playbook.
        InvalidTriage => "invalid_triage",
        /// The chosen assignee is not an active handler, or declared a conflict on the case.
        InvalidAssignee => "invalid_assignee",
        /// A check-in schedule is not valid (interval, grace, end date or safe word).
        InvalidSchedule => "invalid_schedule",
        /// A referral's purpose, summary or packet fields are not valid.
        InvalidReferral => "invalid_referral",
        /// A partner's answer to a referral is missing or too long.
        InvalidAnswer => "invalid_answer",
        /// A review of a decision is not valid: not a decision, or a comment of the wrong length.
        InvalidReview => "invalid_review",

        // 422, the directories.
        /// A partner is not in the directory, or a directory entry has invalid fields.
        InvalidPartner => "invalid_partner",
        /// A registry member is not valid or not found, field by field in `error.fields`.
        InvalidMember => "invalid_member",

        // 422, vouching.
        /// The vouching question is too short or too long.
        InvalidQuestion => "invalid_question",
        /// The people chosen to vouch are none, too many, unknown, or share an address.
        InvalidVouchers => "invalid_vouchers",
        /// One of the people chosen may not or cannot be asked to vouch (the message says who and why).
        VoucherNotEligible => "voucher_not_eligible",
        /// No e-mail or messenger bridge runs on this installation: nobody can be reached.
        NoChannel => "no_channel",

        // 422, funds and grants.
        /// The fund is not in the list, or cannot pay this grant (period, category, country).
        InvalidFund => "invalid_fund",
        /// An amount (grant, budget, payment, fees) is malformed, nothing, or too large.
        InvalidAmount => "invalid_amount",
        /// An exchange rate is missing where currencies differ, or malformed.
        InvalidRate => "invalid_rate",
        /// A currency is unknown, or a cap in it cannot be compared.
        InvalidCurrency => "invalid_currency",
        /// A country is not an ISO 3166-1 alpha-2 code.
        InvalidCountry => "invalid_country",
        /// The case's playbook does not fund this category of grant.
        InvalidCategory => "invalid_category",
        /// The amount is above the playbook's cap for the category, or the hard cap of any grant.
        OverCap => "over_cap",
        /// The case was not triaged under a playbook, so no grant can be proposed yet.
        NoPlaybook => "no_playbook",
        /// The payee's alias or payment details are missing or too long.
        InvalidPayee => "invalid_payee",
        /// A grant's purpose is missing or too long.
        InvalidPurpose => "invalid_purpose",
        /// A grant decision is neither approve nor reject.
        InvalidDecision => "invalid_decision",
        /// A payment's method is not one of the list.
        InvalidMethod => "invalid_method",
        /// A payment's external reference is missing, too long, or carries the case reference.
        InvalidReference => "invalid_reference",
        /// A date is malformed or in the future.
        InvalidDate => "invalid_date",
        /// A receipt note is too long.
        InvalidNote => "invalid_note",
        /// A report on a grant's use is empty or too long.
        InvalidReport => "invalid_report",

        // 422, notices.
        /// Notice preferences are not valid (a time, offset, language, address or handle).
        InvalidPreferences => "invalid_preferences",
        /// An on-call shift is not valid, or names no handler or supervisor account.
        InvalidShift => "invalid_shift",
    }
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

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn error_codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} is used twice");
            assert!(
                name.split('_').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{name} is not snake_case"
            );
            assert_eq!(name.parse::<ErrorCode>(), Ok(*code));
        }
    }

    #[test]
    fn the_vague_code_is_gone() {
        assert!("invalid".parse::<ErrorCode>().is_err(), "every invalid input has a code of its own kind");
    }
}
