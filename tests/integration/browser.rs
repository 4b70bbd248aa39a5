//! Pages in a real browser: Debian's Chromium, headless, driven over WebDriver, with
//! JavaScript switched off and a 360 px wide phone screen.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;
use shelter_shared::staff::Role;

use crate::helpers::{TestApp, target_dir};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session; the driver process ends with it.
pub(crate) struct Browser {
    pub(crate) client: Client,
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub(crate) async fn start() -> Browser {
        Self::start_with(false).await
    }

    /// A session with JavaScript on: only for running axe-core, whose checks wait on
    /// timers that a page without JavaScript never runs (Shelter's pages have none either way).
    pub(crate) async fn start_with_javascript() -> Browser {
        Self::start_with(true).await
    }

    async fn start_with(javascript: bool) -> Browser {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists(),
            "browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = tokio::process::Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start chromedriver");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=360,800", format!("--user-data-dir={}", profile.path().display())],
                // Headless windows are at least 500 px wide: the phone's 360 px comes from emulation.
                "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 800, "pixelRatio": 1.0, "touch": false}},
                // JavaScript off, as in Tor Browser's "safest" setting.
                "prefs": {"profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }},
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser { client, _driver: driver, _profile: profile }
    }

    pub(crate) async fn fill(&self, css: &str, text: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().send_keys(text).await.unwrap();
    }

    pub(crate) async fn click(&self, css: &str) {
        self.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    }

    pub(crate) async fn text(&self, css: &str) -> String {
        self.client.wait().for_element(Locator::Css(css)).await.unwrap().text().await.unwrap()
    }

    /// Waits until the page's address satisfies `arrived` (a form post's navigation may
    /// still be under way when a click returns).
    pub(crate) async fn wait_for_url(&self, arrived: impl Fn(&url::Url) -> bool) -> url::Url {
        for _ in 0..100 {
            if let Ok(url) = self.client.current_url().await
                && arrived(&url)
            {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page did not arrive; it is at {:?}", self.client.current_url().await);
    }

    /// Signs `user` in through the staff forms: password, then a fresh TOTP code.
    pub(crate) async fn sign_in(&self, app: &TestApp, user: &crate::staff::TestUser) {
        self.client.goto(&format!("{}/staff", app.address)).await.unwrap();
        self.fill("input[name=email]", &user.email).await;
        self.fill("input[name=password]", &user.password).await;
        self.click("form button[type=submit]").await;
        self.wait_for_url(|url| url.path().ends_with("/staff/sign-in/totp")).await;
        self.fill("input[name=code]", &app.next_totp(user)).await;
        self.click("form button[type=submit]").await;
        self.wait_for_url(|url| url.path() == "/staff").await;
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = target_dir().join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test]
async fn a_burmese_request_and_its_status_with_javascript_off_on_a_phone() {
    let app = TestApp::spawn().await;
    let browser = Browser::start().await;
    browser.client.goto(&format!("{}/request?lang=my", app.address)).await.unwrap();
    browser.screenshot("intake-my-360").await;
    let burmese = Translator::new(Language::Burmese);
    assert_eq!(browser.text("h1").await, burmese.t("intake-title"));
    browser.fill("textarea[name=narrative]", "ကျွန်ုပ်၏ အစ်ကိုကို ဖမ်းသွားသည်").await;
    browser.client.find(Locator::Css("select[name=country]")).await.unwrap().select_by_value("MM").await.unwrap();
    browser.click("input[name=urgency][value=immediate]").await;
    browser.click("input[name=needs][value=legal]").await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_url(|url| url.path().ends_with("/request/received")).await;
    browser.screenshot("received-my-360").await;
    let codes = browser.client.find_all(Locator::Css("dl.credentials code")).await.unwrap();
    let reference = codes[0].text().await.unwrap();
    let passphrase = codes[1].text().await.unwrap();
    assert!(reference.starts_with("SH-"));
    assert_eq!(passphrase.split(' ').count(), 6);

    // Back and forward again: no second case.
    browser.client.back().await.unwrap();
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(cases, 1);

    browser.client.goto(&format!("{}/status?lang=my", app.address)).await.unwrap();
    browser.fill("input[name=reference]", &reference.to_lowercase()).await;
    browser.fill("input[name=passphrase]", &passphrase).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_url(|url| url.path().ends_with("/status/case")).await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains(&burmese.t("state-received")), "status in Burmese");
    browser.screenshot("status-my-360").await;

    // The quick exit is a plain link that works without JavaScript.
    browser.click("a.exit").await;
    browser.wait_for_url(|url| url.host_str() != Some("127.0.0.1")).await;
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_handler_signs_in_with_password_and_totp_in_the_browser() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = Browser::start().await;
    browser.sign_in(&app, &user).await;
    assert_eq!(browser.text("h1").await, "Triage queue");
    browser.screenshot("queue-360").await;
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_approves_a_grant_after_a_step_up_with_javascript_off() {
    let app = TestApp::spawn().await;
    let world = crate::grants::world(&app, "high").await;
    let grant = crate::grants::propose(&app, &world, "1,500.00", &["Daw Hla"]).await;
    let user = app.staff(&[Role::Supervisor]).await;
    let browser = Browser::start().await;
    browser.sign_in(&app, &user).await;

    // Past the five minutes a sign-in counts as fresh, the page asks for a new code first.
    app.clock.advance(chrono::Duration::minutes(6));
    let path = format!("/staff/grants/{grant}");
    browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
    assert!(browser.client.find(Locator::Css("button[value=approve]")).await.is_err(), "no decision without a step-up");
    browser.fill("#step-up-code", &app.next_totp(&user)).await;
    browser.click("form[action='/staff/step-up'] button[type=submit]").await;
    // The step-up returns to the same address: wait for the decision form itself.
    browser.client.wait().for_element(Locator::Css("button[value=approve]")).await.unwrap();
    browser.fill("textarea[name=rationale]", "Verified by phone with the voucher").await;
    browser.screenshot("grant-decide-360").await;
    browser.click("button[value=approve]").await;
    browser.wait_for_url(|url| url.query() == Some("done=1")).await;
    let status: String = sqlx::query_scalar("select status from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "approved");
    // The approved grant says who may release the payment: its finance officers, by name.
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Who may release the payment"), "the payer line is shown");
    browser.screenshot("grant-approved-360").await;
    let sealed: Vec<u8> = sqlx::query_scalar("select rationale_sealed from audit_log where action = 'grant.approved'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"Verified"), "the rationale is stored sealed");
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_sees_and_confirms_a_pending_account_with_javascript_off() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let admin = app.staff(&[Role::Admin]).await;
    let token = app.token(&admin).await;
    let code = app.next_totp(&admin);
    app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code})).await;
    let body = json!({"email": "new-finance@example.org", "name": "Daw Khin Finance", "roles": ["finance"]});
    let created: serde_json::Value =
        app.post_json("/api/v1/admin/users", Some(&token), &body).await.json().await.unwrap();
    app.enrol("new-finance@example.org", created["enrolment_code"].as_str().unwrap()).await;

    let browser = Browser::start().await;
    browser.sign_in(&app, &supervisor).await;
    let home = browser.client.source().await.unwrap();
    assert!(home.contains("Privileged account Daw Khin Finance"), "the home page lists the new account");
    browser.client.goto(&format!("{}/staff/users", app.address)).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("cannot sign in until a supervisor who did not create it confirms it"));
    browser.screenshot("users-pending-360").await;
    browser.click("form[action$='/confirm'] button[type=submit]").await;
    browser.wait_for_url(|url| url.query() == Some("notice=confirmed")).await;
    let pending: bool =
        sqlx::query_scalar("select pending_confirmation from staff_user where email = 'new-finance@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(!pending, "confirmed through the page");
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn an_administrator_reads_notices_and_the_rota_on_a_phone() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin, Role::Supervisor]).await;
    // Privileged account changes tell every supervisor.
    let other = app.staff(&[Role::Admin]).await;
    let token = app.token(&other).await;
    let code = app.next_totp(&other);
    app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code})).await;
    let body = json!({"email": "pay@example.org", "name": "New Finance", "roles": ["finance"]});
    assert_eq!(app.post_json("/api/v1/admin/users", Some(&token), &body).await.status(), 201);

    let browser = Browser::start().await;
    browser.sign_in(&app, &admin).await;
    let home = browser.client.source().await.unwrap();
    // Two privileged accounts were made after this supervisor's: two notices wait.
    assert!(home.contains("Notices (2 new)"), "the count shows on every staff page");
    browser.client.goto(&format!("{}/staff/notices", app.address)).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("A privileged staff account changed."));
    assert!(!page.contains("New Finance") && !page.contains("pay@example.org"), "no names in notices");
    browser.screenshot("notices-360").await;

    // A refused preference keeps what was typed, beside a clear error.
    browser.fill("#address", "duty@private.example.net").await;
    browser.fill("#handle", "bad;handle").await;
    browser.click("form[action='/staff/notices/preferences'] button[type=submit]").await;
    // The refusal is a new page: wait for it rather than read the old one.
    browser.client.wait().for_element(Locator::Css("p.error[role=alert]")).await.unwrap();
    let refused = browser.client.source().await.unwrap();
    assert!(refused.to_lowercase().contains("a messenger handle has"), "the error is shown");
    let typed = browser.client.find(Locator::Css("#address")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(typed.as_deref(), Some("duty@private.example.net"), "typed work is kept");
    browser.client.goto(&format!("{}/staff/notices#language", app.address)).await.unwrap();
    browser.screenshot("notices-preferences-360").await;
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_reads_the_insights_on_a_phone() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let cases = crate::insights::seed_cases(&app).await;
    crate::insights::seed_grants(&app, &cases, &supervisor).await;
    let browser = Browser::start().await;
    browser.sign_in(&app, &supervisor).await;
    browser.client.goto(&format!("{}/staff/insights?from=2026-01-05&to=2026-02-15", app.address)).await.unwrap();
    assert_eq!(browser.text("h1").await, "Insights");
    let charts = browser.client.find_all(Locator::Css(".chart svg")).await.unwrap();
    assert!(charts.len() >= 5, "{} charts", charts.len());
    let captions = browser.client.find_all(Locator::Css("table caption")).await.unwrap();
    assert!(captions.len() >= charts.len(), "every chart has its table");
    browser.screenshot("insights-360").await;
    browser
        .client
        .goto(&format!("{}/staff/insights?from=2026-01-05&to=2026-02-15#grant_amounts", app.address))
        .await
        .unwrap();
    browser.screenshot("insights-money-360").await;
    browser.client.close().await.unwrap();
}
