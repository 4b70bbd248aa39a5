//! Staff accounts in tests: enrolled for real (password, TOTP, recovery codes), signed
//! in over HTTP, in the browser or with a bearer token.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::identity::totp;
use shelter_shared::staff::{Email, Role};

use crate::helpers::TestApp;

/// A passphrase zxcvbn rates strong.
pub const PASSWORD: &str = "correct lantern orbit mango tidal";

/// An enrolled staff member.
#[derive(Clone)]
pub struct TestUser {
    /// Account id.
    pub id: String,
    /// Sign-in e-mail.
    pub email: String,
    /// Password.
    pub password: String,
    /// TOTP secret (raw bytes).
    pub secret: Vec<u8>,
    /// Unused recovery codes.
    pub recovery_codes: Vec<String>,
}

/// Reads the secret out of an otpauth URI.
pub fn secret_of(uri: &str) -> Vec<u8> {
    totp_rs::TOTP::from_url(uri).expect("otpauth URI").secret
}

/// Pulls `name="csrf" value="…"` out of a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no csrf field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A step's answer checked where the step happens: when a setup step breaks, the test fails
/// there, naming the step, the status and the server's body, not later with a misleading
/// message (or not at all).
pub trait Expect: Sized {
    /// Panics unless the answer has `status`; returns the response for further reading.
    async fn expect_status(self, status: StatusCode, step: &str) -> reqwest::Response;

    /// [`Expect::expect_status`], then the body as JSON.
    async fn expect_json(self, status: StatusCode, step: &str) -> Value {
        let response = self.expect_status(status, step).await;
        response.json().await.unwrap_or_else(|error| panic!("{step}: the answer is not JSON: {error}"))
    }

    /// [`Expect::expect_status`], then the body as text (a page).
    async fn expect_text(self, status: StatusCode, step: &str) -> String {
        let response = self.expect_status(status, step).await;
        response.text().await.unwrap_or_else(|error| panic!("{step}: no body: {error}"))
    }
}

impl Expect for reqwest::Response {
    async fn expect_status(self, status: StatusCode, step: &str) -> reqwest::Response {
        if self.status() != status {
            let got = self.status();
            let location = self.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_owned);
            let body = self.text().await.unwrap_or_default();
            panic!("{step}: expected {status}, got {got} (location {location:?}): {body}");
        }
        self
    }
}

impl TestApp {
    /// POSTs JSON to the API, with an optional bearer token.
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> reqwest::Response {
        let mut request = self.client.post(format!("{}{path}", self.address)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("POST")
    }

    /// GETs from the API with a bearer token.
    pub async fn get_api(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).bearer_auth(token).send().await.expect("GET")
    }

    /// The TOTP code for the next time step (the clock moves 30 s, so no code repeats).
    pub fn next_totp(&self, user: &TestUser) -> String {
        self.clock.advance(Duration::seconds(30));
        totp::code_at(&user.secret, self.clock.now_unix()).expect("code")
    }

    /// Creates an account with `roles` and enrols it over the API.
    pub async fn staff(&self, roles: &[Role]) -> TestUser {
        let email = format!("{}@example.org", uuid::Uuid::new_v4().simple());
        let account = self
            .identity
            .add_user(
                &shelter_server::identity::admin::Admin::Operator,
                &Email::parse(&email).unwrap(),
                "Test Person",
                roles,
            )
            .await
            .expect("add user");
        let mut user = self.enrol(&email, &account.enrolment_code).await;
        user.id = account.user_id.to_string();
        user
    }

    /// Enrols the account holding `code` over the API (password, TOTP, recovery codes).
    pub async fn enrol(&self, email: &str, code: &str) -> TestUser {
        let response = self.post_json("/api/v1/auth/enrol", None, &json!({"code": code, "password": PASSWORD})).await;
        assert_eq!(response.status(), StatusCode::OK, "enrol");
        let body: Value = response.json().await.unwrap();
        let secret = secret_of(body["otpauth_uri"].as_str().unwrap());
        let mut user = TestUser {
            id: String::new(),
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
            secret,
            recovery_codes: vec![],
        };
        let totp_code = self.next_totp(&user);
        let response =
            self.post_json("/api/v1/auth/enrol/confirm", None, &json!({"code": code, "totp": totp_code})).await;
        assert_eq!(response.status(), StatusCode::OK, "confirm enrolment");
        let body: Value = response.json().await.unwrap();
        user.recovery_codes =
            body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
        user
    }

    /// A requester's bearer token for the case filed as `reference` with `passphrase`.
    pub async fn requester_token(&self, reference: &Value, passphrase: &Value) -> String {
        let body = json!({"reference": reference, "passphrase": passphrase});
        let response = self.post_json("/api/v1/requester/token", None, &body).await;
        assert_eq!(response.status(), StatusCode::OK, "portal sign-in");
        response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// Signs in over the API and returns the bearer token.
    pub async fn token(&self, user: &TestUser) -> String {
        let code = self.next_totp(user);
        let response = self
            .post_json(
                "/api/v1/auth/token",
                None,
                &json!({"email": user.email, "password": user.password, "totp": code}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign in");
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    /// A new cookie-keeping client, signed in through the browser forms.
    pub async fn browser(&self, user: &TestUser) -> reqwest::Client {
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
        let page = client
            .get(format!("{}/staff", self.address))
            .send()
            .await
            .unwrap()
            .expect_text(StatusCode::OK, "open /staff")
            .await;
        let csrf = csrf_in(&page);
        let response = client
            .post(format!("{}/staff/sign-in", self.address))
            .form(&[("csrf", csrf.as_str()), ("email", &user.email), ("password", &user.password)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "password step");
        assert_eq!(response.headers()["location"], "/staff/sign-in/totp");
        let page = client
            .get(format!("{}/staff/sign-in/totp", self.address))
            .send()
            .await
            .unwrap()
            .expect_text(StatusCode::OK, "open /staff/sign-in/totp")
            .await;
        let csrf = csrf_in(&page);
        let code = self.next_totp(user);
        let response = client
            .post(format!("{}/staff/sign-in/totp", self.address))
            .form(&[("csrf", csrf.as_str()), ("code", &code)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "totp step");
        client
    }

    /// Posts the portal's sign-in form from `client`, first fetching the page (and with it
    /// the double-submit cookie and token) as a browser would.
    pub async fn portal_form(&self, client: &reqwest::Client, reference: &str, passphrase: &str) -> reqwest::Response {
        let page = client
            .get(format!("{}/status", self.address))
            .send()
            .await
            .unwrap()
            .expect_text(StatusCode::OK, "open /status")
            .await;
        let csrf = csrf_in(&page);
        client
            .post(format!("{}/status", self.address))
            .form(&[("csrf", csrf.as_str()), ("reference", reference), ("passphrase", passphrase)])
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token of a signed-in browser session (read from a page, as a browser would).
    pub async fn session_csrf(&self, client: &reqwest::Client) -> String {
        let page = client
            .get(format!("{}/staff/account", self.address))
            .send()
            .await
            .unwrap()
            .expect_text(StatusCode::OK, "open /staff/account")
            .await;
        csrf_in(&page)
    }
}
