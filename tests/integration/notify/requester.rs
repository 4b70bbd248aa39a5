//! Requesters who asked to be told: news from a neutral sender, in their language, that
//! says nothing; off by default; turned off in the portal, and then nothing more comes.

use serde_json::{Value, json};
use shelter_shared::language::Language;
use shelter_shared::staff::Role;

use super::{Receiver, SmtpSink, file};
use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;
use crate::staff::csrf_in;
use reqwest::StatusCode;

const NARRATIVE: &str = "Soldiers came to our village near Hpakant and took the jade mine protest leaders";

/// The words a neutral message must never hold, whatever its language.
fn giveaways(reference: &str) -> Vec<String> {
    let words = [reference, "Shelter", "shelter", "Hpakant", "jade", "Soldiers", "Myanmar", "arrest", "http", "case"];
    words.iter().map(|w| (*w).to_owned()).collect()
}

async fn app(smtp: &SmtpSink, receiver: Option<&Receiver>) -> (TestApp, tempfile::NamedTempFile) {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), super::SECRET).unwrap();
    let mut settings = test_settings();
    settings.public_url = Some("https://shelter.example.org".into());
    settings.notify.smtp_url = Some(smtp.url());
    settings.notify.mail_from = Some("Shelter <notices@shelter.example.org>".into());
    settings.notify.neutral_name = "Mai".into();
    settings.notify.neutral_from = Some("Mai <mai@quiet.example.net>".into());
    if let Some(receiver) = receiver {
        settings.notify.webhook_url = Some(receiver.url.clone());
        settings.notify.webhook_secret_file = Some(secret.path().to_path_buf());
        settings.notify.webhook_allow_private = true;
    }
    (TestApp::spawn_with(settings).await, secret)
}

/// A fresh token of a supervisor, who may write on any case.
async fn claim_token(app: &TestApp) -> String {
    let supervisor = app.staff(&[Role::Supervisor]).await;
    app.token(&supervisor).await
}

async fn claim(app: &TestApp, case_id: uuid::Uuid) -> String {
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    let claimed = app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({})).await;
    assert_eq!(claimed.status(), 200);
    token
}

async fn write_to_requester(app: &TestApp, token: &str, case_id: uuid::Uuid) {
    let body = json!({"body": "We found a lawyer in Hpakant for the jade case"});
    let sent = app.post_json(&format!("/api/v1/cases/{case_id}/messages"), Some(token), &body).await;
    assert_eq!(sent.status(), 201, "{}", sent.text().await.unwrap());
}

#[tokio::test]
async fn a_requester_who_asked_hears_there_is_news_in_their_language_from_a_neutral_sender_and_nothing_else() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app(&smtp, None).await;
    for language in Language::ALL {
        let address = format!("someone-{}@mail.example.net", language.tag().to_lowercase());
        let (case_id, reference) = file(
            &app,
            json!({"narrative": NARRATIVE, "country": "MM", "language": language.tag(),
                   "news_channel": "email", "news_address": address}),
        )
        .await;
        let stored: Vec<u8> =
            sqlx::query_scalar("select address_sealed from requester_notice_contact where case_id = $1")
                .bind(case_id)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert!(!String::from_utf8_lossy(&stored).contains("someone"), "the address is sealed at rest");
        let before = smtp.mails().len();
        claim(&app, case_id).await; // received → being handled: news
        app.notify.drain(10).await.unwrap();
        let mails: Vec<Value> =
            smtp.mails()[before..].iter().filter(|m| m["to"][0] == address.as_str()).cloned().collect();
        assert_eq!(mails.len(), 1, "{}: {mails:?}", language.tag());
        let mail = &mails[0];
        let expected = shelter_server::notify::content::render_news(language, "Mai");
        assert_eq!(mail["subject"], expected.subject.as_str(), "{}", language.tag());
        assert_eq!(
            mail["body"].as_str().unwrap().replace("\r\n", "\n").trim_end(),
            expected.text.trim_end(),
            "{}",
            language.tag()
        );
        assert_eq!(mail["from"], "mai@quiet.example.net");
        assert!(mail["from_header"].as_str().unwrap().starts_with("Mai"), "{mail}");
        for word in giveaways(&reference) {
            for part in ["subject", "body", "from_header", "message_id"] {
                assert!(!mail[part].as_str().unwrap().contains(&word), "{}: {word} in {part}: {mail}", language.tag());
            }
        }
    }
    let staff_copies: i64 = sqlx::query_scalar(
        "select count(*) from notice_delivery d join notice n using (notice_id)
         where n.kind = 'requester_news' and d.requester_case_id is null",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(staff_copies, 0, "news for a requester is in no staff list");
}

#[tokio::test]
async fn news_is_off_by_default_and_stops_when_the_requester_turns_it_off() {
    let smtp = SmtpSink::start(0);
    let receiver = Receiver::start().await;
    let (app, _secret) = app(&smtp, Some(&receiver)).await;
    // Off by default: a request without the choice hears nothing.
    let (quiet_case, _) = file(&app, json!({"narrative": NARRATIVE, "country": "MM"})).await;
    let token = claim(&app, quiet_case).await;
    write_to_requester(&app, &token, quiet_case).await;
    app.notify.drain(10).await.unwrap();
    assert!(smtp.mails().is_empty() && receiver.received().is_empty());

    // A messenger handle, chosen in the portal, goes through the bridge: the handle and the words only.
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": NARRATIVE, "country": "MM", "language": "th"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let (reference, passphrase) = (filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap());
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let portal =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    app.portal_form(&portal, reference, passphrase).await.expect_status(StatusCode::SEE_OTHER, "portal sign-in").await;
    let page = portal
        .get(format!("{}/status/case?lang=th", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=th")
        .await;
    let csrf = csrf_in(&page);
    let post = |fields: Vec<(&'static str, String)>| {
        portal.post(format!("{}/status/news?lang=th", app.address)).form(&fields).send()
    };
    // A bad handle is refused beside its field, what was typed kept, nothing stored.
    let refused = post(vec![
        ("csrf", csrf.clone()),
        ("news_channel", "webhook".into()),
        ("news_address", "not a handle;".into()),
    ])
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("not a handle;"), "typed work is kept");
    assert!(refused.contains(&shelter_frontend::i18n::Translator::new(Language::Thai).t("error-news-handle")));
    let stored: i64 =
        sqlx::query_scalar("select count(*) from requester_notice_contact").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 0);
    let saved = post(vec![
        ("csrf", csrf.clone()),
        ("news_channel", "webhook".into()),
        ("news_address", "+66 81 234 5678".into()),
    ])
    .await
    .unwrap();
    assert_eq!(saved.status(), 303);
    claim(&app, case_id).await;
    app.notify.drain(10).await.unwrap();
    let hooks = receiver.received();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(hooks[0]["handle"], "+66812345678");
    assert!(hooks[0].get("recipient").is_none(), "the bridge is not told whose request it is: {}", hooks[0]);
    for word in giveaways(reference) {
        assert!(!hooks[0].to_string().contains(&word), "{word} in {}", hooks[0]);
    }
    assert_eq!(receiver.bad_signatures(), 0);

    // Turned off: the address is deleted and later news goes nowhere.
    let page = portal
        .get(format!("{}/status/case?lang=th", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=th")
        .await;
    assert!(page.contains(&shelter_frontend::i18n::Translator::new(Language::Thai).t("news-on")));
    let off = post(vec![("csrf", csrf_in(&page)), ("news_channel", "none".into())]).await.unwrap();
    assert_eq!(off.status(), 303);
    let stored: i64 =
        sqlx::query_scalar("select count(*) from requester_notice_contact").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 0);
    app.clock.advance(chrono::Duration::hours(2));
    let token = claim_token(&app).await; // the earlier session has timed out meanwhile
    write_to_requester(&app, &token, case_id).await;
    app.notify.drain(10).await.unwrap();
    assert_eq!(receiver.received().len(), 1, "nothing after turning it off");
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where subject_id = $1 and action like 'case.requester_news%' order by seq",
    )
    .bind(case_id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(actions, ["case.requester_news_on", "case.requester_news_off"]);
}

#[tokio::test]
async fn a_burst_of_replies_is_one_piece_of_news_an_hour() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app(&smtp, None).await;
    let (case_id, _) = file(
        &app,
        json!({"narrative": NARRATIVE, "country": "MM", "news_channel": "email", "news_address": "a@mail.example.net"}),
    )
    .await;
    let token = claim(&app, case_id).await;
    write_to_requester(&app, &token, case_id).await;
    write_to_requester(&app, &token, case_id).await;
    app.notify.drain(10).await.unwrap();
    assert_eq!(smtp.mails().len(), 1);
    app.clock.advance(chrono::Duration::minutes(61));
    let token = claim_token(&app).await;
    write_to_requester(&app, &token, case_id).await;
    app.notify.drain(10).await.unwrap();
    assert_eq!(smtp.mails().len(), 2);
}
