//! `GET /status`: the requester's portal: sign in, then status and messages.

use leptos::prelude::*;

use super::page;
use crate::i18n::Translator;

/// The sign-in form.
pub struct PortalSignIn {
    /// The language.
    pub t: Translator,
    /// An error, already translated.
    pub error: Option<String>,
    /// A notice (session ended), already translated.
    pub notice: Option<String>,
    /// The double-submit token (its twin is in a cookie).
    pub csrf: String,
}

/// Renders the portal sign-in.
pub fn render_sign_in(form: PortalSignIn) -> String {
    let t = form.t;
    let action = format!("/status?lang={}", t.language.tag());
    let body = view! {
        <h1>{t.t("status-title")}</h1>
        <p>{t.t("status-intro")}</p>
        {form.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {form.error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
        // Browsers must not offer to keep the passphrase: the form is marked as not to be
        // filled in, and the field as a one-time code, which password managers leave alone.
        <form method="post" action=action autocomplete="off">
            <input type="hidden" name="csrf" value=form.csrf />
            <div><label for="reference">{t.t("field-reference")}</label>
                <input id="reference" name="reference" required maxlength="20" autocomplete="off" autocapitalize="characters" /></div>
            <div><label for="passphrase">{t.t("field-passphrase")}</label>
                <input id="passphrase" name="passphrase" type="password" required maxlength="200"
                    autocomplete="one-time-code" spellcheck="false" autocapitalize="none" /></div>
            <div><button class="primary" type="submit">{t.t("status-sign-in")}</button></div>
        </form>
        <h2>{t.t("status-lost-heading")}</h2>
        <p>{t.t("status-lost-passphrase")}</p>
    };
    page(t, &t.t("status-title"), Some("/status"), body)
}

/// One message line.
#[derive(Debug, Clone)]
pub struct MessageLine {
    /// From the requester (else from the network).
    pub from_requester: bool,
    /// Text.
    pub body: String,
    /// When, formatted.
    pub at: String,
}

/// A referral the requester is asked about, or has agreed to.
#[derive(Debug, Clone)]
pub struct PortalReferral {
    /// Id.
    pub id: String,
    /// Partner's display name.
    pub partner_name: String,
    /// Message id of the partner's kind.
    pub partner_kind_id: String,
    /// Message id of the state.
    pub status_id: String,
    /// What would be (or was) shared, each part in words.
    pub packet: Vec<PacketLine>,
    /// Awaiting the requester's answer.
    pub can_answer: bool,
    /// Shared and still open: may be withdrawn.
    pub can_withdraw: bool,
}

/// One part of a referral packet as the requester reads it.
#[derive(Debug, Clone)]
pub struct PacketLine {
    /// Message id of the part's label (`packet-kind`).
    pub label_id: String,
    /// The value in words (a kind or country already named, staff text as written).
    pub text: String,
    /// Staff wrote it in another language than the requester's.
    pub other_language: bool,
}

/// An emergency grant on the requester's own case, as they see it (no staff names, no payment details).
#[derive(Debug, Clone)]
pub struct PortalGrant {
    /// Id (for the form actions).
    pub id: String,
    /// The grant category's message id, e.g. "grant-category-legal_fees".
    pub category_id: String,
    /// The amount, formatted, e.g. "1,500.00 USD".
    pub amount: String,
    /// The status message id, e.g. "grant-status-disbursed".
    pub status_id: String,
    /// Whether the requester may confirm they received it.
    pub can_confirm: bool,
    /// Whether the requester may send the short report on how it was used.
    pub can_report: bool,
    /// The report is due by this date (written in the page's language), once receipt is confirmed.
    pub report_due: Option<String>,
    /// How it was paid, as a message id (`grant-method-bank_transfer`), once paid.
    pub method_id: Option<String>,
    /// The month it was paid, written in the page's language, once paid (never the day).
    pub paid_on: Option<String>,
    /// Paid to a lawyer, clinic or other provider rather than to the requester.
    pub to_provider: bool,
}

/// The case view.
pub struct PortalCase {
    /// The language.
    pub t: Translator,
    /// Reference.
    pub reference: String,
    /// Status message id (`state-…`).
    pub status_id: String,
    /// Messages.
    pub messages: Vec<MessageLine>,
    /// The session's CSRF token.
    pub csrf: String,
    /// A notice, already translated.
    pub notice: Option<String>,
    /// An error, already translated.
    pub error: Option<String>,
    /// Whether the requester is told about news.
    pub news_on: bool,
    /// The news form's values, echoed after an error.
    pub news_values: super::news::NewsValues,
    /// The news form's error, beside its field.
    pub news_error: Option<String>,
    /// The channels news may come on here.
    pub news_channels: Vec<shelter_shared::notice::NewsChannel>,
    /// Largest attachment, in megabytes.
    pub max_mb: usize,
    /// Referrals to a lawyer.
    pub referrals: Vec<PortalReferral>,
    /// Emergency grants on the case (the section is shown only when there are any).
    pub grants: Vec<PortalGrant>,
    /// The cooling-off period of a deletion request, in days.
    pub cooling_days: usize,
    /// When the request will be deleted (written in the page's language), if the requester asked.
    pub deletion_due: Option<String>,
    /// The offset from UTC times are shown in (`+6:30`), or `None` when in UTC.
    pub local_offset: Option<String>,
    /// When the next check-in is due (written in the page's language), if check-ins are asked.
    pub check_in_due: Option<String>,
}

/// "Report due by { $date }" in the page's language, the date already written in it.
fn report_due(t: Translator, date: &str) -> String {
    t.t_text("grant-report-due", "date", date)
}

/// "This request will be deleted after { $date }…", filled the same way.
fn deletion_scheduled(t: Translator, date: &str) -> String {
    t.t_text("deletion-scheduled", "date", date)
}

/// Asking for deletion, or cancelling it: plain forms, no JavaScript.
fn deletion_section(t: Translator, csrf: String, cooling_days: usize, due: Option<String>) -> impl IntoView {
    let lang = t.language.tag();
    let (text, action, button) = match due {
        Some(date) => (deletion_scheduled(t, &date), "/status/deletion/cancel", t.t("deletion-cancel")),
        None => (t.t_num("deletion-intro", "days", cooling_days), "/status/deletion", t.t("deletion-button")),
    };
    view! {
        <h2>{t.t("deletion-heading")}</h2>
        <p>{text}</p>
        <p class="quiet">{t.t("deletion-kept-grants")}</p>
        <form method="post" autocomplete="off" action=format!("{action}?lang={lang}")>
            <input type="hidden" name="csrf" value=csrf />
            <div><button type="submit">{button}</button></div>
        </form>
    }
}

/// Renders the case view.
pub fn render_case(view_data: PortalCase) -> String {
    let t = view_data.t;
    let lang = t.language.tag();
    let messages = if view_data.messages.is_empty() {
        view! { <p class="quiet">{t.t("messages-none")}</p> }.into_any()
    } else {
        view_data
            .messages
            .into_iter()
            .map(|m| {
                let (who, class) = if m.from_requester {
                    (t.t("message-from-you"), "message mine")
                } else {
                    (t.t("message-from-team"), "message")
                };
                view! { <div class=class><p class="quiet">{who}" · "{m.at}</p><p class="body">{m.body}</p></div> }
            })
            .collect_view()
            .into_any()
    };
    let referral_csrf = view_data.csrf.clone();
    let referrals = (!view_data.referrals.is_empty()).then(|| {
        let items = view_data
            .referrals
            .into_iter()
            .map(|r| {
                let packet = r
                    .packet
                    .into_iter()
                    .map(|line| {
                        let note = line.other_language.then(|| view! { <span class="quiet other-language">{t.t("packet-other-language")}</span> });
                        view! { <dt>{t.t(&line.label_id)}</dt><dd><span class="body">{line.text}</span>" "{note}</dd> }
                    })
                    .collect_view();
                let form = |action: &str, label: String| {
                    let url = format!("/status/referrals/{}/{action}?lang={lang}", r.id);
                    let csrf = referral_csrf.clone();
                    view! { <form method="post" autocomplete="off" action=url class="inline"><input type="hidden" name="csrf" value=csrf /><button type="submit">{label}</button></form> }
                };
                let answer = r.can_answer.then(|| view! { {form("consent", t.t("referral-consent"))}" " {form("refuse", t.t("referral-refuse"))} });
                let withdraw = r.can_withdraw.then(|| form("withdraw", t.t("referral-withdraw")));
                view! {
                    <div class="referral">
                        <p><strong>{t.t("referral-partner")}": "</strong>{r.partner_name}" (" {t.t(&r.partner_kind_id)} ")"</p>
                        <p class="notice">{t.t(&r.status_id)}</p>
                        <p><strong>{t.t("referral-will-share")}</strong></p>
                        <dl class="facts">{packet}</dl>
                        <p>{answer}{withdraw}</p>
                    </div>
                }
            })
            .collect_view();
        view! {
            <h2>{t.t("referral-heading")}</h2>
            <p>{t.t("referral-intro")}</p>
            <p>{t.t("referral-no-is-fine")}</p>
            <p class="quiet">{t.t("referral-withdraw-means")}</p>
            {items}
        }
    });
    let grant_csrf = view_data.csrf.clone();
    let grants = (!view_data.grants.is_empty()).then(|| {
        let items = view_data
            .grants
            .into_iter()
            .map(|g| {
                let url = |what: &str| format!("/status/grants/{}/{what}?lang={lang}", g.id);
                let confirm_label = t.t(if g.to_provider { "grant-confirm-provider" } else { "grant-confirm" });
                let confirm = g.can_confirm.then(|| {
                    let csrf = grant_csrf.clone();
                    view! {
                        <form method="post" autocomplete="off" action=url("receipt")>
                            <input type="hidden" name="csrf" value=csrf />
                            <div><button class="primary" type="submit">{confirm_label}</button></div>
                        </form>
                    }
                });
                let report = g.can_report.then(|| {
                    let csrf = grant_csrf.clone();
                    let field = format!("grant-report-{}", g.id);
                    let due = g.report_due.as_deref().map(|date| view! { <p class="notice">{report_due(t, date)}</p> });
                    view! {
                        {due}
                        <form method="post" autocomplete="off" action=url("report")>
                            <input type="hidden" name="csrf" value=csrf />
                            <div><label for=field.clone()>{t.t("grant-report-label")}</label>
                                <textarea id=field name="report" required maxlength="5000" rows="4"></textarea></div>
                            <div><button type="submit">{t.t("grant-report-send")}</button></div>
                        </form>
                    }
                });
                view! {
                    <div class="grant">
                        <h3>{t.t(&g.category_id)}</h3>
                        <dl class="facts">
                            <dt>{t.t("grant-amount")}</dt><dd>{g.amount}</dd>
                            <dt>{t.t("grant-status")}</dt><dd>{t.t(&g.status_id)}</dd>
                            {g.method_id.map(|id| view! { <dt>{t.t("grant-paid-how")}</dt><dd>{t.t(&id)}</dd> })}
                            {g.paid_on.map(|on| view! { <dt>{t.t("grant-paid-on")}</dt><dd>{on}</dd> })}
                        </dl>
                        {(g.to_provider && g.can_confirm).then(|| view! { <p class="notice">{t.t("grant-provider-confirm-note")}</p> })}
                        {confirm}
                        {report}
                    </div>
                }
            })
            .collect_view();
        view! { <h2>{t.t("grant-heading")}</h2><p>{t.t("grant-intro")}</p>{items} }
    });
    let news = super::news::portal_section(
        t,
        view_data.news_on,
        view_data.csrf.clone(),
        view_data.news_values,
        view_data.news_error.as_ref(),
        &view_data.news_channels,
    );
    let deletion = deletion_section(t, view_data.csrf.clone(), view_data.cooling_days, view_data.deletion_due.clone());
    let check_in = view_data.check_in_due.map(|due| super::danger::check_in_section(t, view_data.csrf.clone(), due));
    let duress = super::danger::portal_section(t, view_data.csrf.clone());
    let (csrf1, csrf2, csrf3) = (view_data.csrf.clone(), view_data.csrf.clone(), view_data.csrf);
    let times =
        view_data.local_offset.map_or_else(|| t.t("times-in-utc"), |offset| t.t_text("times-local", "offset", &offset));
    let hint = t.t_num("add-info-hint", "max_mb", view_data.max_mb);
    let body = view! {
        <h1>{t.t("status-heading")}</h1>
        <div class="session-bar">
            <p>{t.t("field-reference")}": "<code>{view_data.reference}</code></p>
            <form method="post" autocomplete="off" action=format!("/status/sign-out?lang={lang}")>
                <input type="hidden" name="csrf" value=csrf2 />
                <button type="submit">{t.t("portal-sign-out")}</button>
            </form>
        </div>
        <p class="notice">{t.t(&view_data.status_id)}</p>
        {view_data.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {view_data.error.map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {check_in}
        {referrals}
        {grants}
        <h2>{t.t("messages-heading")}</h2>
        <p class="quiet">{times}</p>
        {messages}
        <form method="post" autocomplete="off" action=format!("/status/messages?lang={lang}")>
            <input type="hidden" name="csrf" value=csrf1 />
            <div><label for="body">{t.t("message-label")}</label>
                <textarea id="body" name="body" required maxlength="5000" rows="4"></textarea></div>
            <div><button type="submit">{t.t("message-send")}</button></div>
        </form>
        <h2>{t.t("add-info-heading")}</h2>
        <p class="quiet">{hint}</p>
        <form method="post" autocomplete="off" action=format!("/status/attachments?lang={lang}") enctype="multipart/form-data">
            <input type="hidden" name="csrf" value=csrf3 />
            <div><label for="file">{t.t("attachment-label")}</label>
                <input id="file" name="file" type="file" required accept="image/jpeg,image/png,image/webp,application/pdf" /></div>
            <div><button type="submit">{t.t("attachment-send")}</button></div>
        </form>
        {news}
        {duress}
        {deletion}
    };
    page(t, &t.t("status-heading"), Some("/status/case"), body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    fn case(language: Language, grants: Vec<PortalGrant>) -> PortalCase {
        PortalCase {
            t: Translator::new(language),
            reference: "SH-TEST".to_owned(),
            status_id: "state-paid".to_owned(),
            messages: vec![],
            csrf: "csrf-token".to_owned(),
            notice: None,
            error: None,
            news_on: false,
            news_values: Default::default(),
            news_error: None,
            news_channels: vec![],
            max_mb: 10,
            referrals: vec![],
            grants,
            cooling_days: 7,
            deletion_due: None,
            local_offset: Some("+6:30".to_owned()),
            check_in_due: None,
        }
    }

    fn grant(can_confirm: bool, can_report: bool, report_due: Option<&str>) -> PortalGrant {
        PortalGrant {
            id: "g1".to_owned(),
            category_id: "grant-category-legal_fees".to_owned(),
            amount: "1,500.00 USD".to_owned(),
            status_id: "grant-status-disbursed".to_owned(),
            can_confirm,
            can_report,
            report_due: report_due.map(str::to_owned),
            method_id: Some("grant-method-bank_transfer".to_owned()),
            paid_on: Some("2025-06-01".to_owned()),
            to_provider: false,
        }
    }

    #[test]
    fn money_paid_to_a_lawyer_says_who_and_how_in_every_language() {
        for language in Language::ALL {
            let to_lawyer = PortalGrant {
                method_id: Some("grant-method-direct_to_provider".to_owned()),
                to_provider: true,
                ..grant(true, false, None)
            };
            let html = render_case(case(language, vec![to_lawyer]));
            let t = Translator::new(language);
            for id in [
                "grant-paid-how",
                "grant-method-direct_to_provider",
                "grant-provider-confirm-note",
                "grant-confirm-provider",
            ] {
                assert!(html.contains(&t.t(id)), "{}: {id}", language.tag());
            }
            assert!(!html.contains("grant-method-"), "{}", language.tag());
        }
    }

    #[test]
    fn the_report_due_date_is_filled_in_every_language() {
        for language in Language::ALL {
            let text = report_due(Translator::new(language), "2025-07-01");
            assert!(text.contains("2025-07-01"), "{}: {text}", language.tag());
            assert!(!text.contains('$') && !text.contains('{'), "{}: {text}", language.tag());
        }
    }

    #[test]
    fn the_deletion_form_asks_then_offers_to_cancel_in_every_language() {
        for language in Language::ALL {
            let html = render_case(case(language, vec![]));
            let tag = language.tag();
            assert!(html.contains(&format!(r#"action="/status/deletion?lang={tag}""#)), "{tag}: {html}");
            assert!(html.contains('7') && !html.contains("deletion-"), "{tag}: the period is filled in, no id leaks");
            let asked = PortalCase { deletion_due: Some("2031-05-04".into()), ..case(language, vec![]) };
            let html = render_case(asked);
            assert!(html.contains(&format!(r#"action="/status/deletion/cancel?lang={tag}""#)), "{tag}");
            assert!(html.contains("2031-05-04") && !html.contains("{$date}"), "{tag}: {html}");
        }
    }

    #[test]
    fn no_grants_no_section() {
        let html = render_case(case(Language::English, vec![]));
        assert!(!html.contains("Support from the network"));
        assert!(!html.contains("/status/grants/"));
    }

    #[test]
    fn a_grant_shows_its_words_and_only_the_allowed_forms() {
        let html = render_case(case(Language::English, vec![grant(true, false, None)]));
        assert!(html.contains("Support from the network"));
        assert!(html.contains("Lawyer&#39;s fees") || html.contains("Lawyer's fees"), "{html}");
        assert!(html.contains("1,500.00 USD"));
        assert!(html.contains("Sent: please confirm when it arrives"));
        assert!(html.contains(r#"action="/status/grants/g1/receipt?lang=en""#), "{html}");
        assert!(html.contains("I received it"));
        assert!(!html.contains("/status/grants/g1/report"));
        assert!(!html.contains("Report due by"));

        let html = render_case(case(Language::Thai, vec![grant(false, true, Some("2025-07-01"))]));
        assert!(!html.contains("/status/grants/g1/receipt"));
        assert!(html.contains(r#"action="/status/grants/g1/report?lang=th""#), "{html}");
        assert!(html.contains(r#"name="report""#) && html.contains(r#"maxlength="5000""#));
        assert!(html.contains("2025-07-01"));
        assert!(
            !html.contains("grant-category-") && !html.contains("grant-status-"),
            "an untranslated id leaked: {html}"
        );
    }
}
