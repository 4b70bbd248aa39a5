//! Referral views for staff: a partner's packets, and a case's referrals. Partner lawyers
//! may read no English: every word here comes from the reader's catalogue.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::{Nav, csrf_field, nav};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;
use crate::words;

/// What a referral's form does: the button's words, and whether a text is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAction {
    /// A supervisor approves (rationale).
    Approve,
    /// Consent given another way is recorded (how, when).
    Consent,
    /// The network withdraws it (rationale).
    Withdraw,
    /// The network writes to the partner.
    WriteToPartner,
    /// The partner accepts.
    Accept,
    /// The partner declines (reason).
    Decline,
    /// The partner reports the outcome.
    Conclude,
    /// The partner writes to the network without concluding.
    WriteToNetwork,
}

impl ReferralAction {
    fn words(self, r: Reader) -> String {
        r.t(match self {
            ReferralAction::Approve => "ref-approve",
            ReferralAction::Consent => "ref-consent",
            ReferralAction::Withdraw => "ref-withdraw",
            ReferralAction::WriteToPartner => "ref-write-partner",
            ReferralAction::Accept => "ref-accept",
            ReferralAction::Decline => "ref-decline",
            ReferralAction::Conclude => "ref-conclude",
            ReferralAction::WriteToNetwork => "pt-reply",
        })
    }

    fn asks_text(self) -> bool {
        self != ReferralAction::Accept
    }
}

/// Who a referral is addressed to (for the network) or what it is about (for the partner).
#[derive(Debug, Clone)]
pub enum Heading {
    /// The partner's name and kind (`lawyer`, `organisation`).
    Partner(String, String),
    /// The legal help asked for, as the network wrote it.
    Purpose(String),
}

/// One referral.
#[derive(Debug, Clone)]
pub struct ReferralItem {
    /// Id.
    pub id: String,
    /// Heading.
    pub heading: Heading,
    /// State (`awaiting_consent`).
    pub status: String,
    /// The packet: (part, text), parts as codes (`legal_help`).
    pub packet: Vec<(String, String)>,
    /// The partner's reason or outcome.
    pub answer: Option<String>,
    /// Flagged: sent 48 hours ago and not accepted.
    pub unanswered: bool,
    /// Actions offered: (URL, what it does).
    pub actions: Vec<(String, ReferralAction)>,
    /// Messages between the partner and the network: (from the partner, when, text).
    pub messages: Vec<(bool, DateTime<Utc>, String)>,
}

/// A packet part's text: kind and country codes in words, the rest as written.
fn packet_text(r: Reader, part: &str, text: String) -> String {
    match part {
        "kind" => words::kind(r, &text),
        "country" => words::country(r, &text),
        _ => text,
    }
}

/// Renders a list of referrals with their action forms.
pub fn list(r: Reader, csrf: &str, items: Vec<ReferralItem>) -> impl IntoView + use<> {
    let csrf = csrf.to_owned();
    items
        .into_iter()
        .map(|item| {
            let packet = item
                .packet
                .into_iter()
                .map(|(part, text)| {
                    let text = packet_text(r, &part, text);
                    view! { <dt>{words::packet_field(r, &part)}</dt><dd class="body">{text}</dd> }
                })
                .collect_view();
            let forms = item
                .actions
                .into_iter()
                .enumerate()
                .map(|(i, (url, action))| {
                    let label = action.words(r);
                    // Each text box has its own visible label, naming the button it goes with.
                    let id = format!("referral-{}-text-{i}", item.id);
                    let field = action.asks_text().then(|| {
                        let for_id = id.clone();
                        view! {
                            <label for=for_id>{r.t_text("ref-text-for", "action", &label)}</label>
                            <textarea id=id name="text" rows="2" maxlength="5000" required></textarea>
                        }
                    });
                    view! { <form method="post" action=url>{csrf_field(&csrf)}{field}<button type="submit">{label}</button></form> }
                })
                .collect_view();
            let messages = item
                .messages
                .into_iter()
                .map(|(from_partner, at, text)| {
                    let who = r.t(if from_partner { "ref-from-partner" } else { "ref-from-network" });
                    view! { <div class="message"><p class="quiet">{format!("{who} · {}", r.time(at))}</p><p class="body">{text}</p></div> }
                })
                .collect_view();
            let flag = item.unanswered.then(|| view! { <p class="error">{r.t("ref-unanswered")}</p> });
            let heading = match item.heading {
                Heading::Partner(name, kind) => format!("{name} ({})", words::partner_kind(r, &kind)),
                Heading::Purpose(purpose) => purpose,
            };
            view! {
                <div class="referral">
                    <h3>{heading}</h3>
                    <p class="notice">{words::referral_state(r, &item.status)}</p>
                    {flag}
                    <dl class="facts">{packet}</dl>
                    {item.answer.map(|a| view! { <p><strong>{r.t("ref-answer")}" "</strong>{a}</p> })}
                    {messages}
                    {forms}
                </div>
            }
        })
        .collect_view()
}

/// The partner's home: packets addressed to their organisation.
pub fn render_partner(nav_data: Nav, csrf: &str, items: Vec<ReferralItem>) -> String {
    let r = nav_data.reader;
    let empty = items.is_empty().then(|| view! { <p class="quiet">{r.t("ref-none")}</p> });
    let title = r.t("ref-partner-title");
    let body = view! {
        {nav(nav_data)}
        <h1>{title}</h1>
        <p class="quiet">{r.t("ref-partner-intro")}</p>
        <h2>{r.t("ref-packets")}</h2>
        {empty}
        {list(r, csrf, items)}
    };
    document(PageMeta { title: &r.t("case-referrals"), lang: r.language.tag() }, body)
}
