//! The printable case summary (`GET /staff/cases/{id}/summary`) for a supervisor's review
//! or a lawyer: one page holding only what its reader may see. The server decides the
//! scope and leaves out what the scope hides; this page only renders what it is given and
//! says what was left out.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::case_timeline::Line;
use super::case_words::word;
use crate::countries;
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// Whose summary it is, which decides what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The case's handler or a supervisor: the whole case.
    Full,
    /// Finance: the case's grants and payments, no narrative, contacts or rationales.
    Finance,
    /// A partner lawyer: the packets the requester consented to share with them.
    Partner,
}

/// The case's plain facts (full scope).
#[derive(Debug, Clone)]
pub struct Facts {
    /// Reference.
    pub reference: String,
    /// State code.
    pub state: String,
    /// Severity code, once triaged.
    pub severity: Option<String>,
    /// Kind code.
    pub kind: String,
    /// Country code.
    pub country: String,
    /// Language of the requester (its own name).
    pub language: String,
    /// Filed.
    pub filed: DateTime<Utc>,
    /// Who holds it.
    pub holder: Option<String>,
    /// Outcome code, once closed.
    pub outcome: Option<String>,
}

/// A checklist task.
#[derive(Debug, Clone)]
pub struct TaskRow {
    /// Title (the playbook's words).
    pub title: String,
    /// Role code.
    pub role: String,
    /// Due.
    pub due_at: DateTime<Utc>,
    /// Who did it and when.
    pub done: Option<(String, DateTime<Utc>)>,
}

/// A supervisor's decision on a grant.
#[derive(Debug, Clone)]
pub struct DecisionRow {
    /// Who.
    pub name: String,
    /// Approved (else rejected).
    pub approved: bool,
    /// When.
    pub at: DateTime<Utc>,
    /// Why: `None` when the reader may not see rationales (finance).
    pub rationale: Option<String>,
}

/// A grant.
#[derive(Debug, Clone)]
pub struct GrantRow {
    /// Category code.
    pub category: String,
    /// Amount, formatted.
    pub amount: String,
    /// State code.
    pub state: String,
    /// Decisions, oldest first.
    pub decisions: Vec<DecisionRow>,
    /// Paid on (a day), once paid.
    pub paid_on: Option<String>,
}

/// A referral, as the case's handler sees it.
#[derive(Debug, Clone)]
pub struct ReferralRow {
    /// Partner's name.
    pub partner: String,
    /// State code.
    pub state: String,
    /// What legal help is asked.
    pub purpose: String,
}

/// A packet a partner received: its fields, in the order shared.
#[derive(Debug, Clone)]
pub struct PacketRow {
    /// State code.
    pub state: String,
    /// (field code, text).
    pub fields: Vec<(String, String)>,
}

/// The page's data.
#[derive(Debug, Clone)]
pub struct SummaryPage {
    /// Who reads it.
    pub reader: Reader,
    /// Their name, printed on it.
    pub reader_name: String,
    /// When it was made.
    pub printed_at: DateTime<Utc>,
    /// The case id (for the link back).
    pub case_id: String,
    /// What it may hold.
    pub scope: Scope,
    /// Full scope: the facts.
    pub facts: Option<Facts>,
    /// Full scope: the requester's words (field code, text).
    pub fields: Vec<(String, String)>,
    /// Full scope: the checklist.
    pub tasks: Vec<TaskRow>,
    /// Full scope: decisions and events in words.
    pub timeline: Vec<Line>,
    /// Full scope: referrals.
    pub referrals: Vec<ReferralRow>,
    /// Full and finance scopes: grants.
    pub grants: Vec<GrantRow>,
    /// Partner scope: the packets shared with them.
    pub packets: Vec<PacketRow>,
}

fn facts_list(r: Reader, f: Facts) -> impl IntoView {
    let dash = || "—".to_owned();
    let rows = [
        (r.t("cf-summary-state"), word(r, "state", &f.state)),
        (r.t("cf-summary-severity"), f.severity.map(|s| word(r, "severity", &s)).unwrap_or_else(dash)),
        (r.t("cf-summary-kind"), word(r, "kind", &f.kind)),
        (r.t("cf-summary-country"), countries::name(r.tr(), &f.country)),
        (r.t("cf-summary-language"), f.language),
        (r.t("cf-summary-filed"), r.long_time(f.filed)),
        (r.t("cf-summary-holder"), f.holder.unwrap_or_else(|| r.t("cf-who-nobody"))),
        (r.t("cf-summary-outcome"), f.outcome.map(|o| word(r, "outcome", &o)).unwrap_or_else(dash)),
    ];
    let rows = rows.into_iter().map(|(label, text)| view! { <dt>{label}</dt><dd>{text}</dd> }).collect_view();
    view! { <dl class="facts">{rows}</dl> }
}

fn grants_section(r: Reader, grants: Vec<GrantRow>) -> impl IntoView {
    let body = if grants.is_empty() {
        view! { <p>{r.t("cf-summary-no-grants")}</p> }.into_any()
    } else {
        grants
            .into_iter()
            .map(|g| {
                let decisions = g
                    .decisions
                    .into_iter()
                    .map(|d| {
                        let id = if d.approved { "cf-summary-approved-by" } else { "cf-summary-rejected-by" };
                        let said = r.t_texts(id, &[("name", &d.name), ("time", &r.time(d.at))]);
                        let why = match d.rationale {
                            Some(why) => view! { <br /><em>{why}</em> }.into_any(),
                            None => view! { <br /><span class="quiet">{r.t("cf-summary-rationale-hidden")}</span> }
                                .into_any(),
                        };
                        view! { <li>{said}{why}</li> }
                    })
                    .collect_view();
                let paid = g.paid_on.map(|day| view! { <p>{r.t_text("cf-summary-paid-on", "day", &day)}</p> });
                view! {
                    <div class="figure">
                        <h3>{word(r, "category", &g.category)}" · " {g.amount}" · " {word(r, "grant", &g.state)}</h3>
                        <ul>{decisions}</ul>{paid}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! { <h2>{r.t("cf-summary-grants")}</h2>{body} }
}

fn packet_value(r: Reader, field: &str, text: String) -> String {
    match field {
        "kind" => word(r, "kind", &text),
        "country" => countries::name(r.tr(), &text),
        _ => text,
    }
}

/// Renders the summary.
pub fn render(page: SummaryPage) -> String {
    let r = page.reader;
    let title = match (&page.scope, &page.facts) {
        (Scope::Full, Some(f)) => r.t_text("cf-summary-title", "reference", &f.reference),
        (Scope::Finance, _) => r.t("cf-summary-title-finance"),
        _ => r.t("cf-summary-title-partner"),
    };
    let printed =
        r.t_texts("cf-summary-printed", &[("name", &page.reader_name), ("time", &r.long_time(page.printed_at))]);
    let scope_note = match page.scope {
        Scope::Full => r.t("cf-summary-scope-full"),
        Scope::Finance => r.t("cf-summary-scope-finance"),
        Scope::Partner => r.t("cf-summary-scope-partner"),
    };
    let back = match page.scope {
        Scope::Full => format!("/staff/cases/{}", page.case_id),
        _ => "/staff".to_owned(),
    };
    let task_lang = (r.language.tag() != "en").then_some("en");
    let body = match page.scope {
        Scope::Full => {
            let facts = page.facts.map(|f| facts_list(r, f));
            let fields = page
                .fields
                .into_iter()
                .map(|(name, text)| view! { <h3>{word(r, "field", &name)}</h3><p class="body">{text}</p> })
                .collect_view();
            let tasks = page
                .tasks
                .into_iter()
                .map(|t| {
                    let state = match t.done {
                        Some((name, at)) => r.t_texts("cf-summary-task-done", &[("name", &name), ("time", &r.time(at))]),
                        None => r.t_text("cf-summary-task-open", "time", &r.time(t.due_at)),
                    };
                    view! { <li><span lang=task_lang>{t.title}</span>" (" {word(r, "role", &t.role)} ") — " {state}</li> }
                })
                .collect_view();
            let referrals = if page.referrals.is_empty() {
                view! { <p>{r.t("cf-summary-no-referrals")}</p> }.into_any()
            } else {
                page.referrals
                    .into_iter()
                    .map(|f| view! { <p><strong>{f.partner}</strong>" · " {word(r, "referral", &f.state)}<br />{f.purpose}</p> })
                    .collect_view()
                    .into_any()
            };
            view! {
                {facts}
                <h2>{r.t("cf-summary-words")}</h2>{fields}
                <h2>{r.t("cf-summary-checklist")}</h2><ul>{tasks}</ul>
                <h2>{r.t("cf-summary-timeline")}</h2>{super::case_timeline::list(page.timeline)}
                <h2>{r.t("cf-summary-referrals")}</h2>{referrals}
                {grants_section(r, page.grants)}
            }
            .into_any()
        }
        Scope::Finance => grants_section(r, page.grants).into_any(),
        Scope::Partner => page
            .packets
            .into_iter()
            .map(|p| {
                let fields = p
                    .fields
                    .into_iter()
                    .map(|(field, text)| {
                        let shown = packet_value(r, &field, text);
                        view! { <dt>{word(r, "packet", &field)}</dt><dd class="body">{shown}</dd> }
                    })
                    .collect_view();
                view! { <div class="figure"><h2>{word(r, "referral", &p.state)}</h2><dl class="facts">{fields}</dl></div> }
            })
            .collect_view()
            .into_any(),
    };
    let page_body = view! {
        <p class="no-print"><a href=back>{r.t("cf-summary-back")}</a></p>
        <h1>{title.clone()}</h1>
        <p class="notice"><strong>{r.t("cf-summary-confidential")}</strong>" " {printed}</p>
        <p class="quiet">{scope_note}</p>
        <div class="summary">{body}</div>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, page_body)
}
