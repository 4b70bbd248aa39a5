//! What every response has in common: headers, errors, limits, pages.

use crate::helpers::{TestApp, assert_security_headers};
use crate::staff::Expect as _;
use reqwest::StatusCode;

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/healthz", "/readyz", "/no-such-page", "/api/v1/no-such-thing", "/assets/style.css"] {
        let response = app.get(path).await;
        assert_security_headers(response.headers());
    }
}

#[tokio::test]
async fn pages_are_not_cached_but_the_stylesheet_is() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let css = app.get("/assets/style.css").await;
    assert_eq!(css.status(), 200);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("max-age"));
}

#[tokio::test]
async fn hsts_is_sent_only_behind_https() {
    let app = TestApp::spawn().await;
    assert!(app.get("/").await.headers().get("strict-transport-security").is_none());
    let mut settings = crate::helpers::test_settings();
    settings.public_url = Some("https://shelter.example.org".into());
    let app = TestApp::spawn_with(settings).await;
    let hsts = app.get("/").await.headers()["strict-transport-security"].to_str().unwrap().to_owned();
    assert!(hsts.contains("max-age="), "{hsts}");
}

#[tokio::test]
async fn an_unknown_page_is_a_404_page_with_the_request_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body = response.text().await.unwrap();
    assert!(body.starts_with("<!DOCTYPE html>"));
    assert!(body.contains("Page not found"));
    assert!(body.contains(&request_id), "the page shows the request id");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/no-such-thing").await;
    assert_eq!(response.status(), 404);
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    assert_eq!(body["error"]["request_id"], request_id.as_str());
}

#[tokio::test]
async fn a_client_chosen_request_id_is_ignored() {
    let app = TestApp::spawn().await;
    let response =
        app.client.get(format!("{}/healthz", app.address)).header("x-request-id", "forged-id").send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_ne!(id, "forged-id");
    assert_eq!(id.len(), 32);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_with_413() {
    let app = TestApp::spawn().await;
    let big = vec![b'a'; 65 * 1024];
    let response = app.client.post(format!("{}/api/v1/intake", app.address)).body(big.clone()).send().await.unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");

    let response = app.client.post(format!("{}/request", app.address)).body(big).send().await.unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("What you sent is too large"), "in the requester's words");
}

#[tokio::test]
async fn a_wrong_method_is_405_in_the_error_format() {
    let app = TestApp::spawn().await;
    let response = app.client.delete(format!("{}/healthz", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn the_landing_page_says_how_to_ask_for_help_within_30_kb() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    let css = app.get("/assets/style.css").await.expect_text(StatusCode::OK, "open /assets/style.css").await;
    assert!(html.len() + css.len() < 30 * 1024, "page weight {} bytes", html.len() + css.len());
    assert!(html.contains("href=\"/?lang=my\""), "offers the page in Burmese");
    let burmese = app.get("/?lang=my").await.expect_text(StatusCode::OK, "open /?lang=my").await;
    assert!(
        burmese.contains("<html lang=\"my\"") && burmese.contains("href=\"/request?lang=my\""),
        "which leads to the Burmese form"
    );
    assert!(html.contains("/status") && html.contains("/staff"));
    assert!(!html.contains("<script"), "no script");
    assert!(!html.contains("http://") && !html.contains("https://"), "nothing from another host");
}

#[tokio::test]
async fn migrations_run_twice_without_harm() {
    let app = TestApp::spawn().await;
    shelter_server::db::migrate(&app.owner_options).await.expect("second run");
    shelter_server::db::migrate(&app.owner_options).await.expect("third run");
    let rows: i64 = sqlx::query_scalar("select count(*) from installation").fetch_one(&app.db).await.unwrap();
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn the_openapi_description_is_the_routers_own() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    // `error.code` is one of a documented, closed list: every code the server answers with.
    let codes = doc["components"]["schemas"]["ErrorCode"]["enum"].as_array().expect("the codes are listed");
    for code in shelter_shared::api::ErrorCode::ALL {
        assert!(codes.contains(&serde_json::Value::from(code.as_str())), "{code} is documented");
    }
    assert_eq!(codes.len(), shelter_shared::api::ErrorCode::ALL.len());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 60, "{} paths", paths.len());
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in paths {
        assert!(!path.contains("{action}"), "{path}: one operation per action");
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(operation_ids.insert(id.to_owned()), "operationId {id} is unique");
            for (status, answer) in operation["responses"].as_object().unwrap() {
                assert!(!answer["description"].as_str().unwrap().is_empty(), "{method} {path} {status}");
            }
            // Every documented operation is routed: without credentials or a body it is
            // refused by its own extractors, never by the fallback's 404 or a 405.
            let concrete =
                path.split('/').map(|s| if s.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { s });
            let url = format!("{}{}", app.address, concrete.collect::<Vec<_>>().join("/"));
            let request = match method.as_str() {
                "get" => app.client.get(&url),
                "post" => app.client.post(&url),
                "put" => app.client.put(&url),
                other => panic!("unexpected method {other}"),
            };
            let status = request.send().await.unwrap().status().as_u16();
            assert!(status != 404 && status != 405, "{method} {path}: {status}");
            if operation["security"].is_array() {
                assert_eq!(status, 401, "{method} {path} without a token");
            }
        }
    }
    // Enums are the values the API takes, and query parameters are in the query.
    let severity = &doc["components"]["schemas"]["Severity"];
    assert_eq!(severity["enum"], serde_json::json!(["critical", "high", "medium", "low"]), "{severity}");
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        for value in schema["enum"].as_array().into_iter().flatten() {
            let value = value.as_str().unwrap();
            assert_eq!(value, value.to_lowercase(), "{name}: {value}");
        }
    }
    for path in ["/api/v1/cases", "/api/v1/audit", "/api/v1/audit/export", "/api/v1/partners"] {
        for parameter in paths[path]["get"]["parameters"].as_array().unwrap() {
            assert_eq!(parameter["in"], "query", "{path} {}", parameter["name"]);
        }
    }
}
