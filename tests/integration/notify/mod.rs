//! Notices over real channels: an SMTP server (aiosmtpd) and an HTTP receiver that checks
//! the webhook signature, both started by the tests; no sender is mocked.

mod content;
mod delivery;
mod escalation;
mod outbox;
mod preferences;
mod requester;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;

/// The webhook secret the tests configure.
pub const SECRET: &str = "a-test-secret-that-is-long-enough-0123456789";

/// A real SMTP server in a child process; each accepted message as JSON.
pub struct SmtpSink {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl SmtpSink {
    /// Starts the server, refusing the first `refuse` messages with 451.
    pub fn start(refuse: usize) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("integration/notify/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(refuse.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start python3 (the SMTP tests need python3 with aiosmtpd: pip install aiosmtpd)");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let Ok(value) = serde_json::from_str::<Value>(&line) else { continue };
                if value["ready"] == true {
                    let _ = ready_tx.send(());
                } else {
                    sink.lock().unwrap().push(value);
                }
            }
        });
        ready_rx
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("the SMTP server did not start (is aiosmtpd installed? pip install aiosmtpd)");
        SmtpSink { child, port, lines }
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far.
    pub fn mails(&self) -> Vec<Value> {
        self.lines.lock().unwrap().iter().filter(|v| v["refused"] != true).cloned().collect()
    }

    /// How many messages were refused.
    pub fn refused(&self) -> usize {
        self.lines.lock().unwrap().iter().filter(|v| v["refused"] == true).count()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Clone)]
struct ReceiverState {
    received: Arc<Mutex<Vec<Value>>>,
    fail_next: Arc<AtomicUsize>,
    stall_next: Arc<AtomicUsize>,
    bad_signatures: Arc<AtomicUsize>,
}

/// A real HTTP receiver that accepts only correctly signed notices.
pub struct Receiver {
    /// Its URL.
    pub url: String,
    state: ReceiverState,
}

async fn receive(State(state): State<ReceiverState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if state.stall_next.load(Ordering::SeqCst) > 0 {
        state.stall_next.fetch_sub(1, Ordering::SeqCst);
        // Longer than the sender's 10-second timeout.
        tokio::time::sleep(std::time::Duration::from_secs(12)).await;
    }
    if state.fail_next.load(Ordering::SeqCst) > 0 {
        state.fail_next.fetch_sub(1, Ordering::SeqCst);
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let timestamp = header("x-shelter-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&body);
    let given = header("x-shelter-signature");
    let given = hex::decode(given.trim_start_matches("sha256=")).unwrap_or_default();
    if timestamp.parse::<i64>().is_err() || mac.verify_slice(&given).is_err() {
        state.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED;
    }
    let mut value: Value = serde_json::from_slice(&body).unwrap();
    value["delivery_header"] = Value::String(header("x-shelter-delivery"));
    state.received.lock().unwrap().push(value);
    StatusCode::OK
}

impl Receiver {
    /// Starts the receiver on a free loopback port.
    pub async fn start() -> Receiver {
        let state = ReceiverState {
            received: Arc::default(),
            fail_next: Arc::default(),
            stall_next: Arc::default(),
            bad_signatures: Arc::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(state.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, state }
    }

    /// Correctly signed notices received.
    pub fn received(&self) -> Vec<Value> {
        self.state.received.lock().unwrap().clone()
    }

    /// Answers the next `n` posts with 503.
    pub fn fail_next(&self, n: usize) {
        self.state.fail_next.store(n, Ordering::SeqCst);
    }

    /// Answers the next `n` posts only after the sender gave up waiting.
    pub fn stall_next(&self, n: usize) {
        self.state.stall_next.store(n, Ordering::SeqCst);
    }

    /// Posts refused for a wrong signature.
    pub fn bad_signatures(&self) -> usize {
        self.state.bad_signatures.load(Ordering::SeqCst)
    }
}

/// An application whose notices go to `smtp` and, if given, `receiver`.
pub async fn app_with(smtp: &SmtpSink, receiver: Option<&Receiver>) -> (TestApp, tempfile::NamedTempFile) {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), SECRET).unwrap();
    let mut settings = test_settings();
    settings.public_url = Some("https://shelter.example.org".into());
    settings.notify.smtp_url = Some(smtp.url());
    settings.notify.mail_from = Some("Shelter <notices@shelter.example.org>".into());
    if let Some(receiver) = receiver {
        settings.notify.webhook_url = Some(receiver.url.clone());
        settings.notify.webhook_secret_file = Some(secret.path().to_path_buf());
        // The receiver listens on loopback, as a bridge on the same host would.
        settings.notify.webhook_allow_private = true;
    }
    settings.notify.give_up_hours = 1;
    (TestApp::spawn_with(settings).await, secret)
}

/// Puts `user_id` on call all day, every day, through the administrator's page.
pub async fn on_call_always(app: &TestApp, admin: &crate::staff::TestUser, email: &str) {
    let browser = app.browser(admin).await;
    let csrf = app.session_csrf(&browser).await;
    for day in 1..=7 {
        let response = browser
            .post(format!("{}/staff/notices/rota", app.address))
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("weekday", &day.to_string()),
                ("starts", "00:00"),
                ("ends", "24:00"),
                ("offset", "+00:00"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    }
}

/// Files a request over the public API; returns the case id and reference.
pub async fn file(app: &TestApp, body: Value) -> (uuid::Uuid, String) {
    let response: Value =
        app.post_json("/api/v1/intake", None, &body).await.expect_json(StatusCode::CREATED, "file a case").await;
    let reference = response["reference"].as_str().unwrap().to_owned();
    let id = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    (id, reference)
}

/// In-app notice kinds of `user_id`, oldest first.
pub async fn in_app_kinds(app: &TestApp, user_id: impl AsRef<str>) -> Vec<String> {
    sqlx::query_scalar(
        "select n.kind from notice_delivery d join notice n using (notice_id)
         where d.staff_user_id = $1::uuid and d.channel = 'in_app' order by d.created_at, n.kind",
    )
    .bind(user_id.as_ref())
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// In-app notice kinds of the account with `email` (accounts made through the API carry no id in tests).
pub async fn in_app_kinds_by_email(app: &TestApp, email: String) -> Vec<String> {
    let id: String = sqlx::query_scalar("select staff_user_id::text from staff_user where email = $1")
        .bind(&email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    in_app_kinds(app, id).await
}
