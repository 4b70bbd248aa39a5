//! The staff homes: one "waiting on you" list per person, decided by the policy that
//! authorises each act (two roles see both parts; nobody sees their own proposal to
//! approve; a handler sees nothing of cases not theirs), and the administrator's view of
//! accounts, notices, the key and the backups.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::grants::{self, act, proposal, propose, propose_as};
use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;
use crate::staff::TestUser;

/// `user`'s home page.
pub(crate) async fn home(app: &TestApp, user: &TestUser) -> String {
    let browser = app.browser(user).await;
    browser.get(format!("{}/staff", app.address)).send().await.unwrap().expect_text(StatusCode::OK, "open /staff").await
}

/// The "waiting on you" line that links to `href`, if the page has one.
pub(crate) fn line<'a>(html: &'a str, href: &str) -> Option<&'a str> {
    let from = html.find("id=\"waiting-title\"")?;
    let section = &html[from..from + html[from..].find("</section>")?];
    let at = section.find(&format!("href=\"{href}\""))?;
    let start = section[..at].rfind("<li")?;
    let end = at + section[at..].find("</li>")?;
    Some(&section[start..end])
}

/// Files a request; its id, reference and the requester's token.
async fn file(app: &TestApp, narrative: &str) -> (Uuid, String, String) {
    let filed: Value = app
        .post_json(
            "/api/v1/intake",
            None,
            &json!({"narrative": narrative, "country": "KH", "kind": "arrest_detention",
                    "at_risk": "Ko Aung Min", "contact": "signal @aungmin88"}),
        )
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let reference = filed["reference"].as_str().unwrap().to_owned();
    let id = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    (id, reference, token)
}

/// `token`'s holder claims and triages case `id`.
async fn claim_and_triage(app: &TestApp, token: &str, id: Uuid) {
    app.post_json(&format!("/api/v1/cases/{id}/claim"), Some(token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let triage = json!({"severity": "high", "kind": "arrest_detention", "rationale": "detained, a lawyer is needed"});
    app.post_json(&format!("/api/v1/cases/{id}/triage"), Some(token), &triage)
        .await
        .expect_status(StatusCode::OK, "triage")
        .await;
}

#[tokio::test]
async fn grants_wait_on_whoever_may_decide_or_pay_them_and_never_on_their_proposer() {
    let app = TestApp::spawn().await;
    let w = grants::world(&app, "high").await;
    let by_handler = propose(&app, &w, "1,000.00").await;
    let proposed = propose_as(&app, &w, &w.supervisors[1], &proposal(&w, "500.00")).await;
    assert_eq!(proposed.status(), StatusCode::CREATED, "a supervisor proposes too");
    let by_supervisor = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let (a, b) = (format!("/staff/grants/{by_handler}"), format!("/staff/grants/{by_supervisor}"));

    let proposer = home(&app, &w.supervisors[1].user).await;
    assert!(line(&proposer, &a).is_some_and(|l| l.contains("a grant awaits your decision")), "another's proposal");
    assert!(line(&proposer, &b).is_none(), "never their own proposal");
    let other = home(&app, &w.supervisors[0].user).await;
    assert!(line(&other, &a).is_some_and(|l| l.contains(&w.reference)), "named by the case's reference");
    assert!(line(&other, &b).is_some(), "a second supervisor may decide the supervisor's proposal");
    let handler = home(&app, &w.handler.user).await;
    assert!(line(&handler, &a).is_none() && line(&handler, &b).is_none(), "handlers decide no grant");

    // Approved: it waits on finance now, and no longer on its approver.
    let approved = act(&app, &w.supervisors[0], &by_handler, "approve", json!({"rationale": "Hearing is real"})).await;
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    let approver = home(&app, &w.supervisors[0].user).await;
    assert!(line(&approver, &a).is_none(), "decided: nothing waits");
    let finance = home(&app, &w.finance[0].user).await;
    let pay = line(&finance, &a).expect("finance is told what waits");
    assert!(pay.contains("an approved grant awaits your payment"), "{pay}");
    assert!(!finance.contains(&w.reference), "finance never learns which case");
    assert!(line(&finance, &b).is_none(), "finance decides nothing");

    // One person with two roles sees both parts: a payment and a decision.
    let both = app.staff(&[Role::Supervisor, Role::Finance]).await;
    let page = home(&app, &both).await;
    assert!(line(&page, &a).is_some_and(|l| l.contains("awaits your payment")), "the finance part");
    assert!(line(&page, &b).is_some_and(|l| l.contains("awaits your decision")), "the supervisor part");
}

#[tokio::test]
async fn a_handler_sees_overdue_tasks_and_unread_messages_of_their_own_cases_only() {
    let app = TestApp::spawn().await;
    let (mine, my_reference, my_requester) = file(&app, "Arrested at the river protest home-narr-1").await;
    let (theirs, their_reference, their_requester) = file(&app, "Summoned by the police home-narr-2").await;
    let me = app.staff(&[Role::Handler]).await;
    let colleague = app.staff(&[Role::Handler]).await;
    let idle = app.staff(&[Role::Handler]).await;
    claim_and_triage(&app, &app.token(&me).await, mine).await;
    claim_and_triage(&app, &app.token(&colleague).await, theirs).await;
    for (token, body) in
        [(&my_requester, "They took my phone"), (&my_requester, "Please call"), (&their_requester, "Help")]
    {
        app.post_json("/api/v1/requester/messages", Some(token), &json!({"body": body}))
            .await
            .expect_status(StatusCode::CREATED, "the requester writes")
            .await;
    }
    let page = home(&app, &me).await;
    let unread = line(&page, &format!("/staff/cases/{mine}#messages")).expect("unread messages wait");
    assert!(unread.contains(&my_reference) && unread.contains("the requester wrote 2 messages you have not read"));

    // A month on, the checklist's tasks are overdue.
    app.clock.advance(chrono::Duration::days(30));
    let page = home(&app, &me).await;
    let tasks = line(&page, &format!("/staff/cases/{mine}#checklist")).expect("overdue tasks wait");
    assert!(tasks.contains(&my_reference) && tasks.contains("tasks are overdue"), "{tasks}");
    assert!(!page.contains(&their_reference), "nothing of a case not theirs");
    assert!(!page.contains(&format!("/staff/cases/{theirs}#")), "nothing of a case not theirs");
    let colleagues = home(&app, &colleague).await;
    assert!(line(&colleagues, &format!("/staff/cases/{theirs}#messages")).is_some());
    assert!(!colleagues.contains(&my_reference));

    // Opening the case reads the messages.
    let browser = app.browser(&me).await;
    browser.get(format!("{}/staff/cases/{mine}", app.address)).send().await.unwrap();
    let page = browser.get(format!("{}/staff", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(line(&page, &format!("/staff/cases/{mine}#messages")).is_none(), "read once opened");

    let nothing = home(&app, &idle).await;
    assert!(nothing.contains("Nothing is waiting on you."), "said when empty");
}

#[tokio::test]
async fn supervisors_see_referrals_to_approve_decisions_to_review_and_accounts_to_confirm() {
    let app = TestApp::spawn().await;
    let (case, reference, _) = file(&app, "Held at the border post home-narr-3").await;
    let handler = app.staff(&[Role::Handler]).await;
    let handler_token = app.token(&handler).await;
    claim_and_triage(&app, &handler_token, case).await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin_token = app.token(&admin).await;
    let partner = json!({"name": "Phnom Penh Counsel", "kind": "lawyer", "countries": ["KH"]});
    let partner: Value = app
        .post_json("/api/v1/partners", Some(&admin_token), &partner)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await;
    let body = json!({"partner_id": partner["id"], "purpose": "Bail hearing", "summary": "Held since Monday"});
    app.post_json(&format!("/api/v1/cases/{case}/referrals"), Some(&handler_token), &body)
        .await
        .expect_status(StatusCode::CREATED, "propose a referral")
        .await;
    // A privileged account an administrator creates waits for a supervisor who did not.
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let code = app.next_totp(&admin);
    app.post_json("/api/v1/auth/step-up", Some(&admin_token), &json!({"totp": code}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "step up")
        .await;
    let body = json!({"email": "new-finance@example.org", "name": "Daw Khin Finance", "roles": ["finance"]});
    let created: Value = app
        .post_json("/api/v1/admin/users", Some(&admin_token), &body)
        .await
        .expect_json(StatusCode::CREATED, "create an account")
        .await;
    let admin_home = home(&app, &admin).await;
    assert!(admin_home.contains("Daw Khin Finance") && admin_home.contains("not enrolled yet"), "the administrator");
    app.enrol("new-finance@example.org", created["enrolment_code"].as_str().unwrap()).await;

    let page = home(&app, &supervisor).await;
    let referral = line(&page, &format!("/staff/cases/{case}#referrals")).expect("the referral waits");
    assert!(referral.contains(&reference) && referral.contains("a referral awaits your approval"), "{referral}");
    let reviews = line(&page, "/staff/audit?unreviewed=true").expect("decisions wait for review");
    assert!(reviews.contains("decision by someone else awaits review"), "{reviews}");
    let account = line(&page, "/staff/users").expect("the account waits for confirmation");
    assert!(account.contains("Daw Khin Finance") && account.contains("waits for your confirmation"), "{account}");
    let handlers = home(&app, &handler).await;
    assert!(line(&handlers, &format!("/staff/cases/{case}#referrals")).is_none(), "handlers approve no referral");
    assert!(line(&handlers, "/staff/audit?unreviewed=true").is_none());
    let admin_home = home(&app, &admin).await;
    assert!(
        admin_home.contains("Daw Khin Finance") && admin_home.contains("new; waits for a supervisor"),
        "enrolled now"
    );

    // A supervisor conflicted on the case sees nothing of it.
    let conflicted = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&conflicted).await;
    app.post_json(&format!("/api/v1/cases/{case}/conflict"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "declare a conflict")
        .await;
    let page = home(&app, &conflicted).await;
    assert!(!page.contains(&reference) && line(&page, &format!("/staff/cases/{case}#referrals")).is_none());
}

#[tokio::test]
async fn the_administrators_home_says_whether_the_key_and_the_backups_are_fine() {
    let backups = tempfile::tempdir().unwrap();
    let old = backups.path().join("shelter-2026-11-28.dump");
    std::fs::write(&old, b"a backup").unwrap();
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(48 * 3600);
    std::fs::File::options().write(true).open(&old).unwrap().set_modified(two_days_ago).unwrap();
    let mut settings = test_settings();
    settings.backups.backup_dir = Some(backups.path().to_path_buf());
    let app = TestApp::spawn_with(settings).await;
    let admin = app.staff(&[Role::Admin]).await;
    let page = home(&app, &admin).await;
    assert!(page.contains("The newest backup is 48 h old, more than 26 h: make a backup now."), "{page}");
    assert!(page.contains("present and readable only by the user Shelter runs as"), "the key file passes");
    assert!(page.contains("No key rotation is under way.") && page.contains("Every notice was delivered."));
    assert!(page.contains("No account is waiting for confirmation."));

    // A fresh backup is fine; an installation without a backup folder says so.
    std::fs::write(backups.path().join("shelter-2026-11-30.dump"), b"a newer backup").unwrap();
    let page = home(&app, &admin).await;
    assert!(page.contains("The newest backup is 0 h old."), "{page}");
    let unset = TestApp::spawn().await;
    let admin = unset.staff(&[Role::Admin]).await;
    assert!(home(&unset, &admin).await.contains("No backup folder is set"));
    let handler = unset.staff(&[Role::Handler]).await;
    assert!(!home(&unset, &handler).await.contains("Master key file"), "administrators only");
}

/// Switches the signed-in reader's pages to `language` with the switcher on every page.
pub(crate) async fn switch_language(browser: &crate::browser::Browser, language: &str) {
    use fantoccini::Locator;
    browser.client.find(Locator::Css("#nav-language")).await.unwrap().select_by_value(language).await.unwrap();
    browser.click("form.language button[type=submit]").await;
    let tag: shelter_shared::language::Language = language.parse().unwrap();
    let home = shelter_frontend::i18n::Translator::new(tag).t("nav-home");
    for _ in 0..50 {
        if browser.client.source().await.unwrap().contains(&format!(">{home}</a>")) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the pages did not switch to {language}");
}

#[tokio::test]
async fn the_homes_in_chromium_at_laptop_width_in_english_and_burmese() {
    use shelter_frontend::i18n::Translator;
    use shelter_shared::language::Language;

    let app = TestApp::spawn().await;
    let w = grants::world(&app, "high").await;
    let payable = propose(&app, &w, "1,000.00").await;
    propose(&app, &w, "800.00").await;
    let approved = act(&app, &w.supervisors[0], &payable, "approve", json!({"rationale": "Hearing is real"})).await;
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    let both = app.staff(&[Role::Supervisor, Role::Finance]).await;
    let browser = crate::browser::Browser::start_laptop().await;
    browser.sign_in(&app, &both).await;
    assert_eq!(browser.text("#waiting-title").await, "Waiting on you");
    browser.screenshot("home-waiting-laptop").await;
    switch_language(&browser, "my").await;
    browser.client.goto(&format!("{}/staff", app.address)).await.unwrap();
    let burmese = Translator::new(Language::Burmese);
    assert_eq!(browser.text("#waiting-title").await, burmese.t("hw-title"));
    browser.screenshot("home-waiting-my-laptop").await;
    browser.client.close().await.unwrap();

    let admin = app.staff(&[Role::Admin]).await;
    let browser = crate::browser::Browser::start_laptop().await;
    browser.sign_in(&app, &admin).await;
    assert_eq!(browser.text("#admin-title").await, "The installation");
    browser.screenshot("home-admin-laptop").await;
    switch_language(&browser, "my").await;
    browser.client.goto(&format!("{}/staff", app.address)).await.unwrap();
    assert_eq!(browser.text("#admin-title").await, burmese.t("hw-admin-title"));
    browser.screenshot("home-admin-my-laptop").await;
    browser.client.close().await.unwrap();
}
