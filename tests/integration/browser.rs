//! Pages in a real browser: Debian's Chromium, headless, driven over WebDriver, with
//! JavaScript switched off and a 360 px wide phone screen.

use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;
use shelter_shared::staff::Role;

use crate::helpers::{TestApp, target_dir};
use crate::staff::Expect as _;
use reqwest::StatusCode;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session; the driver process ends with it.
pub(crate) struct Browser {
    pub(crate) client: Client,
    /// The driver's port, for its Chrome DevTools endpoint.
    port: u16,
    /// The emulated screen.
    size: (u32, u32),
    _driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A phone with JavaScript off, as the people Shelter serves browse.
    pub(crate) async fn start() -> Browser {
        Self::launch(false, (360, 800)).await
    }

    /// A phone with JavaScript on: only for running axe-core, whose checks wait on timers
    /// that a page without JavaScript never runs (Shelter's pages have none either way).
    pub(crate) async fn start_with_javascript() -> Browser {
        Self::launch(true, (360, 800)).await
    }

    /// A laptop's screen with JavaScript off, as staff pages must work.
    pub(crate) async fn start_laptop() -> Browser {
        Self::launch(false, (1280, 900)).await
    }

    /// A laptop's screen with JavaScript on, for axe-core.
    pub(crate) async fn start_laptop_with_javascript() -> Browser {
        Self::launch(true, (1280, 900)).await
    }

    async fn launch(javascript: bool, (width, height): (u32, u32)) -> Browser {
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
                // Headless windows are at least 500 px wide: the screen's size comes from emulation.
                "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": false}},
                // JavaScript off, as in Tor Browser's "safest" setting.
                "prefs": {"profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }},
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        Browser { client, port, size: (width, height), _driver: driver, _profile: profile }
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

    /// axe-core's violations on the page shown: `[rule, impact, count, first target]` each
    /// (`["error", why, 0, ""]` when axe itself failed).
    pub(crate) async fn axe_violations(&self) -> Value {
        let path = target_dir().join("axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("axe-core is missing at {}: scripts/test installs it with npm", path.display()));
        self.client.execute(&format!("{source}\nreturn true;"), vec![]).await.unwrap();
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, {resultTypes: ['violations']}, (error, r) => {
                try {
                    done(error ? [['error', String(error), 0, '']]
                        : r.violations.map(v => [v.id, v.impact, v.nodes.length, JSON.stringify(v.nodes[0] && v.nodes[0].target)]));
                } catch (e) { done([['error', String(e), 0, '']]); }
            });";
        self.client.execute_async(script, vec![]).await.unwrap()
    }

    /// axe-core's serious and critical findings on the page shown (and any failure of axe).
    pub(crate) async fn axe(&self) -> Vec<Value> {
        serious(&self.axe_violations().await)
    }

    /// The emulated screen's metrics, through chromedriver's Chrome DevTools endpoint
    /// (resizing the window does not change an emulated screen).
    async fn emulate(&self, width: u32, height: u32) {
        let session = self.client.session_id().await.unwrap().expect("a session");
        let url = format!("http://127.0.0.1:{}/session/{session}/goog/cdp/execute", self.port);
        let params = json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500});
        let body = json!({"cmd": "Emulation.setDeviceMetricsOverride", "params": params});
        let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "emulation: {}", response.text().await.unwrap());
    }

    /// The page as printed: its print stylesheet applies from now on (for a screenshot of
    /// what paper would show).
    pub(crate) async fn print_media(&self) {
        let session = self.client.session_id().await.unwrap().expect("a session");
        let url = format!("http://127.0.0.1:{}/session/{session}/goog/cdp/execute", self.port);
        let body = json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}});
        let response = reqwest::Client::new().post(url).json(&body).send().await.unwrap();
        assert!(response.status().is_success(), "print media: {}", response.text().await.unwrap());
    }

    /// A screenshot of the whole page: the screen grows to the page's height, then returns.
    pub(crate) async fn full_screenshot(&self, name: &str) {
        let (width, height) = self.size;
        let page = self.client.execute("return document.documentElement.scrollHeight;", vec![]).await.unwrap();
        let page = page.as_u64().and_then(|h| u32::try_from(h).ok()).unwrap_or(height).max(height);
        self.emulate(width, page).await;
        self.screenshot(name).await;
        self.emulate(width, height).await;
    }

    pub(crate) async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = target_dir().join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// The serious and critical violations among axe-core's findings (and any failure of axe).
pub(crate) fn serious(found: &Value) -> Vec<Value> {
    let serious = |v: &&Value| matches!(v[1].as_str(), Some("serious" | "critical")) || v[0] == "error";
    found.as_array().into_iter().flatten().filter(serious).cloned().collect()
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
    let grant = crate::grants::propose(&app, &world, "1,500.00").await;
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
    app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "step up")
        .await;
    let body = json!({"email": "new-finance@example.org", "name": "Daw Khin Finance", "roles": ["finance"]});
    let created: serde_json::Value = app
        .post_json("/api/v1/admin/users", Some(&token), &body)
        .await
        .expect_json(StatusCode::CREATED, "create an account")
        .await;
    app.enrol("new-finance@example.org", created["enrolment_code"].as_str().unwrap()).await;

    let browser = Browser::start().await;
    browser.sign_in(&app, &supervisor).await;
    let home = browser.client.source().await.unwrap();
    assert!(
        home.contains("Daw Khin Finance") && home.contains("a new privileged account waits for your confirmation"),
        "the home page lists the new account"
    );
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
    app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "step up")
        .await;
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

#[tokio::test]
async fn the_insights_and_the_donor_report_pass_axe_on_a_phone_and_a_laptop() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let cases = crate::insights::seed_cases(&app).await;
    crate::insights::seed_grants(&app, &cases, &supervisor).await;
    let pages = [
        ("insights", "/staff/insights?from=2026-01-05&to=2026-02-15"),
        ("donor", "/staff/reports/donor?from=2026-01-01&to=2026-03-31"),
    ];
    for device in ["phone", "laptop"] {
        let browser = if device == "phone" {
            Browser::start_with_javascript().await
        } else {
            Browser::start_laptop_with_javascript().await
        };
        browser.sign_in(&app, &supervisor).await;
        for (name, path) in pages {
            browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
            let found = browser.axe().await;
            assert!(found.is_empty(), "{name} on a {device}: {found:#?}");
            if device == "laptop" {
                browser.screenshot(&format!("{name}-laptop")).await;
            }
        }
        browser.client.close().await.unwrap();
    }
}

/// Each word of the passphrase on the receipt: on how many lines it is drawn (1 unless it
/// was broken), and the page's width against the screen's.
const RECEIPT_LAYOUT: &str = r#"
    const text = document.querySelectorAll('dl.credentials code.secret')[1].firstChild;
    const lines = [];
    let at = 0;
    for (const word of text.textContent.split(' ')) {
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + word.length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        lines.push(tops.size);
        at += word.length + 1;
    }
    return [lines, document.documentElement.scrollWidth, window.innerWidth];
"#;

#[tokio::test]
async fn landing_receipt_and_consent_in_every_language_on_a_phone() {
    let app = TestApp::spawn().await;
    let staff = crate::words::Staff::new(&app).await;
    let browser = Browser::start().await;
    for language in Language::ALL {
        let lang = language.tag();
        let t = Translator::new(language);
        browser.client.set_window_size(360, 800).await.unwrap();
        browser.client.goto(&format!("{}/?lang={lang}", app.address)).await.unwrap();
        assert_eq!(browser.text("h1").await, t.t("landing-title"));
        browser.client.set_window_size(360, 1600).await.unwrap();
        browser.screenshot(&format!("words-landing-{lang}-360")).await;

        // The receipt, opened once, in the browser.
        let receipt = crate::words::file_by_form(&app, &crate::words::tab(), lang).await;
        browser.client.set_window_size(360, 800).await.unwrap();
        browser.client.goto(&format!("{}{receipt}", app.address)).await.unwrap();
        let codes = browser.client.find_all(Locator::Css("dl.credentials code")).await.unwrap();
        let reference = codes[0].text().await.unwrap();
        let passphrase = codes[1].text().await.unwrap();
        let layout = browser.client.execute(RECEIPT_LAYOUT, vec![]).await.unwrap();
        let lines: Vec<u64> = layout[0].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
        assert_eq!(lines, vec![1; passphrase.split(' ').count()], "{lang}: no word of {passphrase:?} is broken");
        assert!(layout[1].as_u64() <= layout[2].as_u64(), "{lang}: the receipt does not scroll sideways: {layout}");
        browser.client.set_window_size(360, 1800).await.unwrap();
        browser.screenshot(&format!("words-receipt-{lang}-360")).await;

        // Consent, after signing in through the page.
        staff.ask_consent(&app, &reference).await;
        browser.client.set_window_size(360, 800).await.unwrap();
        browser.client.goto(&format!("{}/status?lang={lang}", app.address)).await.unwrap();
        browser.fill("input[name=reference]", &reference).await;
        browser.fill("input[name=passphrase]", &passphrase).await;
        browser.click("form button[type=submit]").await;
        browser.wait_for_url(|url| url.path().ends_with("/status/case")).await;
        let page = browser.client.source().await.unwrap();
        assert!(page.contains(&t.t("referral-consent")) && page.contains(&t.t("referral-no-is-fine")), "{lang}");
        let width =
            browser.client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await;
        let width = width.unwrap();
        assert!(width[0].as_u64() <= width[1].as_u64(), "{lang}: the consent page does not scroll sideways: {width}");
        browser.client.set_window_size(360, 2400).await.unwrap();
        browser.screenshot(&format!("words-consent-{lang}-360")).await;
        browser.click("a.exit").await;
    }
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_links_a_case_to_a_member_found_by_a_burmese_name_with_javascript_off() {
    let app = TestApp::spawn().await;
    let world = crate::grants::world(&app, "high").await;
    let member = json!({"external_id": "MK-2016-007", "names": ["အောင်ကျော်မင်း", "Aung Kyaw Min"], "country": "MM",
                        "cohort_year": 2016, "organisation": "Irrawaddy Watch", "contact": "signal +95 browser-contact-5151",
                        "status": {"status": "detained", "date": "2026-02-01", "source": "family"}});
    let added = app.post_json("/api/v1/alumni", Some(&world.admin.token), &member).await;
    assert_eq!(added.status(), 201);
    // The handler's case page offers no link: linking opens the whole record, a supervisor does it.
    let handler = Browser::start().await;
    handler.sign_in(&app, &world.handler.user).await;
    handler.client.goto(&format!("{}/staff/cases/{}", app.address, world.case_id)).await.unwrap();
    assert!(handler.client.source().await.unwrap().contains("A supervisor can link one."));
    handler.client.close().await.unwrap();
    let browser = Browser::start().await;
    browser.sign_in(&app, &world.supervisors[0].user).await;

    // Search from the case: minimal fields only, then link with a rationale.
    browser.client.goto(&format!("{}/staff/cases/{}", app.address, world.case_id)).await.unwrap();
    browser.click(&format!("a[href='/staff/cases/{}/alumni']", world.case_id)).await;
    browser.fill("input[name=name]", "ကျော်မင်း").await;
    browser.click("form[method=get] button[type=submit]").await;
    browser.client.wait().for_element(Locator::Css("input[name=member_id]")).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Aung Kyaw Min") && !page.contains("browser-contact-5151"), "minimal fields only");
    browser.click("input[name=member_id]").await;
    browser.fill("textarea[name=rationale]", "The requester named the 2016 cohort").await;
    browser.screenshot("alumni-link-360").await;
    browser.click("form[method=post] button.primary").await;
    browser.wait_for_url(|url| url.path() == format!("/staff/cases/{}", world.case_id)).await;
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Myanmar · cohort 2016 · detained"), "the case page shows the member's status in words");
    browser.screenshot("alumni-case-360").await;

    // Released on bail: the case adds to the member's timeline.
    browser.click("details summary").await;
    browser
        .client
        .find(Locator::Css("details select[name=status] option[value=active]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.fill("details input[name=date]", "2026-03-05").await;
    browser.fill("details input[name=note]", "released on bail").await;
    browser.click("details button[type=submit]").await;
    browser.client.wait().for_element(Locator::Css("h1")).await.unwrap();
    for _ in 0..50 {
        if browser.client.source().await.unwrap().contains("Myanmar · cohort 2016 · active") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(browser.client.source().await.unwrap().contains("Myanmar · cohort 2016 · active"), "the new status shows");

    // Linked: the member's page opens in full for this handler.
    browser.click("main a[href^='/staff/alumni/']").await;
    browser.client.wait().for_element(Locator::Css("ol.timeline")).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("browser-contact-5151") && page.contains("detained"), "the member in full");
    assert!(page.contains("released on bail") && page.contains("(from a case)"), "the timeline names its case");
    browser.screenshot("alumni-member-360").await;
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn an_administrator_adds_a_member_and_searches_in_thai_on_a_phone() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let browser = Browser::start().await;
    browser.sign_in(&app, &admin).await;
    browser.client.goto(&format!("{}/staff/alumni", app.address)).await.unwrap();
    assert_eq!(browser.text("h1").await, "Alumni registry");
    browser.fill("textarea[name=names]", "อรุณี ศรีสุข\nArunee Srisuk").await;
    browser.fill("form[method=post] input[name=country]", "th").await;
    browser.fill("input[name=cohort_year]", "2014").await;
    browser.fill("input[name=contact]", "signal +66 admin-contact-6262").await;
    browser.click("form[action='/staff/alumni'][method=post] button.primary").await;
    browser.wait_for_url(|url| url.path().starts_with("/staff/alumni/")).await;
    assert!(browser.client.source().await.unwrap().contains("admin-contact-6262"));
    // Past the five minutes a sign-in counts as fresh, the export asks for a new code.
    app.clock.advance(chrono::Duration::minutes(6));
    browser.client.goto(&format!("{}/staff/alumni?name=ศรีสุข", app.address)).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("Arunee Srisuk"), "found by the Thai surname");
    assert!(page.contains("step-up-code"), "the export asks for a fresh code first");
    browser.screenshot("alumni-search-360").await;
    browser.client.close().await.unwrap();
}

/// The pages issue 22's guards, partner offers, grant naming and audit filters changed, as
/// each role sees them on a laptop: no serious or critical axe-core finding.
#[tokio::test]
async fn accounts_case_grant_and_audit_pages_pass_axe_on_a_laptop() {
    let app = TestApp::spawn().await;
    let w = crate::grants::world(&app, "high").await;
    for partner in [
        json!({"name": "Yangon Defence", "kind": "lawyer", "countries": ["MM"], "languages": ["my"]}),
        json!({"name": "Bangkok Rights Desk", "kind": "organisation", "countries": ["TH"]}),
    ] {
        assert_eq!(app.post_json("/api/v1/partners", Some(&w.admin.token), &partner).await.status(), 201);
    }
    let grant = crate::grants::propose(&app, &w, "1,500.00").await;
    let approved =
        crate::grants::act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "Fits the playbook"})).await;
    assert_eq!(approved.status(), 204);
    let case = format!("/staff/cases/{}", w.case_id);
    let grant_page = format!("/staff/grants/{grant}");
    let visits: [(&crate::staff::TestUser, &[(&str, &str)]); 4] = [
        (&w.admin.user, &[("users", "/staff/users"), ("funds", "/staff/funds")]),
        (&w.handler.user, &[("case", &case)]),
        (
            &w.supervisors[1].user,
            &[
                ("grant-supervisor", &grant_page),
                ("register", "/staff/grants"),
                ("audit", "/staff/audit?unreviewed=true"),
            ],
        ),
        (&w.finance[0].user, &[("grant-finance", &grant_page)]),
    ];
    for (user, pages) in visits {
        let browser = Browser::start_laptop_with_javascript().await;
        browser.sign_in(&app, user).await;
        for (name, path) in pages {
            browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
            let found = browser.axe().await;
            assert!(found.is_empty(), "{name}: {found:#?}");
            browser.screenshot(&format!("work-{name}-laptop")).await;
            if *name == "case" {
                // The referral form with the case's country first, and the conflict guard.
                let scroll = "document.querySelector('form[action$=\"/referrals\"]').scrollIntoView(); return true;";
                browser.client.execute(scroll, vec![]).await.unwrap();
                browser.screenshot("work-case-referral-laptop").await;
                let scroll = "document.querySelector('form[action$=\"/conflict\"]').scrollIntoView(); return true;";
                browser.client.execute(scroll, vec![]).await.unwrap();
                browser.screenshot("work-case-conflict-laptop").await;
            }
        }
        browser.client.close().await.unwrap();
    }
}
