//! `/staff/grants`: the register, one grant with the forms its reader may use, and the
//! proposal form's handler on a case page. Every form works without JavaScript.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;
use shelter_frontend::pages::staff::grants::{
    CaseGrantLine, DecisionLine, GrantActions, GrantLine, GrantPage, ProposeChoices, RegisterFilter, RegisterPage,
    TotalLine, Totals, render_grant, render_register,
};
use shelter_shared::api::ErrorCode;
use shelter_shared::grant::{Currency, GrantCategory, GrantState, PaymentMethod};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{form_error, nav_for, page};
use crate::grants::decide::Decision;
use crate::grants::follow_up::Reporter;
use crate::grants::memo;
use crate::grants::money;
use crate::grants::pay::{Disbursement, PayeeChange};
use crate::grants::propose::GrantProposal;
use crate::grants::register::{LIMIT, RegisterParams, TotalRow};
use crate::grants::view::GrantView;
use crate::http::api::cases::staff;
use crate::http::api::grants::export_csv;
use crate::http::auth::{BrowserStaff, authorize, check_csrf};
use crate::http::extract::ValidForm;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action, GrantMove};

/// The grant page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/grants", get(show_register))
        .route("/staff/grants/export", post(export))
        .route("/staff/grants/{grant_id}", get(show_grant))
        .route("/staff/grants/{grant_id}/{action}", post(act))
        .route("/staff/cases/{case_id}/grants", post(propose))
}

fn fmt(time: chrono::DateTime<chrono::Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn shown(minor: i64, currency: &str) -> Result<String, AppError> {
    Ok(money(minor, currency)?.to_string())
}

/// Grants waiting on `session`: decisions and frozen grants for supervisors, payments for finance.
pub async fn waiting(state: &AppState, session: &StaffSession) -> Result<Vec<(String, String)>, AppError> {
    let (supervisor, finance) = (session.roles.contains(&Role::Supervisor), session.roles.contains(&Role::Finance));
    let mut links = vec![];
    if session.roles.contains(&Role::Handler) {
        for (grant, status) in state.grants.reminders_for(session.user_id).await? {
            let text = if status == "disbursed" {
                "A payment has gone unconfirmed for two weeks: ask whether it arrived"
            } else {
                "A grant's report on its use is due"
            };
            links.push((format!("/staff/grants/{grant}"), text.to_owned()));
        }
    }
    if !supervisor && !finance {
        return Ok(links);
    }
    let pending = state.grants.pending().await?;
    let mut add = |count: i64, status: &str, one: &str, many: &str| {
        if count > 0 {
            let text = if count == 1 { one.to_owned() } else { format!("{count} {many}") };
            links.push((format!("/staff/grants?status={status}"), text));
        }
    };
    if supervisor {
        add(
            pending.awaiting_decision,
            "proposed",
            "1 grant proposal awaits a decision",
            "grant proposals await a decision",
        );
        add(
            pending.awaiting_ratification,
            "provisionally_approved",
            "1 provisional approval awaits ratification",
            "provisional approvals await ratification",
        );
        add(
            pending.frozen,
            "frozen",
            "1 grant is frozen: its provisional approval went unratified",
            "grants are frozen: provisional approvals went unratified",
        );
    }
    if finance {
        add(pending.to_pay, "approved", "1 approved grant awaits payment", "approved grants await payment");
        add(
            pending.awaiting_ratification,
            "provisionally_approved",
            "1 provisionally approved grant may be paid",
            "provisionally approved grants may be paid",
        );
    }
    Ok(links)
}

/// How a grant is named to people: by its case's reference and category for readers who
/// may see the case, else by category and payee alias (never a fragment of its id).
fn grant_name(case_reference: Option<&str>, category: &str, payee_alias: &str) -> String {
    let category = category.replace('_', " ");
    match case_reference {
        Some(reference) => format!("{reference} · {category}"),
        None => format!("{category} · {payee_alias}"),
    }
}

/// A case's grants as its page lists them.
pub fn case_lines(grants: Vec<GrantView>) -> Vec<CaseGrantLine> {
    grants
        .into_iter()
        .map(|g| CaseGrantLine {
            id: g.id.to_string(),
            category: g.category,
            amount: g.amount,
            status: g.status,
            payee_alias: g.payee_alias,
        })
        .collect()
}

/// The propose form's choices, if `session` may propose on a case in `status`.
pub async fn propose_choices(
    state: &AppState,
    session: &StaffSession,
    status: &str,
    kind: &str,
) -> Result<Option<ProposeChoices>, AppError> {
    if status != "active" || policy::authorize(&session.roles, Action::WorkGrants).is_err() {
        return Ok(None);
    }
    let funds = state
        .grants
        .funds()
        .await?
        .into_iter()
        .map(|f| {
            Ok((
                f.fund_id.to_string(),
                format!("{} ({}, {} available)", f.name, f.currency, f.money(f.available_minor)?),
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    if funds.is_empty() {
        return Ok(None);
    }
    // The playbook's categories with their caps; all categories if it names none (the
    // service then says why a proposal is refused).
    let caps = state.grants.playbook_caps(kind, None);
    let categories = if caps.is_empty() {
        GrantCategory::ALL.iter().map(|c| (c.as_str().to_owned(), c.as_str().replace('_', " "))).collect()
    } else {
        caps.iter()
            .map(|(c, cap)| (c.as_str().to_owned(), format!("{} (playbook cap {cap})", c.as_str().replace('_', " "))))
            .collect()
    };
    let caps_note = (!caps.is_empty()).then(|| {
        let each: Vec<String> =
            caps.iter().map(|(c, cap)| format!("{} up to {cap}", c.as_str().replace('_', " "))).collect();
        format!("This case's playbook caps: {}.", each.join("; "))
    });
    Ok(Some(ProposeChoices {
        funds,
        categories,
        caps_note,
        currencies: Currency::ALL.iter().map(|c| c.to_string()).collect(),
    }))
}

fn totals(title: &str, rows: Vec<TotalRow>) -> Result<Totals, AppError> {
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(TotalLine {
                key: format!("{} ({})", r.key, r.currency),
                count: r.count,
                committed: shown(r.committed_minor, &r.currency)?,
                paid: shown(r.paid_minor, &r.currency)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Totals { title: title.to_owned(), rows })
}

async fn register_html(
    state: &AppState,
    session: &StaffSession,
    params: &RegisterParams,
    error: Option<String>,
) -> Result<String, AppError> {
    let (register, error) = match params.parse() {
        Ok(filter) => (state.grants.register(&filter, LIMIT, staff(session)).await?, error),
        Err(message) => (state.grants.register(&Default::default(), LIMIT, staff(session)).await?, Some(message)),
    };
    let grants = register
        .grants
        .iter()
        .map(|g| {
            Ok(GrantLine {
                id: g.grant_id.to_string(),
                name: grant_name(g.case_reference.as_deref(), &g.category, &g.payee_alias),
                created: g.created_at.format("%Y-%m-%d").to_string(),
                fund: g.fund_name.clone(),
                category: g.category.clone(),
                country: g.country.clone(),
                status: g.status.clone(),
                tier: g.tier.to_uppercase(),
                amount: shown(g.amount_minor, &g.currency)?,
                fund_amount: shown(g.fund_amount_minor, &g.fund_currency)?,
                payee_alias: g.payee_alias.clone(),
                paid_on: g.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(render_register(RegisterPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        filter: RegisterFilter {
            fund: value(&params.fund),
            status: value(&params.status),
            category: value(&params.category),
            country: value(&params.country),
            from: value(&params.from),
            to: value(&params.to),
        },
        fund_names: register.funds.iter().map(|f| f.name.clone()).collect(),
        funds: register.funds.iter().map(super::funds::line).collect::<Result<_, _>>()?,
        statuses: GrantState::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        categories: GrantCategory::ALL.iter().map(|c| c.as_str().to_owned()).collect(),
        totals: vec![
            totals("By fund", register.by_fund)?,
            totals("By category", register.by_category)?,
            totals("By country", register.by_country)?,
            totals("By month proposed", register.by_month)?,
        ],
        grants,
        stepped_up: session.stepped_up(state.identity.clock.now()),
        error,
        notice: None,
    }))
}

async fn show_register(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Query(params): Query<RegisterParams>,
) -> Result<Response, AppError> {
    authorize(&state, &session, Action::ViewGrantRegister).await?;
    Ok(page(register_html(&state, &session, &params, None).await?))
}

#[derive(Deserialize)]
struct ExportForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    filter: RegisterParams,
}

async fn export(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    ValidForm(form): ValidForm<ExportForm>,
) -> Result<Response, AppError> {
    check_csrf(&session, &form.csrf)?;
    match export_csv(&state, &session, &form.filter).await {
        Ok(response) => Ok(response),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            let html = register_html(&state, &session, &form.filter, Some(error.public_message())).await?;
            Ok(form_error(error, |_| html))
        }
        Err(error) => Err(error),
    }
}

/// The buttons of the grant page: exactly the moves the policy allows the reader (the
/// service asks the same question when the form arrives).
fn actions(view: &GrantView) -> GrantActions {
    let may = |step| view.may.contains(&step);
    GrantActions {
        decide: may(GrantMove::Approve) || may(GrantMove::Reject),
        approve: may(GrantMove::Approve),
        reject: may(GrantMove::Reject),
        provisional_allowed: may(GrantMove::ApproveProvisionally),
        disburse: may(GrantMove::Disburse),
        change_payee: may(GrantMove::ChangePayee),
        confirm_receipt: may(GrantMove::ConfirmReceipt),
        report: may(GrantMove::Report),
        cancel: may(GrantMove::Cancel),
        reverse: may(GrantMove::Reverse),
    }
}

/// Who may still release the payment, said plainly; when nobody can, what a supervisor does.
fn payers_line(view: &GrantView) -> Option<String> {
    let payers = view.payers.as_ref()?;
    Some(if payers.is_empty() {
        "Nobody can release this payment: every finance officer proposed, approved or changed the payee's \
         details, or declared a conflict. A supervisor should ask an administrator for another finance officer \
         (confirmed by a supervisor), or cancel the grant and propose it again."
            .to_owned()
    } else {
        payers.join(", ")
    })
}

fn facts(view: &GrantView) -> Result<Vec<(String, String)>, AppError> {
    let pair = |label: &str, value: String| (label.to_owned(), value);
    let mut facts = vec![
        pair("Status", view.status.replace('_', " ")),
        pair("Fund", view.fund_name.clone()),
        pair("Category", view.category.replace('_', " ")),
        pair("Amount", view.amount.clone()),
    ];
    if let Some(cap) = &view.playbook_cap {
        facts.push(pair("Playbook cap for this category", cap.clone()));
    }
    if view.currency != view.fund_currency {
        let rate = view.rate.clone().unwrap_or_default();
        facts.push(pair(
            "In the fund's currency",
            format!(
                "{} (1 {} = {rate} {})",
                shown(view.fund_amount_minor, &view.fund_currency)?,
                view.currency,
                view.fund_currency
            ),
        ));
    }
    facts.push(pair(
        "Tier",
        format!("{}: {} of {} approvals", view.tier.to_uppercase(), view.approvals_given, view.approvals_needed),
    ));
    facts.push(pair("Payee", view.payee_alias.clone()));
    if let (Some(at), Some(by)) = (view.payee_changed_at, &view.payee_changed_by) {
        facts.push(pair("Payment details last changed", format!("{} by {by}", fmt(at))));
    }
    if let Some(line) = payers_line(view) {
        facts.push(pair("Who may release the payment", line));
    }
    facts.push(pair("Country", view.country.clone()));
    facts.push(pair("Proposed", fmt(view.created_at)));
    if view.provisional {
        let ratified = match (view.ratified_at, view.ratify_due_at) {
            (Some(at), _) => format!("ratified {}", fmt(at)),
            (None, Some(due)) => format!("to be ratified by {}", fmt(due)),
            _ => String::new(),
        };
        facts.push(pair("Provisional approval", ratified));
    }
    if let Some(at) = view.receipt_at {
        facts.push(pair("Receipt confirmed", fmt(at)));
    }
    if let Some(due) = view.use_until {
        facts.push(pair("Report due", fmt(due)));
    }
    Ok(facts)
}

async fn grant_html(
    state: &AppState,
    session: &StaffSession,
    grant_id: Uuid,
    error: Option<String>,
    notice: Option<String>,
) -> Result<String, AppError> {
    let view = state.grants.grant(staff(session), grant_id).await?;
    let disbursement = match &view.disbursement {
        Some(d) => vec![
            ("Method".to_owned(), d.method.replace('_', " ")),
            ("Paid".to_owned(), shown(d.paid_minor, &view.currency)?),
            ("Fees".to_owned(), shown(d.fees_minor, &view.currency).unwrap_or_else(|_| "none".into())),
            ("From the fund".to_owned(), shown(d.fund_amount_minor, &view.fund_currency)?),
            ("Reference".to_owned(), d.external_reference.clone()),
            ("Paid on".to_owned(), d.paid_on.to_string()),
        ],
        None => vec![],
    };
    let back = match view.case_id {
        Some(case_id) => (format!("/staff/cases/{case_id}"), "Back to the case".to_owned()),
        None => ("/staff/grants".to_owned(), "Back to the register".to_owned()),
    };
    Ok(render_grant(GrantPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        id: view.id.to_string(),
        title: format!("Grant: {}", grant_name(view.case_reference.as_deref(), &view.category, &view.payee_alias)),
        version: view.version,
        facts: facts(&view)?,
        payee_details: view.payee_details.clone(),
        purpose: view.purpose.clone(),
        vouchers: view.vouchers.clone().unwrap_or_default(),
        verification: view.verification.clone().map(|v| (v, view.confirmations_needed, state.grants.cases.clock.now())),
        report: view.report.clone(),
        decisions: view
            .decisions
            .iter()
            .map(|d| DecisionLine {
                who: d.name.clone(),
                decision: if d.provisional { format!("{} (provisional)", d.decision) } else { d.decision.clone() },
                rationale: d.rationale.clone(),
                at: fmt(d.decided_at),
            })
            .collect(),
        disbursement,
        methods: PaymentMethod::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
        currency: view.currency.clone(),
        needs_rate: view.currency != view.fund_currency,
        memo_guidance: memo::guidance(&view.country).to_owned(),
        back,
        actions: actions(&view),
        stepped_up: session.stepped_up(state.identity.clock.now()),
        error,
        notice,
    }))
}

#[derive(Deserialize)]
struct NoticeQuery {
    done: Option<String>,
}

async fn show_grant(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Path(grant_id): Path<Uuid>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    authorize(&state, &session, Action::ViewGrant).await?;
    let notice = query.done.map(|_| "Done: recorded, with its audit entry.".to_owned());
    Ok(page(grant_html(&state, &session, grant_id, None, notice).await?))
}

/// Every field any grant form may send.
#[derive(Deserialize)]
struct GrantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    grant_version: Option<String>,
    #[serde(default)]
    decision: Option<String>,
    #[serde(default)]
    provisional: Option<String>,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    paid: Option<String>,
    #[serde(default)]
    fees: Option<String>,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    external_reference: Option<String>,
    #[serde(default)]
    paid_on: Option<String>,
    #[serde(default)]
    payee_alias: Option<String>,
    #[serde(default)]
    payee_details: Option<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    report: Option<String>,
}

fn disbursement(form: GrantForm) -> Result<Disbursement, AppError> {
    let invalid = |code, m: &str| AppError::invalid(code, m.to_owned());
    Ok(Disbursement {
        method: form
            .method
            .unwrap_or_default()
            .parse()
            .map_err(|_| invalid(ErrorCode::InvalidMethod, "Choose a payment method from the list."))?,
        paid: form.paid.unwrap_or_default(),
        fees: form.fees,
        rate: form.rate,
        external_reference: form.external_reference.unwrap_or_default(),
        paid_on: NaiveDate::parse_from_str(form.paid_on.unwrap_or_default().trim(), "%Y-%m-%d")
            .map_err(|_| invalid(ErrorCode::InvalidDate, "Give the day it was paid."))?,
        grant_version: form.grant_version.as_deref().map(str::trim).and_then(|v| v.parse().ok()),
    })
}

async fn run_action(
    state: &AppState,
    session: &StaffSession,
    grant_id: Uuid,
    action: &str,
    form: GrantForm,
) -> Result<(), AppError> {
    let who = staff(session);
    let grants = &state.grants;
    // The services ask for the step-up themselves.
    let gate = |needs: Action| async move { authorize(state, session, needs).await };
    match action {
        "decide" => {
            gate(Action::DecideGrants).await?;
            let decision = match form.decision.as_deref() {
                Some("approve") => Decision::Approve { provisional: form.provisional.as_deref() == Some("true") },
                Some("reject") => Decision::Reject,
                _ => return Err(AppError::invalid(ErrorCode::InvalidDecision, "Choose approve or reject.")),
            };
            grants.decide(who, grant_id, decision, form.rationale.as_deref()).await?;
        }
        "disburse" => {
            gate(Action::DisburseGrants).await?;
            grants.disburse(who, grant_id, disbursement(form)?).await?;
        }
        "payee" => {
            gate(Action::ChangePayee).await?;
            let change =
                PayeeChange { payee_alias: form.payee_alias, payee_details: form.payee_details.unwrap_or_default() };
            grants.change_payee(who, grant_id, change).await?;
        }
        "reverse" => {
            gate(Action::DisburseGrants).await?;
            grants.reverse(who, grant_id, form.rationale.as_deref()).await?;
        }
        "receipt" => {
            gate(Action::WorkGrants).await?;
            grants.confirm_receipt(Reporter::Staff(who), grant_id, form.note.as_deref()).await?;
        }
        "report" => {
            gate(Action::WorkGrants).await?;
            grants.report(Reporter::Staff(who), grant_id, form.report.as_deref().unwrap_or_default()).await?;
        }
        "cancel" => {
            gate(Action::WorkGrants).await?;
            grants.cancel(who, grant_id, form.rationale.as_deref()).await?;
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(())
}

async fn act(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Path((grant_id, action)): Path<(Uuid, String)>,
    ValidForm(form): ValidForm<GrantForm>,
) -> Result<Response, AppError> {
    check_csrf(&session, &form.csrf)?;
    match run_action(&state, &session, grant_id, &action, form).await {
        Ok(()) => Ok(Redirect::to(&format!("/staff/grants/{grant_id}?done=1")).into_response()),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            match grant_html(&state, &session, grant_id, Some(error.public_message()), None).await {
                Ok(html) => Ok(form_error(error, |_| html)),
                Err(_) => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

#[derive(Deserialize)]
struct ProposeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    fund_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    rate: Option<String>,
    #[serde(default)]
    payee_alias: String,
    #[serde(default)]
    payee_details: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    rationale: String,
    /// A fresh code, when the step-up had expired before the form was sent.
    #[serde(default)]
    code: Option<String>,
}

impl ProposeForm {
    /// The fields as typed, to show them again to the person who typed them (payment
    /// details included: the page goes back to them only, never stored).
    fn typed(&self) -> shelter_frontend::pages::staff::typed::Typed {
        let text = |v: &String| Some(v.clone());
        shelter_frontend::pages::staff::typed::Typed::new(
            "grants",
            [
                ("fund_id", text(&self.fund_id)),
                ("category", text(&self.category)),
                ("amount", text(&self.amount)),
                ("currency", text(&self.currency)),
                ("rate", self.rate.clone()),
                ("payee_alias", text(&self.payee_alias)),
                ("payee_details", text(&self.payee_details)),
                ("purpose", text(&self.purpose)),
                ("rationale", text(&self.rationale)),
            ],
        )
    }

    fn parse(self) -> Result<GrantProposal, AppError> {
        let invalid = |code, m: String| AppError::invalid(code, m);
        Ok(GrantProposal {
            fund_id: self
                .fund_id
                .parse()
                .map_err(|_| invalid(ErrorCode::InvalidFund, "Choose a fund from the list.".into()))?,
            category: self.category.parse().map_err(|m| invalid(ErrorCode::InvalidCategory, m))?,
            amount: self.amount,
            currency: self.currency.parse().map_err(|m| invalid(ErrorCode::InvalidCurrency, m))?,
            rate: self.rate,
            payee_alias: self.payee_alias,
            payee_details: self.payee_details,
            purpose: self.purpose,
            rationale: self.rationale,
        })
    }
}

async fn propose(
    State(state): State<AppState>,
    ip: crate::http::extract::ClientIp,
    BrowserStaff(session): BrowserStaff,
    Path(case_id): Path<Uuid>,
    ValidForm(form): ValidForm<ProposeForm>,
) -> Result<Response, AppError> {
    check_csrf(&session, &form.csrf)?;
    authorize(&state, &session, Action::WorkGrants).await?;
    let typed = form.typed();
    let mut session = session;
    let outcome = async {
        // A code sent with the form confirms the second factor first (the step-up had
        // expired while the form was being filled in).
        if let Some(code) = form.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            // The same per-address limit as the step-up page.
            crate::http::api::auth::limit(&state, ip).await?;
            state.identity.step_up(&session, code).await?;
            session.step_up_at = Some(state.identity.clock.now());
        }
        let proposal = form.parse()?;
        Ok::<Uuid, AppError>(state.grants.propose(staff(&session), case_id, proposal).await?)
    }
    .await;
    match outcome {
        Ok(grant_id) => Ok(Redirect::to(&format!("/staff/grants/{grant_id}?done=1")).into_response()),
        Err(AppError::Unauthorized(message)) => Err(AppError::Unauthorized(message)),
        Err(error) => super::cases::after_typed(&state, &session, case_id, Err(error), typed).await,
    }
}
