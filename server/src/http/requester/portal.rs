//! `/status`: the requester's portal in the browser.

use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;
use shelter_frontend::i18n::Translator;
use shelter_frontend::pages::requester::news::NewsValues;
use shelter_frontend::pages::requester::{intake, portal};
use shelter_frontend::{countries, dates};
use shelter_shared::intake::IncidentKind;
use shelter_shared::script::seems_written_in;
use subtle::ConstantTimeEq;

use super::local::LocalClock;
use super::{Lang, html};
use crate::cases::CaseError;
use crate::cases::portal::RequesterSession;
use crate::http::auth::{CookieName, check_form_token, cookie, form_token, removal};
use crate::http::extract::{ClientIp, PagePath, ValidForm};
use crate::http::{AppError, AppState};
use crate::identity::sessions::SessionKind;

/// The portal routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/status", get(sign_in_page).post(sign_in))
        .route("/status/case", get(case_page))
        .route("/status/messages", post(message))
        .route("/status/sign-out", post(sign_out))
        .route("/status/attachments", post(attachment))
        .route("/status/referrals/{referral_id}/{action}", post(referral))
        .route("/status/grants/{grant_id}/{action}", post(grant))
        .route("/status/deletion", post(deletion))
        .route("/status/deletion/cancel", post(cancel_deletion))
        .route("/status/check-in", post(check_in))
        .route("/status/duress", post(duress))
}

#[derive(Deserialize)]
pub(super) struct StatusQuery {
    lang: Option<String>,
    news: Option<String>,
    ended: Option<String>,
    sent: Option<String>,
    added: Option<String>,
    answered: Option<String>,
    received: Option<String>,
    reported: Option<String>,
    deletion: Option<String>,
    checked: Option<String>,
    second: Option<String>,
}

impl StatusQuery {
    pub(super) fn translator(&self) -> Translator {
        Lang { lang: self.lang.clone() }.translator()
    }
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    passphrase: String,
}

#[derive(Deserialize)]
struct MessageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

/// The portal session in the cookie, if live.
pub async fn requester_session(state: &AppState, headers: &HeaderMap) -> Result<Option<RequesterSession>, AppError> {
    let jar = CookieJar::from_headers(headers);
    let Some(token) = jar.get(CookieName::Requester.get(state)).map(|c| c.value().to_owned()) else { return Ok(None) };
    state.cases.portal_session(&token, SessionKind::Browser).await.map_err(|e| AppError::Internal(e.into()))
}

pub(super) fn csrf_ok(session: &RequesterSession, submitted: &str) -> bool {
    bool::from(session.csrf_token.as_bytes().ct_eq(submitted.as_bytes()))
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    Query(query): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let t = query.translator();
    if requester_session(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(&format!("/status/case?lang={}", t.language.tag())).into_response());
    }
    let notice = query.ended.is_some().then(|| t.t("session-ended"));
    let (jar, csrf) = form_token(&state, jar);
    Ok((jar, html(StatusCode::OK, portal::render_sign_in(portal::PortalSignIn { t, error: None, notice, csrf })))
        .into_response())
}

async fn sign_in(
    State(state): State<AppState>,
    Query(query): Query<StatusQuery>,
    ip: ClientIp,
    jar: CookieJar,
    ValidForm(form): ValidForm<SignInForm>,
) -> Result<Response, AppError> {
    let t = query.translator();
    // A form from Shelter's own page carries the twin of its cookie: this also stands in
    // for the Origin check when an older browser sends `Origin: null` and no Fetch Metadata.
    check_form_token(&state, &jar, &form.csrf)?;
    let refuse = |status: StatusCode, id: &str| {
        let csrf = form.csrf.clone();
        html(status, portal::render_sign_in(portal::PortalSignIn { t, error: Some(t.t(id)), notice: None, csrf }))
    };
    if state.sign_in_limiter.check(ip.0).await?.is_err() {
        return Ok(refuse(StatusCode::TOO_MANY_REQUESTS, "error-rate-limited"));
    }
    match state.cases.portal_sign_in(&form.reference, &form.passphrase, SessionKind::Browser).await {
        Ok((token, _)) => {
            let jar = jar.add(cookie(&state, CookieName::Requester, token));
            Ok((jar, Redirect::to(&format!("/status/case?lang={}", t.language.tag()))).into_response())
        }
        Err(CaseError::InvalidCredentials) => Ok(refuse(StatusCode::UNAUTHORIZED, "status-wrong")),
        Err(CaseError::Locked { .. }) => Ok(refuse(StatusCode::TOO_MANY_REQUESTS, "status-locked")),
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

async fn render_case(
    state: &AppState,
    session: &RequesterSession,
    t: Translator,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String, AppError> {
    render_case_with(state, session, t, notice, error, None).await
}

/// The case page; `news` echoes a refused news form with its error beside the field.
pub(super) async fn render_case_with(
    state: &AppState,
    session: &RequesterSession,
    t: Translator,
    notice: Option<String>,
    error: Option<String>,
    news: Option<(NewsValues, String)>,
) -> Result<String, AppError> {
    let (news_values, news_error) = news.map(|(v, e)| (v, Some(e))).unwrap_or_default();
    let view = state.cases.portal_view(session).await.map_err(|e| AppError::Internal(e.into()))?;
    let referrals = state.cases.requester_referrals(session).await?;
    let grants = state.grants.requester_grants(session).await?;
    let deletion_due = if session.calm.is_some() {
        let asked = state.cases.calm_deletion_asked(session.case_id).await.map_err(|e| AppError::Internal(e.into()))?;
        asked.map(|at| at + state.retention.schedule.cooling())
    } else {
        state.retention.deletion_due(session.case_id).await.map_err(anyhow::Error::from)?
    };
    let check_in_due = state.cases.check_in_due(session).await.map_err(|e| AppError::Internal(e.into()))?;
    let clock = LocalClock::for_country(&view.country);
    Ok(portal::render_case(portal::PortalCase {
        cooling_days: usize::try_from(state.retention.schedule.cooling_days).unwrap_or(0),
        deletion_due: deletion_due.map(|at| dates::long_date(t.language, clock.day(at))),
        local_offset: clock.offset(),
        t,
        reference: view.reference,
        status_id: format!("state-{}", view.status.replace('_', "-")),
        messages: view
            .messages
            .into_iter()
            .map(|m| portal::MessageLine {
                from_requester: m.from_requester,
                body: m.body,
                at: clock
                    .local(m.at)
                    .map_or_else(|| dates::date_time_utc(t, m.at), |local| dates::date_time_local(t.language, local)),
            })
            .collect(),
        csrf: session.csrf_token.clone(),
        notice,
        error,
        news_on: match session.calm {
            Some(_) => state.cases.calm_news_on(session.case_id).await.map_err(|e| AppError::Internal(e.into()))?,
            None => view.news.is_some(),
        },
        news_values,
        news_error,
        // The calm view offers news as the requester's does; what it asks is never sent.
        news_channels: state.notify.news_channels(),
        check_in_due: check_in_due.map(|due| {
            clock
                .local(due)
                .map_or_else(|| dates::date_time_utc(t, due), |local| dates::date_time_local(t.language, local))
        }),
        max_mb: state.config.attachments.max_bytes / (1024 * 1024),
        referrals: referrals
            .into_iter()
            .map(|r| {
                let packet = r
                    .fields
                    .iter()
                    .filter_map(|f| r.packet.get(f).and_then(|v| v.as_str()).map(|text| packet_line(t, f, text)))
                    .collect();
                portal::PortalReferral {
                    id: r.id.to_string(),
                    partner_name: r.partner_name,
                    partner_kind_id: format!("referral-partner-{}", r.partner_kind),
                    can_answer: r.status == shelter_shared::referral::ReferralState::AwaitingConsent,
                    can_withdraw: matches!(r.status.as_str(), "sent" | "accepted"),
                    status_id: format!("referral-status-{}", r.status),
                    packet,
                }
            })
            .collect(),
        grants: grants
            .into_iter()
            .map(|g| portal::PortalGrant {
                id: g.id.to_string(),
                category_id: format!("grant-category-{}", g.category),
                amount: g.amount,
                status_id: format!("grant-status-{}", g.status),
                can_confirm: g.can_confirm,
                can_report: g.can_report,
                report_due: g.use_until.map(|d| dates::long_date(t.language, clock.day(d))),
                to_provider: g.method.as_deref() == Some("direct_to_provider"),
                method_id: g.method.map(|m| format!("grant-method-{m}")),
                paid_on: g.paid_in.as_deref().and_then(|month| {
                    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                        .ok()
                        .map(|first| dates::month_year(t.language, first))
                }),
            })
            .collect(),
    }))
}

/// One part of a referral packet in the requester's words: a kind or country by its name,
/// staff's own text as written, marked when it is not in the requester's language.
fn packet_line(t: Translator, field: &str, text: &str) -> portal::PacketLine {
    let label_id = format!("packet-{field}");
    let named = |text: String| portal::PacketLine { label_id: label_id.clone(), text, other_language: false };
    match field {
        "kind" => match text.parse::<IncidentKind>() {
            Ok(kind) => named(t.t(intake::kind_label(kind))),
            Err(_) => named(text.to_owned()),
        },
        "country" => named(countries::name(t, text)),
        "summary" | "legal_help" => {
            portal::PacketLine { label_id, text: text.to_owned(), other_language: !seems_written_in(text, t.language) }
        }
        _ => named(text.to_owned()),
    }
}

/// The case page again, saying the form expired (a stale or forged token, or a change
/// made meanwhile), with `status`.
pub(super) async fn expired(
    state: &AppState,
    session: &RequesterSession,
    t: Translator,
    status: StatusCode,
) -> Result<Response, AppError> {
    Ok(html(status, render_case(state, session, t, None, Some(t.t("error-form-expired"))).await?))
}

pub(super) fn ended(t: Translator) -> Response {
    Redirect::to(&format!("/status?lang={}&ended=1", t.language.tag())).into_response()
}

async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    let notice = if query.sent.is_some() {
        Some(t.t("message-sent"))
    } else if query.added.is_some() {
        Some(t.t("attachment-added"))
    } else if query.answered.is_some() {
        Some(t.t("referral-answered"))
    } else if query.received.is_some() {
        Some(t.t("grant-confirmed-notice"))
    } else if query.reported.is_some() {
        Some(t.t("grant-reported-notice"))
    } else if query.deletion.as_deref() == Some("asked") {
        Some(t.t("deletion-requested-notice"))
    } else if query.deletion.as_deref() == Some("kept") {
        Some(t.t("deletion-cancelled-notice"))
    } else if query.checked.is_some() {
        Some(t.t("check-in-done"))
    } else if query.second.is_some() {
        Some(t.t("duress-saved"))
    } else {
        query.news.as_deref().map(|news| t.t(if news == "on" { "news-saved" } else { "news-stopped" }))
    };
    Ok(html(StatusCode::OK, render_case(&state, &session, t, notice, None).await?))
}

async fn message(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<MessageForm>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    match state.cases.portal_message(&session, &form.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/status/case?lang={}&sent=1", t.language.tag())).into_response()),
        Err(CaseError::Invalid { message_id }) => {
            let message = t.t_num(message_id, "max", crate::cases::portal::MESSAGE_MAX);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, render_case(&state, &session, t, None, Some(message)).await?))
        }
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    jar: CookieJar,
    ValidForm(form): ValidForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let t = query.translator();
    if let Some(session) = requester_session(&state, &headers).await? {
        if !csrf_ok(&session, &form.csrf) {
            return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
        }
        state.cases.portal_sign_out(&session).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok((
        jar.remove(removal(&state, CookieName::Requester)),
        Redirect::to(&format!("/status?lang={}", t.language.tag())),
    )
        .into_response())
}

/// A file from the multipart form, with the CSRF token that came with it.
pub struct Upload {
    /// The CSRF token field.
    pub csrf: String,
    /// The file's name as sent.
    pub name: String,
    /// The file.
    pub bytes: bytes::Bytes,
}

/// Reads `csrf` and `file` from a multipart body; `Err` names the message to show.
pub async fn read_upload(mut multipart: Multipart) -> Result<Upload, &'static str> {
    let mut upload = Upload { csrf: String::new(), name: String::new(), bytes: bytes::Bytes::new() };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err("error-file-too-large"),
            Err(_) => return Err("error-form-expired"),
        };
        match field.name() {
            Some("csrf") => upload.csrf = field.text().await.map_err(|_| "error-form-expired")?,
            Some("file") => {
                upload.name = field.file_name().unwrap_or_default().to_owned();
                upload.bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        "error-file-too-large"
                    } else {
                        "error-form-expired"
                    }
                })?;
            }
            _ => {}
        }
    }
    if upload.bytes.is_empty() {
        return Err("error-file-type");
    }
    Ok(upload)
}

/// The status for a refused upload.
pub fn upload_status(message_id: &str) -> StatusCode {
    match message_id {
        "error-file-too-large" => StatusCode::PAYLOAD_TOO_LARGE,
        "error-file-type" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "error-form-expired" => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

async fn attachment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    let limits = state.config.attachments;
    let max_mb = limits.max_bytes / (1024 * 1024);
    let refuse = async |message_id: &'static str| -> Result<Response, AppError> {
        let message = if message_id == "error-too-many-files" {
            t.t_num(message_id, "max", usize::try_from(limits.per_case).unwrap_or(0))
        } else {
            t.t_num(message_id, "max_mb", max_mb)
        };
        Ok(html(upload_status(message_id), render_case(&state, &session, t, None, Some(message)).await?))
    };
    let upload = match read_upload(multipart).await {
        Ok(upload) => upload,
        Err(message_id) => return refuse(message_id).await,
    };
    if !csrf_ok(&session, &upload.csrf) {
        return refuse("error-form-expired").await;
    }
    match state.cases.portal_attachment(&session, limits, &upload.name, upload.bytes).await {
        Ok(_) => Ok(Redirect::to(&format!("/status/case?lang={}&added=1", t.language.tag())).into_response()),
        Err(CaseError::Invalid { message_id }) => refuse(message_id).await,
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

/// What the requester answers to a referral (`/status/referrals/{id}/{answer}`): refusing one
/// not yet sent and withdrawing one already sent are the same transition.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum ReferralAnswer {
    Consent,
    Refuse,
    Withdraw,
}

async fn referral(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    PagePath((referral_id, answer)): PagePath<(uuid::Uuid, ReferralAnswer)>,
    ValidForm(form): ValidForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    let transition = match answer {
        ReferralAnswer::Consent => shelter_shared::referral::ReferralTransition::Consent,
        ReferralAnswer::Refuse | ReferralAnswer::Withdraw => shelter_shared::referral::ReferralTransition::Withdraw,
    };
    match state.cases.requester_referral(&session, referral_id, transition).await {
        Ok(()) => Ok(Redirect::to(&format!("/status/case?lang={}&answered=1", t.language.tag())).into_response()),
        Err(crate::cases::triage::WorkError::Conflict(_)) => expired(&state, &session, t, StatusCode::CONFLICT).await,
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    report: String,
}

/// What the requester tells about a paid grant (`/status/grants/{id}/{step}`).
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum GrantStep {
    Receipt,
    Report,
}

async fn grant(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    PagePath((grant_id, step)): PagePath<(uuid::Uuid, GrantStep)>,
    ValidForm(form): ValidForm<GrantForm>,
) -> Result<Response, AppError> {
    use crate::cases::triage::WorkError;
    use crate::grants::follow_up::Reporter;
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    let (outcome, done) = match step {
        GrantStep::Receipt => {
            (state.grants.confirm_receipt(Reporter::Requester(&session), grant_id, None).await, "received")
        }
        GrantStep::Report => {
            (state.grants.report(Reporter::Requester(&session), grant_id, &form.report).await, "reported")
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/status/case?lang={}&{done}=1", t.language.tag())).into_response()),
        Err(WorkError::Conflict(_)) => expired(&state, &session, t, StatusCode::CONFLICT).await,
        Err(WorkError::Invalid { .. }) => {
            let message = if form.report.trim().is_empty() {
                t.t("error-message-empty")
            } else {
                t.t_num("error-field-too-long", "max", 5000)
            };
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, render_case(&state, &session, t, None, Some(message)).await?))
        }
        Err(error) => Err(error.into()),
    }
}

async fn deletion(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    if session.calm.is_some() {
        state.cases.calm_deletion(&session, true).await.map_err(|e| AppError::Internal(e.into()))?;
    } else {
        state.retention.request_deletion(&session).await?;
    }
    Ok(Redirect::to(&format!("/status/case?lang={}&deletion=asked", t.language.tag())).into_response())
}

async fn cancel_deletion(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<CsrfOnly>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    if session.calm.is_some() {
        state.cases.calm_deletion(&session, false).await.map_err(|e| AppError::Internal(e.into()))?;
    } else {
        state.retention.cancel_deletion(&session).await?;
    }
    Ok(Redirect::to(&format!("/status/case?lang={}&deletion=kept", t.language.tag())).into_response())
}

#[derive(Deserialize)]
struct CheckInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    safe_word: String,
}

async fn check_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<CheckInForm>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    let word = Some(form.safe_word.as_str()).filter(|w| !w.trim().is_empty());
    match state.cases.check_in(&session, word, crate::cases::check_ins::Via::Portal).await {
        Ok(_) => Ok(Redirect::to(&format!("/status/case?lang={}&checked=1", t.language.tag())).into_response()),
        Err(CaseError::Invalid { message_id }) => {
            let page = render_case(&state, &session, t, None, Some(t.t(message_id))).await?;
            Ok(html(StatusCode::CONFLICT, page))
        }
        Err(error) => Err(AppError::Internal(error.into())),
    }
}

#[derive(Deserialize)]
struct DuressForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    passphrase: String,
}

async fn duress(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StatusQuery>,
    ValidForm(form): ValidForm<DuressForm>,
) -> Result<Response, AppError> {
    let t = query.translator();
    let Some(session) = requester_session(&state, &headers).await? else { return Ok(ended(t)) };
    if !csrf_ok(&session, &form.csrf) {
        return expired(&state, &session, t, StatusCode::FORBIDDEN).await;
    }
    match state.cases.set_duress_passphrase(&session, &form.passphrase).await {
        Ok(()) => Ok(Redirect::to(&format!("/status/case?lang={}&second=1", t.language.tag())).into_response()),
        Err(CaseError::Invalid { message_id }) => {
            let page = render_case(&state, &session, t, None, Some(t.t(message_id))).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(AppError::Internal(error.into())),
    }
}
