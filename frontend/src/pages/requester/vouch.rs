//! `/vouch/{token}`: the page a voucher's link opens. It shows the question and nothing
//! else of the case; it takes one answer. Same frame as the requester's pages (quick exit,
//! languages, no JavaScript): a voucher may be at risk too.

use leptos::prelude::*;
use shelter_shared::vouch::{COMMENT_MAX_CHARS, VouchAnswer};

use super::{Languages, page, page_with};
use crate::i18n::Translator;
use crate::raw_text;

/// What the page shows.
#[derive(Debug, Clone)]
pub enum VouchPage {
    /// The question and the form, with what was typed and a problem, if any.
    Open {
        /// The question.
        question: String,
        /// Until when, already in words.
        expires: String,
        /// The answer chosen before a problem.
        answer: Option<VouchAnswer>,
        /// The comment typed before a problem.
        comment: String,
        /// The problem.
        error: Option<String>,
    },
    /// The answer was recorded.
    Thanks,
    /// Answered before.
    Answered,
    /// Expired or no longer needed.
    Closed,
    /// Not a link that works.
    Unknown,
    /// Too many requests from this address.
    TooMany,
}

/// The answer form's id (the language buttons post it).
const FORM: &str = "vouch-form";

/// Renders the page for the link at `path` (`/vouch/TOKEN`).
pub fn render(t: Translator, path: &str, state: VouchPage) -> String {
    let lang = t.language.tag();
    let (title, body) = match state {
        VouchPage::Open { question, expires, answer, comment, error } => {
            // The problem sits inside the group it is about, which names it as its description.
            let invalid = error.is_some().then_some("true");
            let described = error.is_some().then_some("vouch-error");
            let choice = |value: VouchAnswer, label: &str| {
                let checked = answer == Some(value);
                let label = t.t(label);
                view! { <label class="choice"><input type="radio" name="answer" value=value.as_str() required checked=checked
                aria-invalid=invalid />" " {label}</label> }
            };
            let error = error.map(|e| view! { <p class="error" id="vouch-error" role="alert">{e}</p> });
            let action = format!("{path}?lang={lang}");
            let body = view! {
                <h1>{t.t("vouch-title")}</h1>
                <p>{t.t("vouch-intro")}</p>
                <h2>{t.t("vouch-question-label")}</h2>
                <blockquote class="body question">{question}</blockquote>
                <form id=FORM method="post" action=action autocomplete="off">
                    <fieldset aria-describedby=described><legend>{t.t("vouch-answer-legend")}</legend>
                        {error}
                        {choice(VouchAnswer::Confirm, "vouch-answer-confirm")}
                        {choice(VouchAnswer::CannotConfirm, "vouch-answer-cannot")}
                        {choice(VouchAnswer::Concerned, "vouch-answer-concerned")}
                    </fieldset>
                    <div><label for="vouch-comment">{t.t("vouch-comment")}</label>
                        <p class="quiet" id="vouch-comment-hint">{t.t("vouch-comment-hint")}</p>
                        <textarea id="vouch-comment" name="comment" rows="3" maxlength=COMMENT_MAX_CHARS.to_string()
                            aria-describedby="vouch-comment-hint">{raw_text::textarea(&comment)}</textarea></div>
                    <p class="quiet">{t.t_text("vouch-expires", "expires", &expires)}</p>
                    <div><button type="submit" class="primary">{t.t("vouch-submit")}</button></div>
                </form>
            };
            // Another language posts the form back with what was chosen and typed.
            let languages = Languages::KeepTyping { form: FORM, path };
            return page_with(t, &t.t("vouch-title"), languages, body);
        }
        VouchPage::Thanks => {
            let body =
                view! { <h1>{t.t("vouch-thanks-title")}</h1><p class="notice" role="status">{t.t("vouch-thanks")}</p> };
            (t.t("vouch-thanks-title"), body.into_any())
        }
        other => {
            let id = match other {
                VouchPage::Answered => "vouch-answered",
                VouchPage::Closed => "vouch-closed",
                VouchPage::TooMany => "vouch-too-many",
                _ => "vouch-unknown",
            };
            let body = view! { <h1>{t.t("vouch-title")}</h1><p class="notice" role="status">{t.t(id)}</p> };
            (t.t("vouch-title"), body.into_any())
        }
    };
    page(t, &title, Some(path), body)
}
