//! The case page: what happened, the checklist, messages, notes, decisions, actions.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};
use crate::raw_text;

/// A line of text with a label.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// Label.
    pub label: String,
    /// Text.
    pub text: String,
}

/// A checklist task.
#[derive(Debug, Clone)]
pub struct TaskLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Role.
    pub role: String,
    /// Guidance.
    pub guidance: String,
    /// Due, formatted.
    pub due: String,
    /// "done by X at T", if done.
    pub done: Option<String>,
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
    /// Type and size.
    pub about: String,
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
    pub facts: Vec<Labelled>,
    /// The requester's words.
    pub fields: Vec<Labelled>,
    /// Checklist.
    pub tasks: Vec<TaskLine>,
    /// Messages ("who · when", text).
    pub messages: Vec<Labelled>,
    /// Notes ("who · when", text).
    pub notes: Vec<Labelled>,
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
    /// Partners to refer to: (id, "name — countries — capacity", works in the case's
    /// country), those of the case's country first.
    pub partners: Vec<(String, String, bool)>,
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

fn post_form<F: IntoView + 'static>(
    action: String,
    csrf: &str,
    version: i32,
    fields: F,
    button: &'static str,
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

fn rationale(typed: String) -> impl IntoView {
    view! { <div><label>"Rationale" <textarea name="rationale" required maxlength="5000" rows="2">{raw_text::textarea(&typed)}</textarea></label></div> }
}

fn labelled_list(items: Vec<Labelled>, class: &'static str) -> impl IntoView {
    items
        .into_iter()
        .map(|i| view! { <div class=class><p class="quiet">{i.label}</p><p class="body">{i.text}</p></div> })
        .collect_view()
}

/// Renders the case page.
pub fn render(page: CasePage) -> String {
    let (csrf, id, version) = (page.csrf.clone(), page.id.clone(), page.version);
    let a = page.actions.clone();
    let typed = page.typed.clone();
    let t = |form: &str, name: &str| typed.get(form, name);
    let url = |action: &str| format!("/staff/cases/{id}/{action}");
    let facts = page.facts.into_iter().map(|f| view! { <dt>{f.label}</dt><dd>{f.text}</dd> }).collect_view();
    let tasks = page
        .tasks
        .into_iter()
        .map(|t| {
            let done = t.done.clone();
            let button = (done.is_none() && a.work && t.can_do).then(|| {
                let action = format!("/staff/cases/{}/tasks/{}/done", page.id, t.id);
                view! { <form method="post" action=action class="inline">{csrf_field(&csrf)}<button type="submit">"Done"</button></form> }
            });
            // Only the person who ticked a task may reopen it, and says why (audited).
            let undo = (done.is_some() && a.work && t.can_undo).then(|| {
                let action = format!("/staff/cases/{}/tasks/{}/undo", page.id, t.id);
                let field = format!("undo-reason-{}", t.id);
                let reason = typed.get(&format!("undo-{}", t.id), "reason");
                // Folded away until wanted (no script needed); open again when refused.
                let open = typed.is(&format!("undo-{}", t.id));
                view! {
                    <details class="undo" open=open><summary>"Undo done…"</summary>
                    <form method="post" action=action>{csrf_field(&csrf)}
                        <label for=field.clone()>"Why is it not done after all?"</label>
                        <textarea id=field name="reason" required maxlength="5000" rows="1">{raw_text::textarea(&reason)}</textarea>
                        <button type="submit">"Undo done"</button>
                    </form></details>
                }
            });
            view! { <li><strong>{t.title}</strong>" (" {t.role} ", due " {t.due} ") " {done.map(|d| view! { <span class="quiet">{d}</span> })} {button}{undo}<br /><span class="quiet">{t.guidance}</span></li> }
        })
        .collect_view();
    let attachments = page
        .attachments
        .into_iter()
        .map(|f| view! { <li><a href=f.href download="">{f.name}</a>" " <span class="quiet">{f.about}</span></li> })
        .collect_view();
    let reader = page.nav.reader;
    let timeline = super::case_timeline::list(page.timeline);
    let guidance = page.guidance.map(|g| super::case_guidance::section(reader, g));
    let summary_link = format!("/staff/cases/{id}/summary");
    let or = |typed: String, shown: &str| if typed.is_empty() { shown.to_owned() } else { typed };
    let (severity, kind) = (or(t("triage", "severity"), &page.severity), or(t("triage", "kind"), &page.kind));
    let severities = ["critical", "high", "medium", "low"]
        .into_iter()
        .map(|s| view! { <option value=s selected={s == severity}>{s}</option> })
        .collect_view();
    let kinds = ["arrest_detention", "criminal_charges", "threat_attack", "digital_attack", "relocation", "medical"]
        .into_iter()
        .map(|k| view! { <option value=k selected={k == kind}>{k}</option> })
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
        view! { <div><label>"Assign to" <select name="assignee"><option value="">"(keep)"</option>{options}</select></label></div> }
    });
    let triage = a.triage.then(|| {
        let fields = view! {
            <div><label>"Severity" <select name="severity" required>
                <option value="" selected={severity.is_empty()}>"Choose…"</option>{severities}</select></label></div>
            <div><label>"Kind" <select name="kind" required>
                <option value="" selected={kind.is_empty()}>"Choose…"</option>{kinds}</select></label></div>
            {assignees}
            {rationale(t("triage", "rationale"))}
        };
        view! { <h3>"Triage"</h3>{post_form(url("triage"), &csrf, version, fields, "Triage")} }
    });
    let outcomes = ["resolved", "referred_out", "declined", "duplicate", "unreachable", "withdrawn"]
        .into_iter()
        .map(|o| {
            let selected = o == t("close", "outcome");
            view! { <option value=o selected=selected>{o}</option> }
        })
        .collect_view();
    let acknowledge = a.acknowledge.then(|| post_form(url("acknowledge"), &csrf, version, (), "Acknowledge"));
    let hold = a
        .hold
        .then(|| view! { <h3>"Put on hold"</h3>{post_form(url("hold"), &csrf, version, rationale(t("hold", "rationale")), "Put on hold")} });
    let resume = a.resume.then(
        || view! { <h3>"Resume"</h3>{post_form(url("resume"), &csrf, version, rationale(t("resume", "rationale")), "Resume")} },
    );
    // A linked member the reader may record a status for: closing can add to their timeline.
    let member_linked = matches!(page.member, Some(Some(_)));
    let close = a.close.then(|| {
        let member = member_linked.then(super::alumni::closing_status_fields);
        let fields = view! { <div><label>"Outcome" <select name="outcome">{outcomes}</select></label></div>{rationale(t("close", "rationale"))}{member} };
        view! { <h3>"Close"</h3>{post_form(url("close"), &csrf, version, fields, "Close the case")} }
    });
    let give_back = a.give_back.then(|| {
        view! { <h3>"Give back"</h3><p class="quiet">"The case returns to the queue unassigned; another handler can claim it."</p>
            {post_form(url("unclaim"), &csrf, version, (), "Give back to the queue")} }
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
            <div><label>"Handler" <select name="assignee" required><option value="">"Choose…"</option>{options}</select></label></div>
            <div><label>"Reason" <textarea name="reason" required maxlength="5000" rows="2">{raw_text::textarea(&t("reassign", "reason"))}</textarea></label></div>
        };
        view! { <h3>"Reassign"</h3>{post_form(url("reassign"), &csrf, version, fields, "Reassign")} }
    });
    let reopen =
        a.reopen.then(|| view! { <h3>"Reopen"</h3>{post_form(url("reopen"), &csrf, version, rationale(t("reopen", "rationale")), "Reopen")} });
    let work = a.work.then(|| {
        view! {
            <h3>"Write to the requester"</h3>
            <p class="quiet">"They see \"the network\", never your name. Nothing dangerous until a safe channel is agreed."</p>
            {post_form(url("messages"), &csrf, version, view! { <div><textarea name="body" required maxlength="5000" rows="3" aria-label="Message">{raw_text::textarea(&t("messages", "body"))}</textarea></div> }, "Send")}
            <h3>"Internal note"</h3>
            {post_form(url("notes"), &csrf, version, view! { <div><textarea name="body" required maxlength="5000" rows="2" aria-label="Note">{raw_text::textarea(&t("notes", "body"))}</textarea></div> }, "Add note")}
        }
    });
    let understand = view! {
        <div><label class="check"><input type="checkbox" name="confirm" value="yes" required />
            " I understand: I will be unassigned and will no longer see this case."</label></div>
    };
    let conflict = post_form(url("conflict"), &csrf, version, understand, "Declare a conflict of interest");
    let referral_list = super::referrals::list(&csrf, page.referrals);
    let propose = (a.work && !page.partners.is_empty()).then(|| {
        let (local, elsewhere): (Vec<_>, Vec<_>) = page.partners.into_iter().partition(|(_, _, local)| *local);
        let chosen = t("referrals", "partner_id");
        let group = |label: &'static str, partners: Vec<(String, String, bool)>| {
            let options = partners
                .into_iter()
                .map(|(id, text, _)| {
                    let selected = id == chosen;
                    view! { <option value=id selected=selected>{text}</option> }
                })
                .collect_view();
            view! { <optgroup label=label>{options}</optgroup> }
        };
        let options = view! {
            {(!local.is_empty()).then(|| group("In the case's country", local))}
            {(!elsewhere.is_empty()).then(|| group("Elsewhere: check they can act there", elsewhere))}
        };
        let extras = [("names", "Who is at risk"), ("contact", "Contact details"), ("narrative", "The requester's own words")]
            .into_iter()
            .map(|(value, label)| {
                let checked = typed.all("referrals", "fields").iter().any(|f| f == value);
                view! { <label class="check"><input type="checkbox" name="fields" value=value checked=checked />" " {label}</label> }
            })
            .collect_view();
        let fields = view! {
            <div><label>"Partner" <select name="partner_id">{options}</select></label></div>
            <div><label>"Legal help needed" <input name="purpose" required maxlength="1000" value=t("referrals", "purpose") /></label></div>
            <div><label>"Summary for the partner" <textarea name="summary" required maxlength="5000" rows="3">{raw_text::textarea(&t("referrals", "summary"))}</textarea></label></div>
            <fieldset><legend>"Also share (only if needed; the requester will see exactly this)"</legend>{extras}</fieldset>
        };
        view! { <h3>"Refer to a partner"</h3>{post_form(url("referrals"), &csrf, version, fields, "Propose the referral")} }
    });
    let grants = super::grants::case_section(&id, &csrf, page.grants, page.grant_choices, page.stepped_up, &typed);
    let retention = super::retention::hold_section(&csrf, page.retention);
    let can_link = page.can_link_member;
    let member = page.member.map(|m| super::alumni::case_section(&id, &csrf, m, can_link));
    let verification = page.verification.map(|(v, may_ask, now)| {
        let ask = may_ask.then(|| format!("/staff/cases/{id}/vouch"));
        super::vouch::verification_section(v, None, now, ask)
    });
    let danger = page.danger.map(|d| super::danger::section(&csrf, d));
    let title = format!("Case {}", page.reference);
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        <p><a href=summary_link>{reader.t("cf-summary-link")}</a></p>
        {error_line(page.error.as_deref())}
        <dl class="facts">{facts}</dl>
        {danger}
        {member}
        <h2>"What happened"</h2>
        {labelled_list(page.fields, "field")}
        {guidance}
        <h2>"Checklist"</h2>
        <ol class="tasks">{tasks}</ol>
        <h2>"Messages"</h2>
        {labelled_list(page.messages, "message")}
        <h2>"Notes"</h2>
        {labelled_list(page.notes, "message")}
        <h2>"Attachments"</h2>
        <ul>{attachments}</ul>
        <h2>"Referrals"</h2>
        {referral_list}
        {propose}
        {verification}
        {grants}
        <h2>"Actions"</h2>
        {acknowledge}{triage}{work}{hold}{resume}{close}{reopen}{give_back}{reassign}
        <h3>"Conflict of interest"</h3>
        <p class="quiet">"If you know the people involved, declare it: you will be unassigned and no longer see this case."</p>
        {conflict}
        {retention}
        <h2>"Timeline"</h2>
        {timeline}
    };
    document(PageMeta { title: &title, lang: "en" }, body)
}
