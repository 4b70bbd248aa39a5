//! Referral views for staff: a partner's packets, and a case's referrals.

use leptos::prelude::*;

use super::{Nav, csrf_field, nav};
use crate::layout::{PageMeta, document};

/// One referral.
#[derive(Debug, Clone)]
pub struct ReferralItem {
    /// Id.
    pub id: String,
    /// Partner (for handlers) or case kind (for partners).
    pub heading: String,
    /// State, in words.
    pub status: String,
    /// The packet: (part, text).
    pub packet: Vec<(String, String)>,
    /// The partner's reason or outcome.
    pub answer: Option<String>,
    /// Flagged: sent 48 hours ago and not accepted.
    pub unanswered: bool,
    /// Actions offered: (URL, label, whether a text is asked for).
    pub actions: Vec<(String, String, bool)>,
    /// Messages between the partner and the network: (who · when, text).
    pub messages: Vec<(String, String)>,
}

/// Renders a list of referrals with their action forms.
pub fn list(csrf: &str, items: Vec<ReferralItem>) -> impl IntoView + use<> {
    let csrf = csrf.to_owned();
    items
        .into_iter()
        .map(|item| {
            let packet = item.packet.into_iter().map(|(part, text)| view! { <dt>{part}</dt><dd class="body">{text}</dd> }).collect_view();
            let forms = item
                .actions
                .into_iter()
                .enumerate()
                .map(|(i, (url, label, ask))| {
                    // Each text box has its own visible label, naming the button it goes with.
                    let id = format!("referral-{}-text-{i}", item.id);
                    let field = ask.then(|| {
                        let for_id = id.clone();
                        view! {
                            <label for=for_id>{format!("Text for “{label}”")}</label>
                            <textarea id=id name="text" rows="2" maxlength="5000" required></textarea>
                        }
                    });
                    view! { <form method="post" action=url>{csrf_field(&csrf)}{field}<button type="submit">{label}</button></form> }
                })
                .collect_view();
            let messages = item.messages.into_iter().map(|(who, text)| view! { <div class="message"><p class="quiet">{who}</p><p class="body">{text}</p></div> }).collect_view();
            let flag = item.unanswered.then(|| view! { <p class="error">"Not accepted within 48 hours: consider referring elsewhere."</p> });
            view! {
                <div class="referral">
                    <h3>{item.heading}</h3>
                    <p class="notice">{item.status}</p>
                    {flag}
                    <dl class="facts">{packet}</dl>
                    {item.answer.map(|a| view! { <p><strong>"Partner's answer: "</strong>{a}</p> })}
                    {messages}
                    {forms}
                </div>
            }
        })
        .collect_view()
}

/// The partner's home: packets addressed to their organisation.
pub fn render_partner(nav_data: Nav, csrf: &str, items: Vec<ReferralItem>) -> String {
    let empty =
        items.is_empty().then(|| view! { <p class="quiet">"No referrals for your organisation at the moment."</p> });
    let body = view! {
        {nav(nav_data)}
        <h1>"Referrals to your organisation"</h1>
        <p class="quiet">"You see only what the person agreed to share with you. A referral they withdraw disappears at once."</p>
        <h2>"Packets"</h2>
        {empty}
        {list(csrf, items)}
    };
    document(PageMeta { title: "Referrals", lang: "en" }, body)
}
