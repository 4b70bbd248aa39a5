//! Being told when there is news: off by default, with a plain warning of what a seized
//! phone shows. The same fields on the intake form and in the portal.

use leptos::prelude::*;
use shelter_shared::notice::NewsChannel;

use super::field_error;
use crate::i18n::Translator;

/// What the person chose or typed, echoed back after an error.
#[derive(Debug, Clone, Default)]
pub struct NewsValues {
    /// `none`, `email` or `webhook`; empty: none.
    pub channel: String,
    /// The address or handle typed.
    pub address: String,
}

/// The news fields: the warning, the channel (none first, chosen unless another is), the
/// address; only the channels this installation offers; nothing when it offers none.
pub fn fields(
    t: Translator,
    values: NewsValues,
    error: Option<&String>,
    offered: &[NewsChannel],
) -> impl IntoView + use<> {
    if offered.is_empty() {
        return ().into_any();
    }
    let chosen = |tag: &str| values.channel == tag || (tag == "none" && values.channel.is_empty());
    let choice = |tag: &'static str, text: String| {
        let checked = chosen(tag);
        view! { <label class="choice"><input type="radio" name="news_channel" value=tag checked=checked />" " {text}</label> }
    };
    let email =
        offered.contains(&NewsChannel::Email).then(|| choice(NewsChannel::Email.as_str(), t.t("news-channel-email")));
    let messenger = offered
        .contains(&NewsChannel::Messenger)
        .then(|| choice(NewsChannel::Messenger.as_str(), t.t("news-channel-webhook")));
    view! {
        <fieldset class="news">
            <legend>{t.t("news-heading")}</legend>
            <p class="notice warning">{t.t("news-warning")}</p>
            <p>{t.t("news-channel")}</p>
            {choice("none", t.t("news-channel-none"))}
            {email}
            {messenger}
            <div><label for="news_address">{t.t("news-address")}</label>
                <p class="quiet" id="news_address_hint">{t.t("news-address-hint")}</p>
                <input id="news_address" name="news_address" maxlength="254" autocomplete="off" inputmode="email"
                    aria-describedby="news_address_hint" value=values.address />{field_error(error)}</div>
        </fieldset>
    }
    .into_any()
}

/// The portal's section: either that news is on (and a button to stop), or the fields and a button to start.
pub fn portal_section(
    t: Translator,
    on: bool,
    csrf: String,
    values: NewsValues,
    error: Option<&String>,
    offered: &[NewsChannel],
) -> impl IntoView + use<> {
    let lang = t.language.tag();
    if !on && offered.is_empty() {
        return ().into_any();
    }
    if on {
        view! {
            <h2>{t.t("news-heading")}</h2>
            <p class="notice">{t.t("news-on")}</p>
            <form method="post" autocomplete="off" action=format!("/status/news?lang={lang}")>
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="news_channel" value="none" />
                <div><button type="submit">{t.t("news-stop")}</button></div>
            </form>
        }
        .into_any()
    } else {
        view! {
            <h2>{t.t("news-heading")}</h2>
            <p class="quiet">{t.t("news-off")}</p>
            <form method="post" autocomplete="off" action=format!("/status/news?lang={lang}")>
                <input type="hidden" name="csrf" value=csrf />
                {fields(t, values, error, offered)}
                <div><button type="submit">{t.t("news-save")}</button></div>
            </form>
        }
        .into_any()
    }
}
