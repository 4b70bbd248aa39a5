//! The partner directory: administrators add partners, handlers find them; contact details
//! are sealed and never listed.

use serde_json::{Value, json};
use shelter_shared::staff::Role;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use reqwest::StatusCode;

fn lawyer() -> Value {
    json!({"name": "Mekong Land Defence Lawyers", "kind": "organisation", "countries": ["kh", "TH"],
           "languages": ["km", "en"], "expertise": ["land_environment", "slapp"], "contact": "signal +855 00 unique-contact-5150"})
}

#[tokio::test]
async fn administrators_add_partners_and_handlers_find_them_without_contacts() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin_token = app.token(&admin).await;
    let created = app.post_json("/api/v1/partners", Some(&admin_token), &lawyer()).await;
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let second = json!({"name": "Yangon Criminal Defence", "kind": "lawyer", "countries": ["MM"], "expertise": ["criminal_defence"], "capacity": "full"});
    assert_eq!(app.post_json("/api/v1/partners", Some(&admin_token), &second).await.status(), 201);

    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    let all: Value =
        app.get_api("/api/v1/partners", &token).await.expect_json(StatusCode::OK, "read the partners").await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert!(!all.to_string().contains("unique-contact-5150"), "contacts are never listed");
    let in_cambodia: Value = app
        .get_api("/api/v1/partners?country=kh&expertise=slapp&language=km", &token)
        .await
        .expect_json(StatusCode::OK, "read the partners")
        .await;
    assert_eq!(in_cambodia.as_array().unwrap().len(), 1);
    assert_eq!(in_cambodia[0]["countries"], json!(["KH", "TH"]));
    let none: Value = app
        .get_api("/api/v1/partners?country=MM&expertise=slapp", &token)
        .await
        .expect_json(StatusCode::OK, "read the partners")
        .await;
    assert!(none.as_array().unwrap().is_empty());
    for bad in ["country=XX", "expertise=tax", "language=fr"] {
        assert_eq!(app.get_api(&format!("/api/v1/partners?{bad}"), &token).await.status(), 422, "{bad}");
    }

    // Capacity changes are audited; only administrators make them.
    let path = format!("/api/v1/partners/{id}/capacity");
    assert_eq!(app.post_json(&path, Some(&token), &json!({"capacity": "limited"})).await.status(), 403);
    assert_eq!(app.post_json(&path, Some(&admin_token), &json!({"capacity": "limited"})).await.status(), 204);
    let change: Value = sqlx::query_scalar("select details from audit_log where action = 'partner.capacity_changed'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(change, json!({"from": "available", "to": "limited"}));

    // Sealed at rest, opened for administrators.
    let stored: String = sqlx::query_scalar("select row_to_json(p)::text from partner p where name like 'Mekong%'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!stored.contains("unique-contact-5150"));
    let contact = app.partners.contact(id.parse().unwrap()).await.unwrap();
    assert_eq!(contact.as_deref(), Some("signal +855 00 unique-contact-5150"));
}

#[tokio::test]
async fn bad_partners_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let token = app.token(&admin).await;
    let mut attempts = vec![];
    for (key, value) in [
        ("name", json!("")),
        ("kind", json!("firm")),
        ("countries", json!([])),
        ("countries", json!(["XX"])),
        ("languages", json!(["fr"])),
        ("expertise", json!(["tax"])),
        ("capacity", json!("overbooked")),
    ] {
        let mut body = lawyer();
        body[key] = value;
        attempts.push(body);
    }
    for body in attempts {
        assert_eq!(app.post_json("/api/v1/partners", Some(&token), &body).await.status(), 422, "{body}");
    }
    for role in [Role::Handler, Role::Supervisor, Role::Finance, Role::Partner] {
        let user = app.staff(&[role]).await;
        let token = app.token(&user).await;
        assert_eq!(app.post_json("/api/v1/partners", Some(&token), &lawyer()).await.status(), 403, "{role}");
    }
    let stored: i64 = sqlx::query_scalar("select count(*) from partner").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn the_directory_page_is_for_administrators() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let browser = app.browser(&admin).await;
    let page = browser
        .get(format!("{}/staff/partners", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/partners")
        .await;
    let csrf = crate::staff::csrf_in(&page);
    let bad = browser
        .post(format!("{}/staff/partners", app.address))
        .form(&[("csrf", csrf.as_str()), ("name", "X"), ("kind", "lawyer"), ("countries", "Atlantis")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("ISO 3166"));
    let added = browser
        .post(format!("{}/staff/partners", app.address))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Vientiane Legal Aid"),
            ("kind", "organisation"),
            ("countries", "LA, TH"),
            ("languages", "lo"),
            ("expertise", "land_environment"),
            ("expertise", "slapp"),
            ("contact", "a safe line"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 303);
    let listed = browser
        .get(format!("{}/staff/partners", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/partners")
        .await;
    assert!(
        listed.contains("Vientiane Legal Aid") && listed.contains("Laos, Thailand") && !listed.contains("a safe line")
    );
    let handler = app.staff(&[Role::Handler]).await;
    let handler = app.browser(&handler).await;
    assert_eq!(handler.get(format!("{}/staff/partners", app.address)).send().await.unwrap().status(), 403);
}

/// A Cambodian case is offered the partner in Cambodia first, in the API and in the case
/// page's referral form; a Yangon office follows, marked as elsewhere.
#[tokio::test]
async fn a_case_is_offered_the_partners_of_its_country_first() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin_token = app.token(&admin).await;
    let partners = [
        json!({"name": "Aung Yangon Office", "kind": "organisation", "countries": ["MM"], "languages": ["my", "km"]}),
        json!({"name": "Bangkok Rights Desk", "kind": "organisation", "countries": ["TH"], "capacity": "full"}),
        json!({"name": "Phnom Penh Land Lawyers", "kind": "lawyer", "countries": ["KH"], "languages": ["km"], "capacity": "limited"}),
        json!({"name": "Siem Reap Counsel", "kind": "lawyer", "countries": ["KH"], "languages": ["en"]}),
    ];
    for partner in &partners {
        assert_eq!(app.post_json("/api/v1/partners", Some(&admin_token), partner).await.status(), 201);
    }
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "land case", "country": "KH", "language": "km"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(filed["reference"].as_str().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    let path = format!("/api/v1/cases/{case_id}/partners");
    assert_eq!(app.get_api(&path, &token).await.status(), 403, "a preview does not choose partners");
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let offers = app.get_api(&path, &token).await.expect_json(StatusCode::OK, "read the partner offers").await;
    let names: Vec<&str> = offers.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Phnom Penh Land Lawyers", "Siem Reap Counsel", "Aung Yangon Office", "Bangkok Rights Desk"],
        "Cambodia first (Khmer speakers before others), then the rest"
    );
    let in_country: Vec<bool> = offers.as_array().unwrap().iter().map(|o| o["in_country"].as_bool().unwrap()).collect();
    assert_eq!(in_country, [true, true, false, false]);
    assert_eq!(offers[0]["speaks_language"], true);
    assert_eq!(offers[1]["speaks_language"], false);

    let browser = app.browser(&handler).await;
    let page = browser
        .get(format!("{}/staff/cases/{case_id}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    let local = page.find("<optgroup label=\"In the case").expect("the local group");
    let elsewhere = page.find("Elsewhere: check they can act there").expect("the others, marked");
    let phnom_penh = page.find("Phnom Penh Land Lawyers").unwrap();
    let yangon = page.find("Aung Yangon Office").unwrap();
    assert!(local < phnom_penh && phnom_penh < elsewhere && elsewhere < yangon, "Cambodia first on the page");
}
