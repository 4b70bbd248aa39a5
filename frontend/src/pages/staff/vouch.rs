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
        Some(VouchAnswer::Confirm) => "vch-answer-confirms",
        Some(VouchAnswer::CannotConfirm) => "vch-answer-cannot",
        Some(VouchAnswer::Concerned) => "vch-answer-concerned",
        None if expires_at <= now => "vch-answer-expired",
        None => "vch-answer-waiting",
    })
}

/// Who a voucher is (`member`, `partner`) in words.
fn kind_word(r: Reader, kind: &str) -> String {
    match kind {
        "member" => r.t("vch-kind-member"),
        "partner" => r.t("aword-v-partner"),
        other => other.to_owned(),
    }
}

fn request_block(r: Reader, request: VouchRequestView, now: DateTime<Utc>) -> impl IntoView {
    let expires_at = request.expires_at;
    let rows = request
        .vouchers
        .into_iter()
        .map(|v| {
            let answer = match (answer_text(r, v.answer, now, expires_at), v.counts) {
                (text, true) => text,
                // The person the case concerns, a partner account no longer outside, or too old.
                (text, false) => r.t_text("vch-does-not-count", "answer", &text),
            };
            let class = match v.answer {
                Some(VouchAnswer::Concerned) => "warning",
                _ => "",
            };
            let at = v.answered_at.map(|t| r.time(t)).unwrap_or_default();
            let comment = v.comment.unwrap_or_default();
            view! { <tr class=class><td>{v.name}</td><td>{kind_word(r, &v.kind)}</td><td><strong>{answer}</strong></td><td>{at}</td><td class="body">{comment}</td></tr> }
        })
        .collect_view();
    let asked = r.t_texts(
        "vch-asked",
        &[("name", &request.asked_by), ("at", &r.time(request.asked_at)), ("until", &r.time(expires_at))],
    );
    let question = request.question.unwrap_or_else(|| r.t("vch-question-hidden"));
    // Each request's table is its own region: its name says which question it answers.
    let region = r.t_text("vch-answers-region", "at", &r.time(request.asked_at));
    view! {
        <div class="field">
            <p class="quiet">{asked}</p>
            <p class="body">{question}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=region>
                // On a phone each answer reads as a block: names and comments are not squeezed.
                <table class="stacked">
                    <thead><tr><th scope="col">{r.t("vch-col-person")}</th><th scope="col">{r.t("vch-col-as")}</th><th scope="col">{r.t("vch-col-answer")}</th>
                        <th scope="col">{r.t("vch-col-when")}</th><th scope="col">{r.t("vch-col-comment")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </div>
    }
}

/// The attestations in English and UTC (pages not yet given their reader).
pub fn verification_section(
    verification: Verification,
    needed: Option<usize>,
    now: DateTime<Utc>,
    ask_href: Option<String>,
) -> impl IntoView {
    verification_section_for(Reader::default(), verification, needed, now, ask_href)
}

/// The attestations for `r`: how many distinct people confirmed (of `needed`, when a grant
/// asks), any concern said plainly, then each request.
pub fn verification_section_for(
    r: Reader,
    verification: Verification,
    needed: Option<usize>,
    now: DateTime<Utc>,
    ask_href: Option<String>,
) -> impl IntoView {
    let tally = r.t_texts(
        "vch-tally",
        &[("confirmed", &verification.confirmations.to_string()), ("concerned", &verification.concerns.to_string())],
    );
    let count = match needed {
        // SHELTER_GRANT_VOUCHES_TIER_A / _TIER_BC set to 0 by the installation.
        Some(0) => format!("{} {tally}", r.t("vch-none-needed")),
        Some(needed) => {
            let of = r.t_texts(
                "vch-standing",
                &[("standing", &verification.standing.to_string()), ("needed", &needed.to_string())],
            );
            format!("{of} {tally}")
        }
        None => tally,
    };
    let concern = (verification.concerns > 0).then(|| {
        let text = r.t_num("vch-concern-warning", "count", verification.concerns);
        view! { <p class="notice warning" role="note">{text}</p> }
    });
    let requests = if verification.requests.is_empty() {
        view! { <p class="quiet">{r.t("vch-nobody-asked")}</p> }.into_any()
    } else {
        verification.requests.into_iter().map(|q| request_block(r, q, now)).collect_view().into_any()
    };
    let ask = ask_href.map(|href| view! { <p><a href=href>{r.t("vch-ask-link")}</a></p> });
    view! {
        <h2>{r.t("vch-title")}</h2>
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
    let r = page.nav.reader;
    let action = format!("/staff/cases/{}/vouch", page.case_id);
    let members = page
        .members
        .into_iter()
        .map(|(m, chosen)| {
            let country = crate::countries::name(r.tr(), &m.country);
            let cohort = r.t_text("vch-cohort", "year", &m.cohort_year.to_string());
            let label = format!("{} — {country} · {cohort}", m.names.join(" · "));
            view! { <div><label class="check"><input type="checkbox" name="member" value=m.id checked=chosen />" " {label}</label></div> }
        })
        .collect_view();
    // A search always says what it did, so an empty result is not mistaken for a lost click.
    let nobody = match (page.searched, page.name.trim(), page.found) {
        (true, "", _) => Some(r.t("vch-type-a-name")),
        (true, name, 0) => Some(r.t_text("vch-nobody-found", "name", name)),
        _ => None,
    }
    .map(|text| view! { <p class="notice" role="status">{text}</p> });
    let partners = if page.partners.is_empty() {
        view! { <p class="quiet">{r.t("vch-no-partners")}</p> }.into_any()
    } else {
        page.partners
            .into_iter()
            .map(|(id, label, chosen)| {
                view! { <div><label class="check"><input type="checkbox" name="partner" value=id checked=chosen />" " {label}</label></div> }
            })
            .collect_view()
            .into_any()
    };
    let hint = r.t_num("vch-hint", "hours", usize::try_from(LINK_HOURS).unwrap_or(0));
    let title = r.t_text("vch-ask-title", "reference", &page.reference);
    let back = format!("/staff/cases/{}", page.case_id);
    let step_up = (!page.stepped_up).then(|| {
        let next = format!("/staff/cases/{}/vouch", page.case_id);
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                <input type="hidden" name="next" value=next />
                <p>{r.t("vch-step-up-why")}</p>
                <div><label for="step-up-code">{r.t("adm-step-up-code")}</label>
                    <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button type="submit">{r.t("adm-step-up-confirm")}</button></div>
            </form>
        }
    });
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {error_line(page.error.as_deref())}
        {step_up}
        <p>{hint}</p>
        <form method="post" action=action autocomplete="off">
            {csrf_field(&page.csrf)}
            <fieldset><legend>{r.t("vch-members")}</legend>
                <div><label for="vouch-name">{r.t("vch-find-label")}</label>
                    <input id="vouch-name" name="name" value=page.name maxlength="200" />
                    " " <button type="submit" name="intent" value="find" formnovalidate=true>{r.t("vch-find")}</button></div>
                {nobody}
                {members}
            </fieldset>
            <fieldset><legend>{r.t("vch-partners")}</legend>{partners}</fieldset>
            <div><label for="vouch-question">{r.t("vch-question-label")}</label>
                <p class="quiet" id="vouch-question-hint">{r.t("vch-question-example")}</p>
                <textarea id="vouch-question" name="question" rows="3" maxlength=QUESTION_MAX_CHARS.to_string()
                    aria-describedby="vouch-question-hint">{raw_text::textarea(&page.question)}</textarea></div>
            <div><button class="primary" type="submit" name="intent" value="ask">{r.t("vch-send")}</button></div>
        </form>
        <p><a href=back>{r.t("vch-back")}</a></p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
