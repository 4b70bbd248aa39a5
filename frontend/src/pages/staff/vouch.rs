//! Vouching on staff pages: a case's attestations (case page and grant page) and the page
//! where a handler asks people to vouch.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use shelter_shared::alumni::MemberSummary;
use shelter_shared::vouch::{LINK_HOURS, QUESTION_MAX_CHARS, Verification, VouchAnswer, VouchRequestView};

use super::{Nav, csrf_field, error_line, nav};
use crate::layout::{PageMeta, document};
use crate::raw_text;
use crate::reader::Reader;

fn answer_text(r: Reader, answer: Option<VouchAnswer>, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> String {
    r.t(match answer {
        // Not by colour alone: the words say it.
        Some(VouchAnswer::Confirm) => "grant-vouch-confirms",
        Some(VouchAnswer::CannotConfirm) => "grant-vouch-cannot-confirm",
        Some(VouchAnswer::Concerned) => "grant-vouch-concerned",
        None if expires_at <= now => "grant-vouch-expired",
        None => "grant-vouch-waiting",
    })
}

fn request_block(r: Reader, request: VouchRequestView, now: DateTime<Utc>) -> impl IntoView {
    let when = |at: DateTime<Utc>| r.time(at);
    let expires_at = request.expires_at;
    let rows = request
        .vouchers
        .into_iter()
        .map(|v| {
            let answer = match (answer_text(r, v.answer, now, expires_at), v.counts) {
                (text, true) => text,
                // The person the case concerns, a partner account no longer outside, or too old.
                (text, false) => r.t_text("grant-vouch-not-counted", "answer", &text),
            };
            let class = match v.answer {
                Some(VouchAnswer::Concerned) => "warning",
                _ => "",
            };
            let at = v.answered_at.map(when).unwrap_or_default();
            let comment = v.comment.unwrap_or_default();
            view! { <tr class=class><td>{v.name}</td><td>{v.kind}</td><td><strong>{answer}</strong></td><td>{at}</td><td class="body">{comment}</td></tr> }
        })
        .collect_view();
    let asked = r.t_texts(
        "grant-vouch-asked",
        &[("name", &request.asked_by), ("at", &when(request.asked_at)), ("until", &when(expires_at))],
    );
    let question = request.question.unwrap_or_else(|| r.t("grant-vouch-question-hidden"));
    // Each request's table is its own region: its name says which question it answers.
    let region = r.t_text("grant-vouch-answers", "at", &when(request.asked_at));
    view! {
        <div class="field">
            <p class="quiet">{asked}</p>
            <p class="body">{question}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                // On a phone each answer reads as a block: names and comments are not squeezed.
                <table class="stacked">
                    <thead><tr><th scope="col">{r.t("grant-vouch-col-person")}</th><th scope="col">{r.t("grant-vouch-col-as")}</th>
                        <th scope="col">{r.t("grant-vouch-col-answer")}</th><th scope="col">{r.t("grant-vouch-col-when")}</th>
                        <th scope="col">{r.t("grant-vouch-col-comment")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// The attestations: how many distinct people confirmed (of `needed`, when a grant asks),
/// any concern said plainly, then each request.
pub fn verification_section(
    verification: Verification,
    needed: Option<usize>,
    now: DateTime<Utc>,
    ask_href: Option<String>,
) -> impl IntoView {
    verification_section_in(Reader::default(), verification, needed, now, ask_href)
}

/// The attestations in the reader's words, times on the reader's clock.
pub fn verification_section_in(
    r: Reader,
    verification: Verification,
    needed: Option<usize>,
    now: DateTime<Utc>,
    ask_href: Option<String>,
) -> impl IntoView {
    let (confirmed, concerned) = (verification.confirmations.to_string(), verification.concerns.to_string());
    let tally = r.t_texts("grant-vouch-tally", &[("confirmed", &confirmed), ("concerned", &concerned)]);
    let count = match needed {
        // SHELTER_GRANT_VOUCHES_TIER_A / _TIER_BC set to 0 by the installation.
        Some(0) => format!("{} {tally}", r.t("grant-vouch-none-needed")),
        Some(needed) => {
            let (standing, needed) = (verification.standing.to_string(), needed.to_string());
            format!("{} {tally}", r.t_texts("grant-vouch-standing", &[("standing", &standing), ("needed", &needed)]))
        }
        None => tally,
    };
    let concern = (verification.concerns > 0).then(|| {
        let text = r.t_num("grant-vouch-concern-warning", "count", verification.concerns);
        view! { <p class="notice warning" role="note">{text}</p> }
    });
    let requests = if verification.requests.is_empty() {
        view! { <p class="quiet">{r.t("grant-vouch-nobody-asked")}</p> }.into_any()
    } else {
        verification.requests.into_iter().map(|request| request_block(r, request, now)).collect_view().into_any()
    };
    let ask = ask_href.map(|href| view! { <p><a href=href>{r.t("grant-vouch-ask")}</a></p> });
    view! {
        <h2>{r.t("grant-vouch-heading")}</h2>
        <p>{count}</p>
        {concern}
        {requests}
        {ask}
    }
}

/// `/staff/cases/{id}/vouch`: the form, as typed so far.
#[derive(Debug, Clone)]
pub struct AskPage {
    /// Navigation.
    pub nav: Nav,
    /// CSRF token.
    pub csrf: String,
    /// The case.
    pub case_id: String,
    /// Its reference.
    pub reference: String,
    /// The name searched for.
    pub name: String,
    /// Members found by the last search, with whether each is chosen.
    pub members: Vec<(MemberSummary, bool)>,
    /// Whether a search was made (to say when it found nobody).
    pub searched: bool,
    /// How many members the search found, chosen ones included.
    pub found: usize,
    /// Partner contacts who may vouch: (id, label, chosen).
    pub partners: Vec<(String, String, bool)>,
    /// The question as typed.
    pub question: String,
    /// A problem to show.
    pub error: Option<String>,
    /// The session confirmed a fresh second factor (asking needs one).
    pub stepped_up: bool,
}

/// Renders the ask page: search members by name, choose them and partner contacts, write
/// the question. Finding more people posts the form back with everything typed kept.
pub fn render_ask(page: AskPage) -> String {
    let action = format!("/staff/cases/{}/vouch", page.case_id);
    let members = page
        .members
        .into_iter()
        .map(|(m, chosen)| {
            let label = format!("{} — {} · cohort {}", m.names.join(" · "), m.country, m.cohort_year);
            view! { <div><label class="check"><input type="checkbox" name="member" value=m.id checked=chosen />" " {label}</label></div> }
        })
        .collect_view();
    // A search always says what it did, so an empty result is not mistaken for a lost click.
    let nobody = match (page.searched, page.name.trim(), page.found) {
        (true, "", _) => Some("Type a name to find members.".to_owned()),
        (true, name, 0) => Some(format!("No member found for “{name}”. Try another spelling or script.")),
        _ => None,
    }
    .map(|text| view! { <p class="notice" role="status">{text}</p> });
    let partners = if page.partners.is_empty() {
        view! { <p class="quiet">"No partner contact can be asked (partner accounts that hold no other role)."</p> }
            .into_any()
    } else {
        page.partners
            .into_iter()
            .map(|(id, label, chosen)| {
                view! { <div><label class="check"><input type="checkbox" name="partner" value=id checked=chosen />" " {label}</label></div> }
            })
            .collect_view()
            .into_any()
    };
    let hint = format!(
        "Each person gets a message with a link of their own. It works once, for {LINK_HOURS} hours, and shows \
         only this question: never the case, its narrative, or who else was asked. Do not name the requester \
         beyond what the voucher needs to recognise them."
    );
    let title = format!("Ask people to vouch — case {}", page.reference);
    let back = format!("/staff/cases/{}", page.case_id);
    let step_up = (!page.stepped_up).then(|| {
        super::grants::step_up(
            &page.csrf,
            &format!("/staff/cases/{}/vouch", page.case_id),
            "The question leaves the network: confirm with a fresh code from your authenticator app before you write it.",
        )
    });
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {step_up}
        <p>{hint}</p>
        <form method="post" action=action autocomplete="off">
            {csrf_field(&page.csrf)}
            <fieldset><legend>"Registry members"</legend>
                <div><label for="vouch-name">"Find by name (any spelling, any script)"</label>
                    <input id="vouch-name" name="name" value=page.name maxlength="200" />
                    " " <button type="submit" name="intent" value="find" formnovalidate=true>"Find"</button></div>
                {nobody}
                {members}
            </fieldset>
            <fieldset><legend>"Partner contacts"</legend>{partners}</fieldset>
            <div><label for="vouch-question">"The question they will read"</label>
                <p class="quiet" id="vouch-question-hint">"For example: Do you know this person from the 2014 cohort, and can you confirm they need urgent help?"</p>
                <textarea id="vouch-question" name="question" rows="3" maxlength=QUESTION_MAX_CHARS.to_string()
                    aria-describedby="vouch-question-hint">{raw_text::textarea(&page.question)}</textarea></div>
            <div><button class="primary" type="submit" name="intent" value="ask">"Send the question"</button></div>
        </form>
        <p><a href=back>"Back to the case"</a></p>
    };
    document(PageMeta { title: &title, lang: "en" }, body)
}
