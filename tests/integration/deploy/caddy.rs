//! Debian's `caddy` with the shipped Caddyfile in front of two `shelter` processes on one
//! database, over HTTPS from Caddy's internal CA on loopback.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::cli::{shelter, url_of};
use crate::helpers::fresh_database;

use super::{deploy_dir, found};
use crate::staff::Expect as _;

/// A free port on loopback.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `shelter serve` with `env`; the child, its public address and its metrics address.
async fn serve(env: &[(&str, String)]) -> (Child, String, String) {
    let mut command = shelter();
    command.arg("serve").env("SHELTER_BIND", "127.0.0.1:0").env("SHELTER_METRICS_BIND", "127.0.0.1:0");
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("address=").nth(1) {
                let metrics = line.split("metrics=").nth(1).unwrap().split_whitespace().next().unwrap();
                return (rest.split_whitespace().next().unwrap().to_owned(), metrics.to_owned());
            }
        }
        panic!("shelter exited before listening");
    })
    .await
    .expect("listening within 60 s");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, address.0, address.1)
}

/// Caddy with the shipped Caddyfile, its data under `home`.
struct Caddy {
    _child: Child,
    https: u16,
    onion: u16,
    root: Vec<u8>,
}

impl Caddy {
    async fn start(home: &Path, upstreams: &[String]) -> Caddy {
        let (https, http, onion) = (free_port(), free_port(), free_port());
        let child = Command::new("caddy")
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(deploy_dir().join("Caddyfile"))
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("SHELTER_SITE", "shelter.test")
            .env("SHELTER_TLS", "internal")
            .env("SHELTER_UPSTREAMS", upstreams.join(" "))
            .env("SHELTER_HTTPS_PORT", https.to_string())
            .env("SHELTER_HTTP_PORT", http.to_string())
            .env("SHELTER_ONION_PORT", onion.to_string())
            .env("SHELTER_CADDY_ADMIN", "off")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let root_path = home.join("data/caddy/pki/authorities/local/root.crt");
        let root = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                if let Ok(root) = std::fs::read(&root_path) {
                    return root;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("caddy makes its CA within 30 s");
        let caddy = Caddy { _child: child, https, onion, root };
        // Caddy listens before its certificate is issued and before its first health check:
        // ready means a request through it is answered.
        let client = caddy.client("127.0.0.1".parse().unwrap());
        tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                if let Ok(answer) = client.get(caddy.url("/readyz")).send().await
                    && answer.status() == StatusCode::OK
                {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
        .await
        .expect("caddy serves https within 60 s");
        caddy
    }

    /// A client that trusts Caddy's CA, finds shelter.test on loopback and sends from `from`.
    fn client(&self, from: IpAddr) -> reqwest::Client {
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&self.root).unwrap())
            .resolve("shelter.test", SocketAddr::from(([127, 0, 0, 1], self.https)))
            .local_address(from)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    fn url(&self, path: &str) -> String {
        format!("https://shelter.test:{}{path}", self.https)
    }
}

async fn post(client: &reqwest::Client, url: String, token: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = client.post(url).json(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn behind_the_shipped_caddyfile_two_instances_take_intake_sign_in_and_triage_over_https() {
    if !found("caddy") {
        panic!("caddy is not installed: scripts/test installs Debian's caddy (apt-get install caddy)");
    }
    let (options, name) = fresh_database().await;
    let data = tempfile::tempdir().unwrap();
    let key = data.path().join("master.key");
    let mut env = vec![
        ("DATABASE_URL", url_of(&options, &name)),
        ("SHELTER_DATA_DIR", data.path().display().to_string()),
        ("SHELTER_MASTER_KEY_FILE", key.display().to_string()),
        ("SHELTER_TRUST_PROXY_HEADERS", "true".to_owned()),
        ("SHELTER_SIGN_IN_PER_MINUTE", "5".to_owned()),
    ];
    // The first instance creates the key; the second starts once it exists.
    let (_one, one, one_metrics) = serve(&env).await;
    let (_two, two, two_metrics) = serve(&env).await;
    let home = tempfile::tempdir().unwrap();
    let caddy = Caddy::start(home.path(), &[one.clone(), two.clone()]).await;
    env.push(("SHELTER_PUBLIC_URL", format!("https://shelter.test:{}", caddy.https)));
    let client = caddy.client("127.0.0.1".parse().unwrap());

    let health = client.get(caddy.url("/readyz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let hsts = health.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(hsts.starts_with("max-age=63072000"), "HSTS from Caddy: {hsts:?}");
    assert!(health.headers().get("server").is_none(), "no Server header");

    // Intake, as a requester would.
    let filed =
        post(&client, caddy.url("/api/v1/intake"), None, &json!({"narrative": "they came at night", "country": "MM"}))
            .await;
    assert_eq!(filed.status(), StatusCode::CREATED);

    // A supervisor, created as the README says, enrols and signs in through the proxy.
    let added = shelter()
        .args(["user", "add", "--email", "sup@example.org", "--name", "Sup", "--role", "supervisor", "--json"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .await
        .unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let code = serde_json::from_slice::<Value>(&added.stdout).unwrap()["enrolment_code"].as_str().unwrap().to_owned();
    let password = crate::staff::PASSWORD;
    let enrol =
        post(&client, caddy.url("/api/v1/auth/enrol"), None, &json!({"code": code, "password": password})).await;
    assert_eq!(enrol.status(), StatusCode::OK);
    let secret = crate::staff::secret_of(enrol.json::<Value>().await.unwrap()["otpauth_uri"].as_str().unwrap());
    let now = chrono::Utc::now().timestamp() as u64;
    let totp = |at: u64| shelter_server::identity::totp::code_at(&secret, at).unwrap();
    let confirm =
        post(&client, caddy.url("/api/v1/auth/enrol/confirm"), None, &json!({"code": code, "totp": totp(now)})).await;
    assert_eq!(confirm.status(), StatusCode::OK);
    // The next step's code (one step of drift is allowed; a code is never taken twice).
    let body = json!({"email": "sup@example.org", "password": password, "totp": totp(now + 30)});
    let signed_in = post(&client, caddy.url("/api/v1/auth/token"), None, &body).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let token = signed_in.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();

    // Triage: the session holds on whichever instance each request lands (round robin; a
    // health check slow under load may briefly take one out, so ask until both have answered).
    let mut both_served = false;
    for _ in 0..30 {
        let me = client.get(caddy.url("/api/v1/auth/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        let mut served = 0;
        for metrics in [&one_metrics, &two_metrics] {
            let text = reqwest::get(format!("http://{metrics}/metrics")).await.unwrap().text().await.unwrap();
            served += usize::from(text.contains("route=\"/api/v1/auth/me\""));
        }
        if served == 2 {
            both_served = true;
            break;
        }
    }
    assert!(both_served, "caddy spreads the requests over both instances");
    for instance in [&one, &two] {
        let me = reqwest::Client::new()
            .get(format!("http://{instance}/api/v1/auth/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::OK, "the session is known to both instances");
    }
    let cases = client
        .get(caddy.url("/api/v1/cases"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .expect_json(StatusCode::OK, "read the queue through Caddy")
        .await;
    let case_id = cases["items"][0]["id"].as_str().expect("the filed case in the queue").to_owned();
    let triage =
        json!({"severity": "high", "kind": "arrest_detention", "rationale": "detained last night", "version": 1});
    let triaged = post(&client, caddy.url(&format!("/api/v1/cases/{case_id}/triage")), Some(&token), &triage).await;
    assert_eq!(triaged.status(), StatusCode::OK, "{}", triaged.text().await.unwrap());

    // The client's own address reaches the throttle: five attempts a minute from 127.0.0.2,
    // whatever it claims in X-Forwarded-For, while 127.0.0.3 is still let in.
    let greedy = caddy.client("127.0.0.2".parse().unwrap());
    // (Each attempt names another account, so that only the address limit can refuse it.)
    let attempt = |client: reqwest::Client, spoof: String| {
        let url = caddy.url("/api/v1/auth/token");
        let email = format!("{}@example.org", uuid::Uuid::new_v4().simple());
        async move {
            client
                .post(url)
                .header("x-forwarded-for", spoof)
                .json(&json!({"email": email, "password": "wrong", "totp": "000000"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // At once, so that the limit's refill (one attempt per 12 s) cannot let a sixth in
    // however slowly a loaded machine answers.
    let attempts = (0..6).map(|n| attempt(greedy.clone(), format!("198.51.100.{n}")));
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses, [[StatusCode::UNAUTHORIZED; 5].as_slice(), &[StatusCode::TOO_MANY_REQUESTS]].concat());
    let other = caddy.client("127.0.0.3".parse().unwrap());
    assert_eq!(attempt(other, "127.0.0.2".into()).await, StatusCode::UNAUTHORIZED, "another client is not held back");

    // The onion site: plain http on loopback for tor, any Host, the same limit by address.
    let onion = reqwest::Client::builder().local_address("127.0.0.2".parse::<IpAddr>().unwrap()).build().unwrap();
    let via_tor = |path: &str| {
        onion
            .get(format!("http://127.0.0.1:{}{path}", caddy.onion))
            .header("host", "shelterabcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopq.onion")
    };
    assert_eq!(via_tor("/readyz").send().await.unwrap().status(), StatusCode::OK);
    let landing = via_tor("/").send().await.unwrap();
    assert_eq!(landing.status(), StatusCode::OK);
    assert!(landing.headers().get("server").is_none());

    // A body over Shelter's largest (an attachment of 10 MiB plus the form) stops at Caddy.
    let huge = client
        .post(caddy.url("/api/v1/intake"))
        .header("content-type", "application/json")
        .body(vec![b' '; 11 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.text().await.unwrap(), "Request body too large", "Caddy's answer, not Shelter's");
}
