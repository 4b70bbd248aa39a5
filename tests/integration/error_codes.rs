//! Every refusal names its kind: two different mistakes on one endpoint answer two different
//! codes, each one the API description documents.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::clock::Clock;
use shelter_shared::staff::Role;

use crate::helpers::TestApp;

/// The codes the OpenAPI description lists for `error.code`.
async fn documented_codes(app: &TestApp) -> Vec<String> {
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode lists its values")
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

/// Posts `body` and returns the 422's code.
async fn refused(app: &TestApp, path: &str, token: &str, body: &Value) -> String {
    let response = app.post_json(path, Some(token), body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path} {body}");
    let body: Value = response.json().await.unwrap();
    assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "the sentence stays: {body}");
    body["error"]["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_kind_of_invalid_input_answers_its_own_documented_code() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let documented = documented_codes(&app).await;

    // A fund (case-work errors): a budget that is not an amount, a period that ends before it starts.
    let today = app.clock.now().date_naive();
    let fund = |budget: &str, end: chrono::NaiveDate| {
        json!({"name": "Urgent action fund", "currency": "USD", "budget": budget,
               "period_start": today.to_string(), "period_end": end.to_string()})
    };
    let later = today + chrono::Days::new(300);
    let amount = refused(&app, "/api/v1/funds", &admin, &fund("lots", later)).await;
    let period = refused(&app, "/api/v1/funds", &admin, &fund("1,000.00", today - chrono::Days::new(1))).await;
    assert_eq!((amount.as_str(), period.as_str()), ("invalid_amount", "invalid_period"));

    // An account (identity errors): no name, no role.
    let account = |name: &str, roles: Value| json!({"email": "new@example.org", "name": name, "roles": roles});
    let name = refused(&app, "/api/v1/admin/users", &admin, &account(" ", json!(["handler"]))).await;
    let roles = refused(&app, "/api/v1/admin/users", &admin, &account("New Person", json!([]))).await;
    assert_eq!((name.as_str(), roles.as_str()), ("invalid_name", "invalid_roles"));

    for code in [amount, period, name, roles] {
        assert!(documented.contains(&code), "{code} is documented");
    }
    assert!(!documented.contains(&"invalid".to_owned()), "no vague code is left");
}
