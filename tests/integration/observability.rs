//! Observability of the real binary: JSON log lines with `SHELTER_LOG_FORMAT=json`, and the
//! network's figures on `/metrics` without personal data in any label.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::cli::{shelter, url_of};
use crate::helpers::fresh_database;

#[tokio::test]
async fn json_logs_and_metrics_of_cases_breaches_notices_and_the_audit_trail_carry_no_personal_data() {
    let (options, name) = fresh_database().await;
    let data = tempfile::tempdir().unwrap();
    let mut child = shelter()
        .arg("serve")
        .env("DATABASE_URL", url_of(&options, &name))
        .env("SHELTER_DATA_DIR", data.path())
        .env("SHELTER_BIND", "127.0.0.1:0")
        .env("SHELTER_METRICS_BIND", "127.0.0.1:0")
        .env("SHELTER_LOG_FORMAT", "json")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let (address, metrics) = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let event: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
            assert!(event["timestamp"].is_string() && event["level"].is_string(), "{event}");
            if event["message"] == "Shelter is listening" {
                return (event["address"].as_str().unwrap().to_owned(), event["metrics"].as_str().unwrap().to_owned());
            }
        }
        panic!("shelter exited before listening");
    })
    .await
    .expect("listening within 60 s");
    let logged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = logged.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            sink.lock().unwrap().push(line);
        }
    });

    let client = reqwest::Client::new();
    let narrative = "Ko Aung was taken from his house in Hpa-An";
    for urgency in ["immediate", "weeks"] {
        let body =
            json!({"narrative": narrative, "country": "MM", "urgency": urgency, "contact": "signal +95 9 555 0101"});
        let filed = client.post(format!("http://{address}/api/v1/intake")).json(&body).send().await.unwrap();
        assert_eq!(filed.status(), 201);
    }
    let bad = client.post(format!("http://{address}/api/v1/intake")).body("{").send().await.unwrap();
    assert!(bad.status().is_client_error());
    // A breach, as the SLA clock records it (its own test moves the clock; this one reads the figure).
    let mut owner = sqlx::ConnectOptions::connect(&options).await.unwrap();
    sqlx::query(
        "insert into sla_breach (case_id, clock, due_at, detected_at)
         select case_id, 'acknowledge', acknowledge_due_at, now() from cases limit 1",
    )
    .execute(&mut owner)
    .await
    .unwrap();

    let text = reqwest::get(format!("http://{metrics}/metrics")).await.unwrap().text().await.unwrap();
    let value = |series: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(series)).unwrap_or_else(|| panic!("no {series} in\n{text}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert_eq!(value("shelter_cases "), 2.0);
    assert_eq!(value("shelter_cases_by_state{state=\"new\",severity=\"untriaged\"}"), 2.0);
    assert_eq!(value("shelter_cases_by_state{state=\"closed\",severity=\"high\"}"), 0.0, "empty pairs are zero");
    assert_eq!(value("shelter_sla_breaches_total{clock=\"acknowledge\"}"), 1.0);
    assert_eq!(value("shelter_sla_breaches_open{clock=\"acknowledge\"}"), 1.0);
    assert_eq!(value("shelter_sla_breaches_total{clock=\"decide\"}"), 0.0);
    assert_eq!(value("shelter_notice_deliveries{channel=\"email\",status=\"failed\"}"), 0.0);
    assert!(value("shelter_audit_append_seconds_count") >= 2.0, "each intake appended to the audit trail");
    let references: Vec<String> =
        sqlx::query_scalar("select reference from cases").fetch_all(&mut owner).await.unwrap();
    for secret in ["Aung", "Hpa-An", "+95", "MM"].iter().map(|s| s.to_string()).chain(references) {
        assert!(!text.contains(&secret), "/metrics shows {secret:?}");
    }

    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id().unwrap() as i32), nix::sys::signal::Signal::SIGTERM)
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), child.wait()).await.unwrap().unwrap();
    let logged = logged.lock().unwrap().join("\n");
    for line in logged.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
    }
    for secret in ["Aung", "Hpa-An", "+95"] {
        assert!(!logged.contains(secret), "the log shows {secret:?}");
    }
}

#[tokio::test]
async fn an_unknown_log_format_is_refused_with_the_choices() {
    let output = shelter().args(["migrate", "--check"]).env("SHELTER_LOG_FORMAT", "xml").output().await.unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("SHELTER_LOG_FORMAT must be `text` or `json`"), "{error}");
}
