//! `POST /api/v1/intake`: the same intake for a hotline bot relaying from Signal or Telegram.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use shelter_frontend::i18n::Translator;
use shelter_shared::api::ErrorBody;
use shelter_shared::api::ErrorCode;
use shelter_shared::intake::{IntakeRequest, IntakeResponse};
use shelter_shared::language::Language;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::extract::{ApiJson, ClientIp};
use crate::http::requester::field_messages;
use crate::http::{AppError, AppState};

/// The intake route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(intake))
}

#[utoipa::path(post, path = "/api/v1/intake", tag = "requester", request_body = IntakeRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat it when retrying: a second request with the same key creates nothing (409)")),
    responses((status = 201, description = "A case was created; the passphrase is shown only now", body = IntakeResponse),
              (status = 409, description = "The same Idempotency-Key was seen before", body = ErrorBody),
              (status = 413, body = ErrorBody),
              (status = 422, description = "Invalid fields, each named in `error.fields`, in the request's language", body = ErrorBody),
              (status = 429, description = "Too many requests from this address", body = ErrorBody)))]
pub(crate) async fn intake(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    ApiJson(request): ApiJson<IntakeRequest>,
) -> Result<(StatusCode, Json<IntakeResponse>), AppError> {
    let language = request.language.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or_default();
    let t = Translator::new(language);
    state.intake_limiter.check(ip.0).await?.map_err(|retry_after_secs| AppError::TooManyRequests {
        message: t.t("error-rate-limited"),
        retry_after_secs,
    })?;
    let duress = shelter_shared::passphrase::parse_duress(request.duress_passphrase.as_deref().unwrap_or_default());
    let invalid = |fields| AppError::InvalidFields {
        code: ErrorCode::InvalidIntake,
        message: "Some fields are not valid; see error.fields.".into(),
        fields,
    };
    let intake = request.parse().and_then(|intake| match state.notify.check_news_choice(&intake.news) {
        Ok(()) => Ok(intake),
        Err(error) => Err(vec![("news_channel", error)]),
    });
    let (intake, duress) = match (intake, duress) {
        (Ok(intake), Ok(duress)) => (intake, duress),
        (intake, duress) => {
            let mut fields = field_messages(t, intake.as_ref().err().map_or(&[][..], |e| e.as_slice()));
            if let Err(refusal) = duress {
                fields.insert("duress_passphrase".into(), t.t(refusal.message_id()));
            }
            return Err(invalid(fields));
        }
    };
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    match state.cases.file_with_duress(intake, key, duress).await {
        Ok(filed) => {
            Ok((StatusCode::CREATED, Json(IntakeResponse { reference: filed.reference, passphrase: filed.passphrase })))
        }
        Err(error) => Err(AppError::from(error)),
    }
}
