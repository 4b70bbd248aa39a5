//! Every domain error's HTTP answer, in one place: which status and which [`ErrorCode`].
//!
//! The services say what went wrong in their own terms (and, for bad input, which kind it
//! is); only here does that become a status and a code. A cause that is not the caller's
//! doing stays whole in [`AppError::Internal`], so the log shows its chain once.

use shelter_frontend::i18n::Translator;
use shelter_shared::api::ErrorCode;
use shelter_shared::language::Language;

use super::AppError;
use crate::alumni::AlumniError;
use crate::audit::review::ReviewError;
use crate::cases::CaseError;
use crate::cases::triage::WorkError;
use crate::identity::IdentityError;
use crate::notify::NotifyError;
use crate::partners::PartnerError;

impl From<IdentityError> for AppError {
    fn from(error: IdentityError) -> Self {
        let message = error.to_string();
        match error {
            IdentityError::InvalidCredentials | IdentityError::Locked => AppError::Unauthorized(message),
            IdentityError::TooManyAttempts { retry_after_secs } => {
                AppError::TooManyRequests { message, retry_after_secs }
            }
            IdentityError::InvalidEnrolmentCode => AppError::invalid(ErrorCode::InvalidEnrolmentCode, message),
            IdentityError::InvalidCode => AppError::invalid(ErrorCode::InvalidCode, message),
            IdentityError::WeakPassword(_) => AppError::invalid(ErrorCode::WeakPassword, message),
            IdentityError::StepUpRequired | IdentityError::Forbidden(_) => AppError::Forbidden(message),
            IdentityError::SessionEnded => AppError::Unauthorized(message),
            IdentityError::AwaitingConfirmation => AppError::Forbidden(message),
            IdentityError::Invalid { code, message } => AppError::Invalid { code, message },
            IdentityError::NotFound => AppError::NotFound,
            IdentityError::Conflict(_) => AppError::Conflict(message),
            IdentityError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<WorkError> for AppError {
    fn from(error: WorkError) -> Self {
        match error {
            WorkError::NotFound => AppError::NotFound,
            WorkError::Forbidden(message) => AppError::Forbidden(message),
            WorkError::Conflict(message) => AppError::Conflict(message),
            WorkError::Invalid { code, message } => AppError::Invalid { code, message },
            WorkError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<ReviewError> for AppError {
    fn from(error: ReviewError) -> Self {
        let message = error.to_string();
        match error {
            ReviewError::NotFound => AppError::NotFound,
            ReviewError::NotADecision | ReviewError::BadComment => AppError::invalid(ErrorCode::InvalidReview, message),
            ReviewError::OwnDecision => AppError::Forbidden(message),
            ReviewError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<PartnerError> for AppError {
    fn from(error: PartnerError) -> Self {
        match error {
            // Every refusal of a directory entry is about the entry: one code, as clients know it.
            PartnerError::Invalid(message) => AppError::invalid(ErrorCode::InvalidPartner, message),
            PartnerError::NotFound => AppError::NotFound,
            PartnerError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<AlumniError> for AppError {
    fn from(error: AlumniError) -> Self {
        match error {
            AlumniError::Invalid(problems) => AppError::InvalidFields {
                code: ErrorCode::InvalidMember,
                message: crate::alumni::describe(&problems),
                fields: problems.into_iter().map(|p| (p.field.to_owned(), p.problem)).collect(),
            },
            AlumniError::NotFound => AppError::NotFound,
            AlumniError::Forbidden(message) => AppError::Forbidden(message),
            AlumniError::Conflict(message) => AppError::Conflict(message),
            AlumniError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

impl From<NotifyError> for AppError {
    fn from(error: NotifyError) -> Self {
        match error {
            NotifyError::Invalid { code, message } => AppError::invalid(code, message),
            NotifyError::NotFound => AppError::NotFound,
            NotifyError::StepUpNeeded => AppError::Forbidden(crate::policy::STEP_UP_NEEDED.into()),
            NotifyError::Internal(error) => AppError::Internal(error),
        }
    }
}

/// The requester API's answers (the portal's pages render the same errors as HTML, in the
/// requester's language). The sentence is the catalogue's, in English.
impl From<CaseError> for AppError {
    fn from(error: CaseError) -> Self {
        match error {
            // Never names the case: the first answer gave its reference and passphrase.
            CaseError::Duplicate => AppError::Conflict(
                "This request was already received; its reference and passphrase were given in the first answer."
                    .into(),
            ),
            CaseError::InvalidCredentials => {
                AppError::Unauthorized("The reference or the passphrase is not right.".into())
            }
            CaseError::Locked { retry_after_secs } => AppError::TooManyRequests {
                message: "Too many attempts. For your safety, checking is paused for a while.".into(),
                retry_after_secs,
            },
            CaseError::Invalid { message_id: "check-in-none" } => {
                AppError::Conflict("No check-ins are asked of this request.".into())
            }
            CaseError::Invalid { message_id } => AppError::invalid(
                requester_code(message_id),
                Translator::new(Language::English).t_num(message_id, "max", crate::cases::portal::MESSAGE_MAX),
            ),
            CaseError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

/// The kind of a requester's invalid input, from the catalogue message that explains it.
fn requester_code(message_id: &str) -> ErrorCode {
    match message_id {
        "error-message-empty" | "error-field-too-long" => ErrorCode::InvalidMessage,
        "error-file-type" | "error-file-too-large" | "error-too-many-files" => ErrorCode::InvalidAttachment,
        "error-form-expired" => ErrorCode::FormExpired,
        id if id.starts_with("error-duress-") => ErrorCode::InvalidPassphrase,
        // A message added later without a kind of its own is still a 422 a client can read.
        _ => ErrorCode::Unprocessable,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
                AppError::Unavailable(error.into())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_errors_keep_their_kind() {
        let error = AppError::from(WorkError::invalid(ErrorCode::InvalidRationale, "Give a rationale."));
        assert!(matches!(error, AppError::Invalid { code: ErrorCode::InvalidRationale, .. }));
        assert_eq!(error.public_message(), "Give a rationale.");
    }

    #[test]
    fn every_requester_message_has_a_kind() {
        for id in [
            "error-message-empty",
            "error-field-too-long",
            "error-file-type",
            "error-file-too-large",
            "error-too-many-files",
            "error-form-expired",
            "error-duress-short",
            "error-duress-long",
            "error-duress-same",
        ] {
            assert_ne!(requester_code(id), ErrorCode::Unprocessable, "{id}");
        }
    }

    #[test]
    fn an_internal_cause_keeps_its_chain() {
        let cause = anyhow::anyhow!("disk full").context("sealing the note");
        let logged = match AppError::from(WorkError::Internal(cause)) {
            AppError::Internal(kept) => format!("{kept:#}"),
            other => format!("not internal: {other}"),
        };
        assert_eq!(logged, "sealing the note: disk full");
    }
}
