//! `/healthz`, `/readyz` and `/metrics`.

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_ok_when_the_database_is_reachable() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.db.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
}

#[tokio::test]
async fn metrics_count_requests_by_route_on_the_separate_listener() {
    let app = TestApp::spawn().await;
    app.get("/healthz").await.expect_status(StatusCode::OK, "health").await;
    let text = app
        .client
        .get(format!("{}/metrics", app.metrics_address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "read the metrics")
        .await;
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("route=\"/healthz\""), "{text}");
    assert!(text.contains("db_pool_connections"), "{text}");
    // And the public listener does not serve them.
    assert_eq!(app.get("/metrics").await.status(), 404);
}

#[tokio::test]
async fn a_public_metrics_address_is_refused_at_start() {
    let mut settings = crate::helpers::test_settings();
    settings.metrics_bind = "0.0.0.0:0".parse().unwrap();
    let (options, _db) = crate::helpers::fresh_database().await;
    let error = shelter_server::app::Application::build(&settings, options).await.err().expect("refused");
    assert!(error.to_string().contains("loopback"), "{error}");
}
