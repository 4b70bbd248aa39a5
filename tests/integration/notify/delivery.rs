//! Delivery over real channels: who gets an urgent case, retries, giving up, the retry
//! button, two workers and a crashed one, and the refusal of private webhook targets.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use shelter_server::notify::{Notify, NotifySettings};
use shelter_shared::staff::Role;

use super::{Receiver, SmtpSink, app_with, file, in_app_kinds, on_call_always};
use crate::helpers::{fresh_database, test_settings};
use crate::staff::Expect as _;
use crate::staff::csrf_in;
use reqwest::StatusCode;

const NARRATIVE: &str = "Police took my brother from our home in Hpakant last night after the jade mine protest";
const CONTACT: &str = "Ko Aung Naing, Signal +95 9 555 0199";

fn urgent_intake() -> Value {
    json!({"narrative": NARRATIVE, "country": "MM", "urgency": "immediate", "kind": "arrest_detention", "contact": CONTACT})
}

#[tokio::test]
async fn an_urgent_case_reaches_whoever_is_on_call_by_email_and_signed_webhook_and_says_nothing_of_it() {
    let smtp = SmtpSink::start(0);
    let receiver = Receiver::start().await;
    let (app, _secret) = app_with(&smtp, Some(&receiver)).await;
    let admin = app.staff(&[Role::Admin]).await;
    let on_call = app.staff(&[Role::Handler]).await;
    let off_duty = app.staff(&[Role::Handler]).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    on_call_always(&app, &admin, &on_call.email).await;
    app.notify.drain(10).await.unwrap();
    let (mails_before, hooks_before) = (smtp.mails().len(), receiver.received().len());

    let (_, reference) = file(&app, urgent_intake()).await;
    let round = app.notify.drain(10).await.unwrap();
    assert_eq!((round.sent, round.retrying, round.failed), (2, 0, 0), "one e-mail and one webhook");

    let mails = smtp.mails()[mails_before..].to_vec();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["to"][0], on_call.email.as_str());
    assert!(mails[0]["subject"].as_str().unwrap().contains("urgent"));
    assert!(mails[0]["body"].as_str().unwrap().contains("https://shelter.example.org/staff"));
    let hooks = receiver.received()[hooks_before..].to_vec();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    assert_eq!(receiver.bad_signatures(), 0);
    assert_eq!(hooks[0]["recipient"], on_call.id.as_str());
    assert_eq!(hooks[0]["delivery"], hooks[0]["delivery_header"]);
    assert_eq!(hooks[0]["urgency"], "urgent");

    let leaked =
        [reference.as_str(), "Hpakant", "Police", "police", "jade", "brother", "Aung", "0199", "Myanmar", "arrest"];
    for text in [mails[0]["raw"].to_string(), hooks[0].to_string()] {
        for secret in leaked {
            assert!(!text.contains(secret), "a notice carries {secret:?}: {text}");
        }
    }
    for text in [mails[0]["subject"].to_string(), mails[0]["body"].to_string(), hooks[0]["text"].to_string()] {
        assert!(!text.contains("MM"), "a notice names the country: {text}");
    }

    assert_eq!(in_app_kinds(&app, &on_call.id).await, ["urgent_case_arrived"]);
    assert!(in_app_kinds(&app, &off_duty.id).await.is_empty(), "not on call");
    assert!(!in_app_kinds(&app, &supervisor.id).await.contains(&"urgent_case_arrived".to_owned()));

    // The count on every staff page, without JavaScript, and the list itself.
    let browser = app.browser(&on_call).await;
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("Notices (1 new)"), "{home}");
    let list = browser
        .get(format!("{}/staff/notices", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/notices")
        .await;
    assert!(list.contains("A new urgent case arrived"), "{list}");
    assert!(!list.contains(&reference) && !list.contains("Hpakant"));
    let csrf = csrf_in(&list);
    let read = browser
        .post(format!("{}/staff/notices/read", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 303);
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(!home.contains("new)") && home.contains("Notices"), "{home}");
}

#[tokio::test]
async fn a_refusing_smtp_server_is_retried_with_backoff_until_it_accepts() {
    let smtp = SmtpSink::start(2);
    let (app, _secret) = app_with(&smtp, None).await;
    let admin = app.staff(&[Role::Admin]).await;
    let on_call = app.staff(&[Role::Handler]).await;
    on_call_always(&app, &admin, &on_call.email).await;
    file(&app, urgent_intake()).await;

    assert_eq!(app.notify.deliver_due().await.unwrap().retrying, 1, "451 the first time");
    assert_eq!(app.notify.deliver_due().await.unwrap().retrying, 0, "not due again before 30 s");
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.notify.deliver_due().await.unwrap().retrying, 1, "451 the second time");
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.notify.deliver_due().await.unwrap().sent, 0, "the second wait is 60 s");
    app.clock.advance(Duration::seconds(30));
    assert_eq!(app.notify.deliver_due().await.unwrap().sent, 1);
    assert_eq!((smtp.refused(), smtp.mails().len()), (2, 1));
    let attempts: Vec<(bool, Option<String>)> =
        sqlx::query_as("select ok, error from notice_attempt order by attempted_at").fetch_all(&app.db).await.unwrap();
    assert_eq!(attempts.iter().map(|a| a.0).collect::<Vec<_>>(), [false, false, true]);
    assert!(attempts[0].1.as_deref().unwrap().contains("451"), "{attempts:?}");
    assert!(!attempts[0].1.as_deref().unwrap().contains('@'), "no address in the error");
}

#[tokio::test]
async fn a_failing_webhook_is_given_up_listed_for_administrators_and_retried_from_their_page() {
    let smtp = SmtpSink::start(0);
    let receiver = Receiver::start().await;
    receiver.fail_next(1000);
    let (app, _secret) = app_with(&smtp, Some(&receiver)).await;
    let admin = app.staff(&[Role::Admin]).await;
    let on_call = app.staff(&[Role::Handler]).await;
    on_call_always(&app, &admin, &on_call.email).await;
    file(&app, urgent_intake()).await;

    let mut failed = 0;
    for _ in 0..20 {
        failed += app.notify.deliver_due().await.unwrap().failed;
        app.clock.advance(Duration::minutes(5));
    }
    assert_eq!(failed, 1, "the webhook is given up after an hour; the e-mail went");
    assert_eq!(smtp.mails().len(), 1);
    let admin_home = crate::homes::home(&app, &admin).await;
    assert!(admin_home.contains("1 notice could not be delivered"), "the administrator's home says so");

    let handler = app.browser(&on_call).await;
    let own = handler
        .get(format!("{}/staff/notices", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/notices")
        .await;
    assert!(!own.contains("Failed deliveries"), "only administrators see failures");

    let browser = app.browser(&admin).await;
    let page = browser
        .get(format!("{}/staff/notices", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/notices")
        .await;
    assert!(page.contains("webhook answered 503"), "{page}");
    let at = page.find("/retry\"").expect("a retry button");
    let from = page[..at].rfind("/staff/notices/").unwrap();
    let retry_path = page[from..at + "/retry".len()].to_owned();
    let csrf = csrf_in(&page);

    // A handler may not press it; an unknown or bad id is a clear error.
    let handler_csrf = app.session_csrf(&handler).await;
    let refused = handler
        .post(format!("{}{retry_path}", app.address))
        .form(&[("csrf", handler_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let unknown = browser
        .post(format!("{}/staff/notices/{}/retry", app.address, uuid::Uuid::new_v4()))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let bad = browser
        .post(format!("{}/staff/notices/not-an-id/retry", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    receiver.fail_next(0);
    let retried =
        browser.post(format!("{}{retry_path}", app.address)).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(retried.status(), 303);
    assert_eq!(app.notify.deliver_due().await.unwrap().sent, 1);
    assert_eq!(receiver.received().len(), 1);
    let page = browser
        .get(format!("{}/staff/notices", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/notices")
        .await;
    assert!(!page.contains("webhook answered 503"), "no longer failed");
}

#[tokio::test]
async fn two_workers_never_send_one_notice_twice_and_a_crashed_workers_deliveries_go_after_its_lease() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app_with(&smtp, None).await;
    let admin = app.staff(&[Role::Admin]).await;
    for _ in 0..2 {
        let handler = app.staff(&[Role::Handler]).await;
        on_call_always(&app, &admin, &handler.email).await;
    }
    for _ in 0..15 {
        file(&app, urgent_intake()).await;
    }
    // A second server process: its own pool and worker over the same database.
    let settings = NotifySettings {
        smtp_url: Some(smtp.url()),
        mail_from: Some("notices@shelter.example.org".into()),
        ..Default::default()
    };
    let pool = shelter_server::db::pool(app.owner_options.clone(), 4);
    let other = Notify::new(
        &settings,
        pool,
        Arc::new(app.clock.clone()),
        app.notify.keys.clone(),
        "https://shelter.example.org",
    )
    .unwrap();
    let (one, two) = tokio::join!(app.notify.drain(20), other.drain(20));
    assert_eq!(one.unwrap().sent + two.unwrap().sent, 30);
    let ids = |mails: &[Value]| {
        let mut ids: Vec<String> = mails.iter().map(|m| m["message_id"].as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    };
    assert_eq!((smtp.mails().len(), ids(&smtp.mails())), (30, 30), "each delivery exactly once");

    // A worker took two deliveries and died: they wait for its lease, then go, once.
    file(&app, urgent_intake()).await;
    app.notify.fan_out().await.unwrap();
    let now = shelter_server::clock::Clock::now(&app.clock);
    let leased = sqlx::query(
        "update notice_delivery set leased_until = $1, attempts = 1 where status = 'pending' and channel = 'email'",
    )
    .bind(now + Duration::minutes(5))
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(leased.rows_affected(), 2);
    assert_eq!(app.notify.drain(5).await.unwrap().sent, 0, "still held by the dead worker");
    app.clock.advance(Duration::minutes(5) + Duration::seconds(1));
    let (one, two) = tokio::join!(app.notify.drain(5), other.drain(5));
    assert_eq!(one.unwrap().sent + two.unwrap().sent, 2);
    assert_eq!((smtp.mails().len(), ids(&smtp.mails())), (32, 32));
}

#[tokio::test]
async fn webhook_targets_on_private_or_loopback_addresses_are_refused_unless_allowed() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), super::SECRET).unwrap();
    for (url, allow, why) in [
        ("https://127.0.0.1/hook", false, "private or loopback"),
        ("https://10.0.0.5/hook", false, "private or loopback"),
        ("https://169.254.169.254/latest/meta-data", false, "private or loopback"),
        ("https://[::1]/hook", false, "private or loopback"),
        ("https://localhost:8443/hook", false, "private or loopback"),
        ("http://bridge.example.org/hook", false, "https"),
        ("ftp://127.0.0.1/hook", true, "https"),
    ] {
        let (options, _db) = fresh_database().await;
        let dir = tempfile::tempdir().unwrap();
        let mut settings = test_settings();
        settings.database.data_dir = dir.path().to_path_buf();
        settings.notify.webhook_url = Some(url.into());
        settings.notify.webhook_secret_file = Some(secret.path().to_path_buf());
        settings.notify.webhook_allow_private = allow;
        let built = shelter_server::app::Application::build(&settings, options).await;
        let error = format!("{:#}", built.err().unwrap_or_else(|| panic!("{url} was accepted")));
        assert!(error.contains(why), "{url}: {error}");
    }
    // A name is checked again when connecting, after it resolves: one that points at
    // loopback is refused even though its URL looked public.
    let refused = shelter_server::notify::webhook::public_addresses("localhost", false).await;
    assert!(refused.is_err(), "{refused:?}");
    assert!(shelter_server::notify::webhook::public_addresses("localhost", true).await.is_ok());
}

#[tokio::test]
async fn quiet_hours_hold_other_notices_but_not_urgent_ones_and_unticked_channels_carry_nothing() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app_with(&smtp, None).await;
    let admin = app.staff(&[Role::Admin]).await;
    let watcher = app.staff(&[Role::Supervisor]).await;
    on_call_always(&app, &admin, &watcher.email).await;
    // Quiet from an hour ago until an hour from now, on the application's clock.
    let now = shelter_server::clock::Clock::now(&app.clock);
    let hhmm = |t: chrono::DateTime<chrono::Utc>| t.format("%H:%M").to_string();
    let browser = app.browser(&watcher).await;
    let csrf = app.session_csrf(&browser).await;
    let save = |fields: Vec<(&'static str, String)>| {
        let mut form = vec![("csrf", csrf.clone())];
        form.extend(fields);
        browser.post(format!("{}/staff/notices/preferences", app.address)).form(&form).send()
    };
    let bad = save(vec![("quiet_from", "25:00".into()), ("quiet_until", "07:00".into()), ("offset", "+00:00".into())])
        .await
        .unwrap();
    assert_eq!(bad.status(), 422, "a clear error, nothing saved");
    let saved = save(vec![
        ("email_urgent", "on".into()),
        ("email_normal", "on".into()),
        ("quiet_from", hhmm(now - Duration::hours(1))),
        ("quiet_until", hhmm(now + Duration::hours(1))),
        ("offset", "+00:00".into()),
    ])
    .await
    .unwrap();
    assert_eq!(saved.status(), 303);

    file(&app, urgent_intake()).await; // urgent: goes at once
    app.staff(&[Role::Supervisor]).await; // a privileged account: not urgent, waits
    assert_eq!(app.notify.drain(5).await.unwrap().sent, 1, "only the urgent one during quiet hours");
    assert!(smtp.mails()[0]["subject"].as_str().unwrap().contains("urgent"));
    app.clock.advance(Duration::minutes(61));
    assert_eq!(app.notify.drain(5).await.unwrap().sent, 1, "the other one once quiet hours end");
    assert_eq!(smtp.mails().len(), 2);

    // Other notices by e-mail unticked: the next one stays in the app only. (The clock moved
    // past the idle timeout, so sign in again.)
    let browser = app.browser(&watcher).await;
    let csrf = app.session_csrf(&browser).await;
    let saved = browser
        .post(format!("{}/staff/notices/preferences", app.address))
        .form(&[("csrf", csrf.as_str()), ("email_urgent", "on"), ("offset", "+07:00")])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let page = browser
        .get(format!("{}/staff/notices", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/notices")
        .await;
    assert!(page.contains("value=\"+07:00\""), "the form shows what was saved: {page}");
    app.staff(&[Role::Supervisor]).await;
    assert_eq!(app.notify.drain(5).await.unwrap().sent, 1, "only the other supervisor, who kept e-mail");
    let to_watcher = smtp.mails().iter().filter(|m| m["to"][0] == watcher.email.as_str()).count();
    assert_eq!(to_watcher, 2, "nothing more by e-mail to whoever unticked it");
    assert_eq!(in_app_kinds(&app, &watcher.id).await.iter().filter(|k| *k == "privileged_account_changed").count(), 2);
}

#[tokio::test]
async fn a_webhook_that_times_out_is_retried_with_the_same_delivery_id() {
    let smtp = SmtpSink::start(0);
    let receiver = Receiver::start().await;
    receiver.stall_next(1);
    let (app, _secret) = app_with(&smtp, Some(&receiver)).await;
    let admin = app.staff(&[Role::Admin]).await;
    let on_call = app.staff(&[Role::Handler]).await;
    on_call_always(&app, &admin, &on_call.email).await;
    file(&app, urgent_intake()).await;
    let round = app.notify.deliver_due().await.unwrap();
    assert_eq!((round.sent, round.retrying), (1, 1), "the e-mail went; the webhook timed out");
    let error: Option<String> = sqlx::query_scalar("select last_error from notice_delivery where channel = 'webhook'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(error.as_deref(), Some("webhook timed out"));
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.notify.deliver_due().await.unwrap().sent, 1);
    // The stalled request was dropped with its connection; the retry carries the same
    // delivery id, so a bridge that did process a stalled copy can drop the repeat.
    let id: uuid::Uuid = sqlx::query_scalar("select delivery_id from notice_delivery where channel = 'webhook'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let received = receiver.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["delivery"], id.to_string());
}
