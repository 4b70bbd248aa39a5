//! The case page: what happened, the checklist, messages, notes, decisions, actions.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav};
use chrono::{DateTime, Utc};

use crate::layout::{PageMeta, document};
use crate::raw_text;
use crate::reader::Reader;
use crate::words;

/// Who wrote or did something, put in words by the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The requester.
    Requester,
    /// Someone asked to vouch.
    Voucher,
    /// A staff member, by name.
    Staff(String),
    /// The system itself.
    System,
    /// A portal session under duress or custody: `duress` or `custody`.
    Marked(String),
}

impl Who {
    /// The words for this author.
    pub fn words(&self, r: Reader) -> String {
        match self {
            Who::Requester => r.t("case-who-requester"),
            Who::Voucher => r.t("case-who-voucher"),
            Who::Staff(name) => name.clone(),
            Who::System => r.t("case-who-system"),
            Who::Marked(mark) if mark == "duress" => r.t("case-who-duress"),
            Who::Marked(_) => r.t("case-who-custody"),
        }
    }
}

/// Something written on the case: a message or a note.
#[derive(Debug, Clone)]
pub struct Said {
    /// Who wrote it.
    pub who: Who,
    /// When.
    pub at: DateTime<Utc>,
    /// The text.
    pub text: String,
}

/// A field of the request, by its name (`narrative`, `at_risk`…).
#[derive(Debug, Clone)]
pub struct FieldLine {
    /// The field's name.
    pub name: String,
    /// What the requester wrote.
    pub text: String,
}

/// The case's facts, as codes and moments.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// State.
    pub status: String,
    /// Severity set at triage.
    pub severity: Option<String>,
    /// The requester's hint.
    pub severity_hint: Option<String>,
    /// Kind.
    pub kind: String,
    /// Country code.
    pub country: String,
    /// Language tag.
    pub language: String,
    /// Needs ticked.
    pub needs: Vec<String>,
    /// Filed.
    pub created_at: DateTime<Utc>,
    /// Acknowledge by.
    pub acknowledge_due_at: Option<DateTime<Utc>>,
    /// Decide by.
    pub decide_due_at: Option<DateTime<Utc>>,
    /// The playbook's version, once triaged.
    pub playbook_version: Option<i32>,
    /// Outcome, once closed.
    pub outcome: Option<String>,
}

/// A checklist task.
#[derive(Debug, Clone)]
pub struct TaskLine {
    /// Id.
    pub id: String,
    /// Title (the playbook's words).
    pub title: String,
    /// Role (`handler`).
    pub role: String,
    /// Guidance (the playbook's words).
    pub guidance: String,
    /// Due.
    pub due: DateTime<Utc>,
    /// Who marked it done, and when.
    pub done: Option<(String, DateTime<Utc>)>,
    /// The reader holds the task's role (may mark it done).
    pub can_do: bool,
    /// The reader marked it done (may undo it, with a reason).
    pub can_undo: bool,
}

/// An attachment link.
#[derive(Debug, Clone)]
pub struct AttachmentLine {
    /// Download URL.
    pub href: String,
    /// Name.
    pub name: String,
    /// Media type.
    pub media_type: String,
    /// Size.
    pub size_bytes: i32,
    /// SHA-256 of the original.
    pub sha256: String,
    /// Held back, not opened: the session's mark (`duress`, `custody`).
    pub held: Option<String>,
}

/// The actions the state machine and policy allow now.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    /// Acknowledge.
    pub acknowledge: bool,
    /// Triage (or re-triage).
    pub triage: bool,
    /// Put on hold.
    pub hold: bool,
    /// Resume.
    pub resume: bool,
    /// Close.
    pub close: bool,
    /// Reopen.
    pub reopen: bool,
    /// Write messages, notes, tick tasks.
    pub work: bool,
    /// Give the case back to the queue (its assigned handler).
    pub give_back: bool,
    /// Hand the case to another handler (supervisors).
    pub reassign: bool,
}

/// The page.
pub struct CasePage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF.
    pub csrf: String,
    /// Case id.
    pub id: String,
    /// Reference.
    pub reference: String,
    /// Version for optimistic concurrency.
    pub version: i32,
    /// Summary facts.
    pub facts: Facts,
    /// The requester's words.
    pub fields: Vec<FieldLine>,
    /// Checklist.
    pub tasks: Vec<TaskLine>,
    /// Messages.
    pub messages: Vec<Said>,
    /// Notes.
    pub notes: Vec<Said>,
    /// Attachments.
    pub attachments: Vec<AttachmentLine>,
    /// Timeline, in words.
    pub timeline: Vec<super::case_timeline::Line>,
    /// The playbook's guidance and what is next, once triaged.
    pub guidance: Option<super::case_guidance::Guidance>,
    /// Allowed actions.
    pub actions: Actions,
    /// Current severity and kind, for the triage form; empty until triaged ("Choose…").
    pub severity: String,
    /// Kind; empty until triaged.
    pub kind: String,
    /// Handlers to assign to (supervisors): (id, name).
    pub handlers: Vec<(String, String)>,
    /// A problem to show.
    pub error: Option<String>,
    /// The case's referrals.
    pub referrals: Vec<super::referrals::ReferralItem>,
    /// Partners to refer to, those of the case's country first.
    pub partners: Vec<PartnerChoice>,
    /// The case's grants.
    pub grants: Vec<super::grants::CaseGrantLine>,
    /// The propose form's choices, when the viewer may propose.
    pub grant_choices: Option<super::grants::ProposeChoices>,
    /// The session confirmed a fresh second factor (needed to enter payee details).
    pub stepped_up: bool,
    /// Legal hold and deletion request.
    pub retention: super::retention::HoldSection,
    /// The registry member the case concerns: `None` when the reader may not link members,
    /// `Some(None)` when no member is linked yet.
    pub member: Option<Option<shelter_shared::alumni::CaseMember>>,
    /// Whether the reader may link the case to a member (supervisors).
    pub can_link_member: bool,
    /// The attestations, for readers who see the case in full; whether they may ask more
    /// people; the time now.
    pub verification: Option<(shelter_shared::vouch::Verification, bool, chrono::DateTime<chrono::Utc>)>,
    /// The requester's safety: duress alert, custody mode, check-ins.
    pub danger: Option<super::danger::DangerSection>,
    /// A refused form's fields, shown again in it.
    pub typed: super::typed::Typed,
}

/// A partner the case may be referred to.
#[derive(Debug, Clone)]
pub struct PartnerChoice {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Countries it works in (codes).
    pub countries: Vec<String>,
    /// Capacity (`available`, `limited`, `full`).
    pub capacity: String,
    /// Works in the case's country.
    pub local: bool,
}

fn post_form<F: IntoView + 'static>(
    action: String,
    csrf: &str,
    version: i32,
    fields: F,
    button: String,
) -> impl IntoView + use<F> {
    let version = version.to_string();
    view! {
        <form method="post" action=action>
            {csrf_field(csrf)}<input type="hidden" name="version" value=version />
            {fields}
            <div><button type="submit">{button}</button></div>
        </form>
    }
}

fn rationale(r: Reader, typed: String) -> impl IntoView {
    view! { <div><label>{r.t("case-rationale")}" " <textarea name="rationale" required maxlength="5000" rows="2">{raw_text::textarea(&typed)}</textarea></label></div> }
}

fn said_list(r: Reader, items: Vec<Said>, class: &'static str) -> impl IntoView {
    items
        .into_iter()
        .map(|i| {
            let label = format!("{} · {}", i.who.words(r), r.time(i.at));
            view! { <div class=class><p class="quiet">{label}</p><p class="body">{i.text}</p></div> }
        })
        .collect_view()
}

/// The facts in words: (label, text).
fn fact_lines(r: Reader, f: Facts) -> Vec<(String, String)> {
    let severity = match (&f.severity, &f.severity_hint) {
        (Some(s), _) => words::severity(r, s),
        (None, Some(hint)) => r.t_text("word-hint", "value", &words::severity(r, hint)),
        (None, None) => r.t("case-no-severity"),
    };
    let needs = if f.needs.is_empty() {
        r.t("word-none")
    } else {
        f.needs.iter().map(|n| words::need(r, n)).collect::<Vec<_>>().join(", ")
    };
    let mut lines = vec![
        (r.t("case-fact-status"), words::case_state(r, &f.status)),
        (r.t("case-fact-severity"), severity),
        (r.t("case-fact-kind"), words::kind(r, &f.kind)),
        (r.t("case-fact-country"), words::country(r, &f.country)),
        (r.t("case-fact-language"), words::language(r, &f.language)),
        (r.t("case-fact-needs"), needs),
        (r.t("case-fact-filed"), r.time(f.created_at)),
    ];
    if let Some(due) = f.acknowledge_due_at {
        lines.push((r.t("case-fact-acknowledge-by"), r.time(due)));
    }
    if let Some(due) = f.decide_due_at {
        lines.push((r.t("case-fact-decide-by"), r.time(due)));
    }
    if let Some(version) = f.playbook_version {
        let text = r.t_texts("case-playbook", &[("kind", &words::kind(r, &f.kind)), ("version", &version.to_string())]);
        lines.push((r.t("case-fact-playbook"), text));
    }
    if let Some(outcome) = &f.outcome {
        lines.push((r.t("case-fact-outcome"), words::outcome(r, outcome)));
    }
    lines
}

/// A field's name in words (`at_risk` → "Who is at risk").
fn field_name(r: Reader, name: &str) -> String {
    let id = format!("case-field-{}", name.replace('_', "-"));
    if crate::i18n::Translator::has(r.language, &id) { r.t(&id) } else { name.replace('_', " ") }
}

/// Renders the case page.
pub fn render(page: CasePage) -> String {
    let r = page.nav.reader;
    let (csrf, id, version) = (page.csrf.clone(), page.id.clone(), page.version);
    let a = page.actions.clone();
    let typed = page.typed.clone();
    let t = |form: &str, name: &str| typed.get(form, name);
    let url = |action: &str| format!("/staff/cases/{id}/{action}");
    let facts = fact_lines(r, page.facts.clone())
        .into_iter()
        .map(|(label, text)| view! { <dt>{label}</dt><dd>{text}</dd> })
        .collect_view();
    let fields = page
        .fields
        .into_iter()
        .map(|f| view! { <div class="field"><p class="quiet">{field_name(r, &f.name)}</p><p class="body">{f.text}</p></div> })
        .collect_view();
    let tasks = page
        .tasks
        .into_iter()
        .map(|t| {
            let done = t.done.clone();
            let button = (done.is_none() && a.work && t.can_do).then(|| {
                let action = format!("/staff/cases/{}/tasks/{}/done", page.id, t.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">{r.t("case-task-done")}</button></form> }
            });
            // Only the person who ticked a task may reopen it, and says why (audited).
            let undo = (done.is_some() && a.work && t.can_undo).then(|| {
                let action = format!("/staff/cases/{}/tasks/{}/undo", page.id, t.id);
                let field = format!("undo-reason-{}", t.id);
                let reason = typed.get(&format!("undo-{}", t.id), "reason");
                // Folded away until wanted (no script needed); open again when refused.
                let open = typed.is(&format!("undo-{}", t.id));
                view! {
                    <details class="undo" open=open><summary>{r.t("case-task-undo-open")}</summary>
                    <form method="post" action=action>{csrf_field(&csrf)}
                        <label for=field.clone()>{r.t("case-task-undo-why")}</label>
                        <textarea id=field name="reason" required maxlength="5000" rows="1">{raw_text::textarea(&reason)}</textarea>
                        <button type="submit">{r.t("case-task-undo")}</button>
                    </form></details>
                }
            });
            let about = r.t_texts("case-task-about", &[("role", &words::role(r, &t.role)), ("due", &r.time(t.due))]);
            let done = done.map(|(name, at)| {
                let text = r.t_texts("case-task-done-by", &[("name", &name), ("at", &r.time(at))]);
                view! { <span class="quiet">{text}</span> }
            });
            view! { <li><strong>{t.title}</strong>" " {about}" " {done} {button}{undo}<br /><span class="quiet">{t.guidance}</span></li> }
        })
        .collect_view();
    let attachments = page
        .attachments
        .into_iter()
        .map(|f| {
            let about = match &f.held {
                Some(mark) => r.t_text("case-attachment-held", "who", &Who::Marked(mark.clone()).words(r)),
                None => r.t_texts(
                    "case-attachment-about",
                    &[("type", &f.media_type), ("size", &f.size_bytes.to_string()), ("sha", &f.sha256)],
                ),
            };
            view! { <li><a href=f.href download="">{f.name}</a>" " <span class="quiet">{about}</span></li> }
        })
        .collect_view();
    let timeline = super::case_timeline::list(page.timeline);
    let guidance = page.guidance.map(|g| super::case_guidance::section(r, g));
    let summary_link = format!("/staff/cases/{id}/summary");
    let or = |typed: String, shown: &str| if typed.is_empty() { shown.to_owned() } else { typed };
    let (severity, kind) = (or(t("triage", "severity"), &page.severity), or(t("triage", "kind"), &page.kind));
    let severities = ["critical", "high", "medium", "low"]
        .into_iter()
        .map(|s| view! { <option value=s selected={s == severity}>{words::severity(r, s)}</option> })
        .collect_view();
    let kinds = ["arrest_detention", "criminal_charges", "threat_attack", "digital_attack", "relocation", "medical"]
        .into_iter()
        .map(|k| view! { <option value=k selected={k == kind}>{words::kind(r, k)}</option> })
        .collect_view();
    let assignee = t("triage", "assignee");
    let assignees = (!page.handlers.is_empty()).then(|| {
        let options = page
            .handlers
            .clone()
            .into_iter()
            .map(|(id, name)| {
                let selected = id == assignee;
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view();
        view! { <div><label>{r.t("case-assign-to")}" " <select name="assignee"><option value="">{r.t("case-keep")}</option>{options}</select></label></div> }
    });
    let triage = a.triage.then(|| {
        let fields = view! {
            <div><label>{r.t("case-fact-severity")}" " <select name="severity" required>
                <option value="" selected={severity.is_empty()}>{r.t("word-choose")}</option>{severities}</select></label></div>
            <div><label>{r.t("case-fact-kind")}" " <select name="kind" required>
                <option value="" selected={kind.is_empty()}>{r.t("word-choose")}</option>{kinds}</select></label></div>
            {assignees}
            {rationale(r, t("triage", "rationale"))}
        };
        view! { <h3>{r.t("case-triage")}</h3>{post_form(url("triage"), &csrf, version, fields, r.t("case-triage"))} }
    });
    let outcomes = ["resolved", "referred_out", "declined", "duplicate", "unreachable", "withdrawn"]
        .into_iter()
        .map(|o| {
            let selected = o == t("close", "outcome");
            view! { <option value=o selected=selected>{words::outcome(r, o)}</option> }
        })
        .collect_view();
    let acknowledge = a.acknowledge.then(|| post_form(url("acknowledge"), &csrf, version, (), r.t("case-acknowledge")));
    let hold = a.hold.then(|| {
        view! { <h3>{r.t("case-hold")}</h3>{post_form(url("hold"), &csrf, version, rationale(r, t("hold", "rationale")), r.t("case-hold"))} }
    });
    let resume = a.resume.then(|| {
        view! { <h3>{r.t("case-resume")}</h3>{post_form(url("resume"), &csrf, version, rationale(r, t("resume", "rationale")), r.t("case-resume"))} }
    });
    // A linked member the reader may record a status for: closing can add to their timeline.
    let member_linked = matches!(page.member, Some(Some(_)));
    let close = a.close.then(|| {
        let member = member_linked.then(super::alumni::closing_status_fields);
        let fields = view! { <div><label>{r.t("case-fact-outcome")}" " <select name="outcome">{outcomes}</select></label></div>{rationale(r, t("close", "rationale"))}{member} };
        view! { <h3>{r.t("case-close")}</h3>{post_form(url("close"), &csrf, version, fields, r.t("case-close-button"))} }
    });
    let give_back = a.give_back.then(|| {
        view! { <h3>{r.t("queue-give-back")}</h3><p class="quiet">{r.t("case-give-back-intro")}</p>
        {post_form(url("unclaim"), &csrf, version, (), r.t("case-give-back-button"))} }
    });
    let reassign = (a.reassign && !page.handlers.is_empty()).then(|| {
        let chosen = t("reassign", "assignee");
        let options = page
            .handlers
            .iter()
            .map(|(id, name)| {
                let selected = *id == chosen;
                view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
            })
            .collect_view();
        let fields = view! {
            <div><label>{r.t("case-handler")}" " <select name="assignee" required><option value="">{r.t("word-choose")}</option>{options}</select></label></div>
            <div><label>{r.t("case-reason")}" " <textarea name="reason" required maxlength="5000" rows="2">{raw_text::textarea(&t("reassign", "reason"))}</textarea></label></div>
        };
        view! { <h3>{r.t("case-reassign")}</h3>{post_form(url("reassign"), &csrf, version, fields, r.t("case-reassign"))} }
    });
    let reopen = a.reopen.then(|| {
        view! { <h3>{r.t("case-reopen")}</h3>{post_form(url("reopen"), &csrf, version, rationale(r, t("reopen", "rationale")), r.t("case-reopen"))} }
    });
    let work = a.work.then(|| {
        view! {
            <h3>{r.t("case-write")}</h3>
            <p class="quiet">{r.t("case-write-intro")}</p>
            {post_form(url("messages"), &csrf, version, view! { <div><textarea name="body" required maxlength="5000" rows="3" aria-label=r.t("case-message")>{raw_text::textarea(&t("messages", "body"))}</textarea></div> }, r.t("case-send"))}
            <h3>{r.t("case-note")}</h3>
            {post_form(url("notes"), &csrf, version, view! { <div><textarea name="body" required maxlength="5000" rows="2" aria-label=r.t("case-note")>{raw_text::textarea(&t("notes", "body"))}</textarea></div> }, r.t("case-add-note"))}
        }
    });
    let understand = view! {
        <div><label class="check"><input type="checkbox" name="confirm" value="yes" required />
            " " {r.t("case-conflict-understand")}</label></div>
    };
    let conflict = post_form(url("conflict"), &csrf, version, understand, r.t("case-conflict-button"));
    let referral_list = super::referrals::list(r, &csrf, page.referrals);
    let propose = (a.work && !page.partners.is_empty()).then(|| {
        let (local, elsewhere): (Vec<_>, Vec<_>) = page.partners.into_iter().partition(|p| p.local);
        let chosen = t("referrals", "partner_id");
        let group = |label: String, partners: Vec<PartnerChoice>| {
            let options = partners
                .into_iter()
                .map(|p| {
                    let selected = p.id == chosen;
                    let countries = p.countries.iter().map(|c| words::country(r, c)).collect::<Vec<_>>().join(", ");
                    let text = format!("{} — {} — {}", p.name, countries, words::capacity(r, &p.capacity));
                    view! { <option value=p.id selected=selected>{text}</option> }
                })
                .collect_view();
            view! { <optgroup label=label>{options}</optgroup> }
        };
        let options = view! {
            {(!local.is_empty()).then(|| group(r.t("case-partners-local"), local))}
            {(!elsewhere.is_empty()).then(|| group(r.t("case-partners-elsewhere"), elsewhere))}
        };
        let extras = ["names", "contact", "narrative"]
            .into_iter()
            .map(|value| {
                let checked = typed.all("referrals", "fields").iter().any(|f| f == value);
                view! { <label class="check"><input type="checkbox" name="fields" value=value checked=checked />" " {words::packet_field(r, value)}</label> }
            })
            .collect_view();
        let fields = view! {
            <div><label>{r.t("case-partner")}" " <select name="partner_id">{options}</select></label></div>
            <div><label>{words::packet_field(r, "legal_help")}" " <input name="purpose" required maxlength="1000" value=t("referrals", "purpose") /></label></div>
            <div><label>{r.t("case-summary")}" " <textarea name="summary" required maxlength="5000" rows="3">{raw_text::textarea(&t("referrals", "summary"))}</textarea></label></div>
            <fieldset><legend>{r.t("case-also-share")}</legend>{extras}</fieldset>
        };
        view! { <h3>{r.t("case-refer")}</h3>{post_form(url("referrals"), &csrf, version, fields, r.t("case-propose"))} }
    });
    let grants = super::grants::case_section(
        page.nav.reader,
        &id,
        &csrf,
        page.grants,
        page.grant_choices,
        page.stepped_up,
        &typed,
    );
    let retention = super::retention::hold_section(&csrf, page.retention);
    let can_link = page.can_link_member;
    let member = page.member.map(|m| super::alumni::case_section(&id, &csrf, m, can_link));
    let verification = page.verification.map(|(v, may_ask, now)| {
        let ask = may_ask.then(|| format!("/staff/cases/{id}/vouch"));
        super::vouch::verification_section(v, None, now, ask)
    });
    let danger = page.danger.map(|d| super::danger::section(r, &csrf, d));
    let title = r.t_text("case-title", "reference", &page.reference);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <p><a href=summary_link>{r.t("cf-summary-link")}</a></p>
        {error_line(page.error.as_deref())}
        <dl class="facts">{facts}</dl>
        {danger}
        {member}
        <h2>{r.t("case-what-happened")}</h2>
        {fields}
        {guidance}
        <h2>{r.t("case-checklist")}</h2>
        <ol class="tasks">{tasks}</ol>
        <h2>{r.t("case-messages")}</h2>
        {said_list(r, page.messages, "message")}
        <h2>{r.t("case-notes")}</h2>
        {said_list(r, page.notes, "message")}
        <h2>{r.t("case-attachments")}</h2>
        <ul>{attachments}</ul>
        <h2>{r.t("case-referrals")}</h2>
        {referral_list}
        {propose}
        {verification}
        {grants}
        <h2>{r.t("case-actions")}</h2>
        {acknowledge}{triage}{work}{hold}{resume}{close}{reopen}{give_back}{reassign}
        <h3>{r.t("case-conflict")}</h3>
        <p class="quiet">{r.t("case-conflict-intro")}</p>
        {conflict}
        {retention}
        <h2>{r.t("case-timeline")}</h2>
        {timeline}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
