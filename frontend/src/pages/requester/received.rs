//! After a request: the reference and passphrase, shown once.

use leptos::prelude::*;

use super::page;
use crate::i18n::Translator;

/// What the receipt shows; `None` credentials mean the receipt was already used.
pub struct Received {
    /// The language.
    pub t: Translator,
    /// Reference and passphrase, once.
    pub credentials: Option<(String, String)>,
    /// Hours within which the network aims to answer (from the playbook's SLA).
    pub reply_within_hours: Option<i64>,
}

/// "Someone will answer within …": in hours up to two days, in days beyond.
fn reply_within(t: Translator, hours: i64) -> String {
    let hours = usize::try_from(hours).unwrap_or(1);
    if hours <= 48 {
        t.t_num("received-reply-hours", "hours", hours)
    } else {
        t.t_num("received-reply-days", "days", hours.div_ceil(24))
    }
}

/// What the passphrase consists of, so nobody adds or drops a space copying it by hand:
/// groups of digits, or words.
fn made_of(t: Translator, passphrase: &str) -> String {
    let parts = passphrase.split_whitespace().count();
    let digits = passphrase.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || c == '-');
    t.t_num(if digits { "received-passphrase-digits" } else { "received-passphrase-words" }, "count", parts)
}

/// Renders the receipt.
pub fn render(received: Received) -> String {
    let t = received.t;
    let status = format!("/status?lang={}", t.language.tag());
    let content = match received.credentials {
        Some((reference, passphrase)) => {
            let made_of = made_of(t, &passphrase);
            let digits = passphrase.chars().all(|c| c.is_ascii_digit() || c == ' ');
            let intro = received.reply_within_hours.map_or_else(|| t.t("received-intro"), |h| reply_within(t, h));
            view! {
                <p class="notice">{intro}</p>
                <dl class="credentials">
                    <dt>{t.t("received-reference")}</dt><dd><code class="secret">{reference}</code></dd>
                    <dt>{t.t("received-passphrase")}</dt><dd><code class="secret">{passphrase}</code>
                        <p class="quiet">{made_of}</p></dd>
                </dl>
                {digits.then(|| view! { <p class="quiet">{t.t("received-digits-hint")}</p> })}
                <p class="notice warning">{t.t("received-memorise")}</p>
                <p>{t.t("received-do-not-store")}</p>
                <p>{t.t("received-lost")}</p>
                <p>{t.t("received-next")}</p>
                <h2>{t.t("received-meanwhile-heading")}</h2>
                <p>{t.t("received-meanwhile")}</p>
            }
            .into_any()
        }
        None => view! { <p class="notice">{t.t("received-already")}</p> }.into_any(),
    };
    let body = view! {
        <h1>{t.t("received-title")}</h1>
        {content}
        <p><a class="button" href=status>{t.t("received-go-status")}</a></p>
    };
    page(t, &t.t("received-title"), None, body)
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn the_receipt_says_what_the_passphrase_is_made_of() {
        let t = Translator::new(Language::English);
        assert_eq!(
            made_of(t, "cardstock ladle unpaid"),
            "It is 3 English words with a space between them. Type them exactly, in this order."
        );
        assert_eq!(made_of(t, "4821 0937 5512"), "It is 3 groups of digits. Type them in this order.");
        let thai = made_of(Translator::new(Language::Thai), "a b c d e f");
        assert!(thai.contains('6') && thai.contains("วลีลับ"), "{thai}");
    }
}
