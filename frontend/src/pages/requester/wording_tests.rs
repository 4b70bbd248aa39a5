//! Every requester page, in every state a person can reach, in every language: no English
//! outside the catalogues and no word the glossary keeps off requester pages, in the text or
//! the title. The integration tests check the same over HTTP against the running server.

use std::collections::HashMap;

use shelter_shared::intake::IncidentKind;
use shelter_shared::language::Language;
use shelter_shared::notice::NewsChannel;

use super::intake::{IntakeForm, IntakeValues};
use super::news::NewsValues;
use super::portal::{MessageLine, PacketLine, PortalCase, PortalGrant, PortalReferral, PortalSignIn};
use super::received::Received;
use crate::glossary::{english_in, kept_off_in, visible_text};
use crate::i18n::Translator;
use crate::pages::{error, landing};

/// Data a person typed or staff wrote: not the page's own words.
const DATA: [&str; 3] = ["cardstock ladle unpaid roamer glade swept", "Ko Aung Legal", "http://example.onion"];

fn intake(t: Translator, errors: bool) -> String {
    let mut e = HashMap::new();
    if errors {
        e.insert("narrative", t.t("error-narrative-required"));
        e.insert("country", t.t("error-country-invalid"));
        e.insert("news_address", t.t("error-news-address"));
        e.insert("duress_passphrase", t.t("error-duress-short"));
    }
    super::intake::render(IntakeForm {
        t,
        token: "token".into(),
        csrf: "csrf".into(),
        values: IntakeValues::default(),
        errors: e,
        form_error: errors.then(|| t.t("error-form-expired")),
        news_channels: vec![NewsChannel::Email, NewsChannel::Messenger],
    })
}

fn referral(t: Translator, status: &str, can_answer: bool, can_withdraw: bool) -> PortalReferral {
    // The server names the kind and the country before the page shows them.
    let line = |label_id: &str, text: String| PacketLine { label_id: label_id.into(), text, other_language: false };
    PortalReferral {
        id: "r1".into(),
        partner_name: "Ko Aung Legal".into(),
        partner_kind_id: "referral-partner-organisation".into(),
        status_id: format!("referral-status-{status}"),
        packet: vec![
            line("packet-kind", t.t(super::intake::kind_label(IncidentKind::ArrestDetention))),
            line("packet-country", crate::countries::name(t, "MM")),
        ],
        can_answer,
        can_withdraw,
    }
}

fn grant(t: Translator, status: &str, can_confirm: bool, can_report: bool) -> PortalGrant {
    PortalGrant {
        id: "g1".into(),
        category_id: "grant-category-legal_fees".into(),
        amount: "1,500.00 USD".into(),
        status_id: format!("grant-status-{status}"),
        can_confirm,
        can_report,
        report_due: can_report.then(|| crate::dates::long_date(t.language, chrono::NaiveDate::default())),
        method_id: can_confirm.then(|| "grant-method-direct_to_provider".into()),
        paid_on: can_confirm.then(|| crate::dates::long_date(t.language, chrono::NaiveDate::default())),
        to_provider: can_confirm,
    }
}

fn case(t: Translator, news_on: bool, deletion: bool) -> String {
    let at = crate::dates::date_time_utc(t, chrono::DateTime::default());
    super::portal::render_case(PortalCase {
        t,
        reference: "SH-ABCD-EF23".into(),
        status_id: "state-referred".into(),
        messages: vec![
            MessageLine { from_requester: true, body: "12345".into(), at: at.clone() },
            MessageLine { from_requester: false, body: "12345".into(), at },
        ],
        csrf: "csrf".into(),
        notice: Some(t.t("message-sent")),
        error: Some(t.t("error-message-empty")),
        news_on,
        news_values: NewsValues::default(),
        news_error: (!news_on).then(|| t.t("error-news-handle")),
        news_channels: vec![NewsChannel::Email, NewsChannel::Messenger],
        max_mb: 10,
        referrals: vec![referral(t, "awaiting_consent", true, false), referral(t, "sent", false, true)],
        grants: ["provisionally_approved", "disbursed", "receipt_confirmed", "reversed", "frozen"]
            .iter()
            .enumerate()
            .map(|(i, status)| grant(t, status, i == 1, i == 2))
            .collect(),
        cooling_days: 1,
        deletion_due: deletion.then(|| crate::dates::long_date(t.language, chrono::NaiveDate::default())),
        local_offset: news_on.then(|| "+6:30".into()),
        check_in_due: news_on.then(|| crate::dates::long_date(t.language, chrono::NaiveDate::default())),
    })
}

/// Every requester page and state, named, in `t`'s language.
fn every_page(t: Translator) -> Vec<(&'static str, String)> {
    let credentials = Some(("SH-ABCD-EF23".to_owned(), DATA[0].to_owned()));
    let sign_in = |error: bool| {
        super::portal::render_sign_in(PortalSignIn {
            t,
            error: error.then(|| t.t("status-wrong")),
            notice: (!error).then(|| t.t("session-ended")),
            csrf: "csrf".into(),
        })
    };
    let mut pages = vec![
        ("landing", landing::render(t)),
        ("landing with onion", landing::render_with(t, Some("http://example.onion"))),
        ("intake", intake(t, false)),
        ("intake with errors", intake(t, true)),
        ("receipt", super::received::render(Received { t, credentials, reply_within_hours: Some(2) })),
        ("receipt used", super::received::render(Received { t, credentials: None, reply_within_hours: None })),
        ("sign-in", sign_in(false)),
        ("sign-in refused", sign_in(true)),
        ("case", case(t, false, false)),
        ("case with news and deletion", case(t, true, true)),
        ("safety", super::safety::render(t)),
        ("safety with advice", super::safety::render_with(t, Some("http://example.onion"), Some("MM"))),
    ];
    for status in [400, 403, 404, 409, 413, 422, 429, 500, 503] {
        pages.push(("error", error::render_requester(t, status, Some("7f3a-0921"))));
    }
    pages
}

#[test]
fn every_requester_page_speaks_only_its_language() {
    let mut found = vec![];
    for language in Language::ALL {
        for (name, html) in every_page(Translator::new(language)) {
            let english = english_in(language, &visible_text(&html), &DATA);
            if !english.is_empty() {
                found.push(format!("{} {name}: {english:?}", language.tag()));
            }
        }
    }
    assert!(found.is_empty(), "English outside the catalogues:\n{}", found.join("\n"));
}

#[test]
fn no_requester_page_or_title_carries_a_word_the_glossary_keeps_off() {
    let mut found = vec![];
    for language in Language::ALL {
        for (name, html) in every_page(Translator::new(language)) {
            let words = kept_off_in(language, &visible_text(&html));
            if !words.is_empty() {
                found.push(format!("{} {name}: {words:?}", language.tag()));
            }
        }
    }
    assert!(found.is_empty(), "kept-off words on requester pages:\n{}", found.join("\n"));
}

#[test]
fn the_checks_catch_a_leak() {
    let html =
        error::render(error::ErrorPage { status: 404, title: "Page not found", message: "Gone", request_id: None });
    assert!(!english_in(Language::Lao, &visible_text(&html), &[]).is_empty(), "the staff page is English");
    let risky = "<title>人权 · Shelter</title>";
    assert_eq!(kept_off_in(Language::ChineseSimplified, &visible_text(risky)), ["人权"]);
}
