//! The alumni registry over HTTP and from the command line: sealed members found by any
//! spelling in any script, need-to-know by role and case, the import's report, the
//! audited export after step-up, and linking a case to a member.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;

use crate::cli::{shelter, url_of};
use crate::grants::{Member, member, step_up, world};
use crate::helpers::TestApp;
use crate::staff::Expect as _;

/// One member per script of the region, with the spellings a search must find them by.
fn members() -> Vec<(Value, Vec<&'static str>)> {
    vec![
        (
            json!({"external_id": "MK-1999-001", "names": ["Nguyễn Văn Đức", "Nguyen Van Duc"], "country": "VN", "cohort_year": 1999,
                   "organisation": "Green Delta Alliance", "contact": "signal +84 unique-contact-4242",
                   "status": {"status": "active", "date": "2026-01-10", "source": "cohort call", "note": "leads river monitoring"}}),
            vec!["nguyen duc", "ĐỨC", "Văn"],
        ),
        (
            json!({"external_id": "MK-2014-031", "names": ["อรุณี ศรีสุข", "Arunee Srisuk"], "country": "TH", "cohort_year": 2014}),
            vec!["ศรีสุข", "รุณี", "arunee"],
        ),
        (
            json!({"external_id": "MK-2016-007", "names": ["အောင်ကျော်မင်း"], "country": "MM", "cohort_year": 2016,
                   "status": {"status": "detained", "date": "2026-02-01"}}),
            vec!["ကျော်မင်း", "အောင်\u{200B}ကျော်"],
        ),
        (
            json!({"external_id": "MK-2010-012", "names": ["សុខ សុភា", "Sok Sophea"], "country": "KH", "cohort_year": 2010}),
            vec!["សុភា", "sophea"],
        ),
        (
            json!({"external_id": "MK-2012-044", "names": ["ສົມພອນ ແກ້ວມະນີ"], "country": "LA", "cohort_year": 2012}),
            vec!["ແກ້ວມະນີ", "ສົມພອນ"],
        ),
        (
            json!({"external_id": "MK-2008-002", "names": ["王小明", "Wang Xiaoming"], "country": "CN", "cohort_year": 2008}),
            vec!["小明", "王", "wang xiaoming"],
        ),
    ]
}

async fn add_all(app: &TestApp, admin: &Member) -> Vec<String> {
    let mut ids = vec![];
    for (body, _) in members() {
        let response = app.post_json("/api/v1/alumni", Some(&admin.token), &body).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{body}");
        ids.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    ids
}

async fn search(app: &TestApp, who: &Member, query: &str) -> reqwest::Response {
    let url = reqwest::Url::parse_with_params(&format!("{}/api/v1/alumni", app.address), [("name", query)]).unwrap();
    app.client.get(url).bearer_auth(&who.token).send().await.unwrap()
}

#[tokio::test]
async fn every_spelling_in_every_script_finds_its_member_and_nothing_else() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    let handler = member(&app, Role::Handler).await;
    let ids = add_all(&app, &admin).await;
    for ((_, queries), id) in members().iter().zip(&ids) {
        for query in queries {
            let found = search(&app, &handler, query).await.expect_json(StatusCode::OK, "search the alumni").await;
            let found: Vec<&str> = found.as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
            assert_eq!(found, [id.as_str()], "{query}");
        }
    }
    for absent in ["Nguyen An", "ใจดี", "李"] {
        let found = search(&app, &handler, absent).await.expect_json(StatusCode::OK, "search the alumni").await;
        assert_eq!(found, json!([]), "{absent}");
    }
    // A handler finds people by name; listing by country and cohort is for supervisors (else a
    // handler could rebuild the registry's names page by page, which only an export gives).
    let listing = "/api/v1/alumni?country=th&cohort=2014";
    assert_eq!(app.get_api(listing, &handler.token).await.status(), 422);
    let supervisor = member(&app, Role::Supervisor).await;
    let filtered = app.get_api(listing, &supervisor.token).await.expect_json(StatusCode::OK, "search the alumni").await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    for bad in ["country=XX", "cohort=fourteen", "name=%20-%20"] {
        assert_eq!(app.get_api(&format!("/api/v1/alumni?{bad}"), &handler.token).await.status(), 422, "{bad}");
    }
}

#[tokio::test]
async fn pg_dump_shows_no_member_name_contact_or_note_in_plain() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    add_all(&app, &admin).await;
    let options = &app.owner_options;
    let dump = std::process::Command::new("pg_dump")
        .args(["--no-owner", "--host", options.get_host(), "--port", &options.get_port().to_string()])
        .args(["--username", options.get_username(), options.get_database().unwrap()])
        .output()
        .expect("run pg_dump");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    let text = String::from_utf8_lossy(&dump.stdout);
    assert!(text.contains("MK-2014-031"), "the dump holds the registry");
    for secret in [
        "Nguyễn",
        "Nguyen",
        "Duc",
        "อรุณี",
        "Arunee",
        "ကျော်",
        "សុភា",
        "Sophea",
        "ສົມພອນ",
        "王小明",
        "Xiaoming",
        "Green Delta",
        "unique-contact-4242",
        "river monitoring",
        "cohort call",
    ] {
        assert!(!text.contains(secret), "{secret} is in the dump");
    }
}

#[tokio::test]
async fn finance_and_partners_see_nothing_and_handlers_only_the_minimal_fields() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    let ids = add_all(&app, &admin).await;
    let id = &ids[0];
    let supervisor = member(&app, Role::Supervisor).await;
    let handler = member(&app, Role::Handler).await;
    for role in [Role::Finance, Role::Partner] {
        let outsider = member(&app, role).await;
        step_up(&app, &outsider).await;
        assert_eq!(search(&app, &outsider, "nguyen").await.status(), 403, "{role}");
        for path in
            [format!("/api/v1/alumni/{id}"), "/api/v1/alumni/export.csv".into(), "/api/v1/alumni?country=VN".into()]
        {
            let response = app.get_api(&path, &outsider.token).await;
            assert_eq!(response.status(), 403, "{role} {path}");
            assert!(!response.text().await.unwrap().contains("Nguy"), "{role} {path}");
        }
        let (body, _) = &members()[0];
        assert_eq!(app.post_json("/api/v1/alumni", Some(&outsider.token), body).await.status(), 403, "{role}");
    }
    // A handler: names, country, cohort; no organisation, contact or timeline.
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{id}"), &handler.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(seen["country"], "VN");
    assert_eq!(seen["details"], Value::Null);
    assert!(!seen.to_string().contains("unique-contact-4242"));
    // Supervisors read everything, and that read is audited.
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{id}"), &supervisor.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(seen["details"]["profile"]["contact"], "signal +84 unique-contact-4242");
    assert_eq!(seen["details"]["timeline"][0]["note"], "leads river monitoring");
    let reads: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'alumni.member_read'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(reads, 1);
    // Supervisors read but do not manage; nobody but administrators adds or records status.
    let status = json!({"status": "at_risk", "date": "2026-03-01"});
    for who in [&supervisor, &handler] {
        assert_eq!(
            app.post_json(&format!("/api/v1/alumni/{id}/status"), Some(&who.token), &status).await.status(),
            403
        );
    }
    assert_eq!(app.post_json(&format!("/api/v1/alumni/{id}/status"), Some(&admin.token), &status).await.status(), 204);
}

#[tokio::test]
async fn bad_members_are_refused_field_by_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    let bad = json!({"names": [""], "country": "XX", "cohort_year": 1850, "status": {"status": "missing", "date": "2026-02-30"}});
    let response = app.post_json("/api/v1/alumni", Some(&admin.token), &bad).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    for field in ["names", "country", "cohort_year", "status", "status_date"] {
        assert!(body.to_string().contains(field), "{field} named in {body}");
    }
    let (good, _) = &members()[1];
    assert_eq!(app.post_json("/api/v1/alumni", Some(&admin.token), good).await.status(), 201);
    assert_eq!(
        app.post_json("/api/v1/alumni", Some(&admin.token), good).await.status(),
        409,
        "the external id is taken"
    );
    assert_eq!(app.post_json("/api/v1/alumni", Some(&admin.token), &json!({"names": 3})).await.status(), 422);
    let count: i64 = sqlx::query_scalar("select count(*) from alumni_member").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn the_export_needs_an_administrator_after_step_up_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    add_all(&app, &admin).await;
    let supervisor = member(&app, Role::Supervisor).await;
    step_up(&app, &supervisor).await;
    assert_eq!(app.get_api("/api/v1/alumni/export.csv", &supervisor.token).await.status(), 403);
    // Signing in counts as a fresh second factor for five minutes; after that, a new one is needed.
    app.clock.advance(chrono::Duration::minutes(6));
    let refused = app.get_api("/api/v1/alumni/export.csv", &admin.token).await;
    assert_eq!(refused.status(), 403, "no step-up yet");
    assert!(refused.text().await.unwrap().contains("step-up"));
    step_up(&app, &admin).await;
    let response = app.get_api("/api/v1/alumni/export.csv", &admin.token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("external_id,names,country,cohort_year,"), "{csv}");
    assert!(csv.contains("Nguyễn Văn Đức|Nguyen Van Duc") && csv.contains("detained,2026-02-01"), "{csv}");
    let exported: Value = sqlx::query_scalar("select details from audit_log where action = 'alumni.exported'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(exported, json!({"members": 6}));
    // The step-up lapses after five minutes.
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(app.get_api("/api/v1/alumni/export.csv", &admin.token).await.status(), 403);
}

#[tokio::test]
async fn a_supervisor_links_a_case_its_handler_then_sees_the_member_and_records_a_status_from_it() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let ids = add_all(&app, &w.admin).await;
    let member_id = &ids[2];
    let link = format!("/api/v1/cases/{}/alumni", w.case_id);
    let body = json!({"member_id": member_id, "rationale": "the requester named their cohort and town"});

    // Linking opens the member's whole record to the case's handler, so a handler may not
    // link — not even their own case (else filing a request of their own and linking it would
    // open any member) — nor another handler or a stolen finance session. A supervisor links.
    let other = member(&app, Role::Handler).await;
    assert_eq!(app.post_json(&link, Some(&w.handler.token), &body).await.status(), 403);
    assert_eq!(app.post_json(&link, Some(&other.token), &body).await.status(), 403);
    assert_eq!(app.post_json(&link, Some(&w.finance[0].token), &body).await.status(), 403);
    let supervisor = &w.supervisors[0].token;
    let blank = json!({"member_id": member_id, "rationale": "  "});
    assert_eq!(app.post_json(&link, Some(supervisor), &blank).await.status(), 422);
    let unknown = json!({"member_id": uuid::Uuid::new_v4(), "rationale": "x"});
    assert_eq!(app.post_json(&link, Some(supervisor), &unknown).await.status(), 422);
    let before: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &w.handler.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(before["details"], Value::Null, "minimal until a case is linked");

    assert_eq!(app.post_json(&link, Some(supervisor), &body).await.status(), 204);
    assert_eq!(app.post_json(&link, Some(supervisor), &body).await.status(), 409, "one member per case");
    let shown = app.get_api(&link, &w.handler.token).await.expect_json(StatusCode::OK, "read the case's member").await;
    assert_eq!(shown["cohort_year"], 2016);
    assert_eq!(shown["country"], "MM");
    assert_eq!(shown["status"], "detained");

    // Released on bail: the case adds to the member's timeline.
    let bail = json!({"status": "active", "date": "2026-03-05", "source": "lawyer", "note": "released on bail"});
    assert_eq!(app.post_json(&format!("{link}/status"), Some(&w.handler.token), &bail).await.status(), 204);
    let shown = app.get_api(&link, &w.handler.token).await.expect_json(StatusCode::OK, "read the case's member").await;
    assert_eq!(shown["status"], "active");

    // The handler now reads the member in full, with the case; the other handler does not.
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &w.handler.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(seen["details"]["timeline"][0]["note"], "released on bail");
    assert_eq!(seen["details"]["cases"][0]["case_id"], w.case_id.to_string());
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &other.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(seen["details"], Value::Null);
    // Administrators manage the registry but see no cases.
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &w.admin.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(seen["details"]["cases"], json!([]));
    // The link is a decision: its rationale is in the trail, sealed.
    let sealed: Option<Vec<u8>> =
        sqlx::query_scalar("select rationale_sealed from audit_log where action = 'alumni.linked'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(sealed.is_some_and(|s| !String::from_utf8_lossy(&s).contains("cohort and town")));
}

const IMPORT: &str = "external_id,names,country,cohort_year,organisation,focus,languages,contact,status,status_date,status_source,status_note
A-1,Sok Phea|សុខ ភា,KH,2014,Mekong Watch,land,km|en,signal 1,active,2026-01-01,call,fine
A-2,\"Lin, Mei|林美\",CN,2009,,,zh,,,,,
A-3,,TH,2015,,,,,,,,
A-4,Somchai,XX,2015,,,,,,,,
A-1,Duplicate Row,KH,2014,,,,,,,,
A-5,Thida,MM,nineteen,,,,,,,,
A-6,Thida,MM,1850,,,,,,,,
A-7,Kham,LA,2011,,,,,retired,2026-01-01,,
A-8,Ba,VN,2012,,,,,,
";

/// Runs `shelter alumni import` against the app's database and key file.
async fn import(app: &TestApp, file: &std::path::Path, dry_run: bool) -> (bool, String) {
    let file = file.to_str().unwrap();
    alumni_command(app, &if dry_run { vec!["import", file, "--dry-run"] } else { vec!["import", file] }).await
}

/// Runs `shelter alumni ARGS…` against the app's database and key file: (success, stdout).
async fn alumni_command(app: &TestApp, args: &[&str]) -> (bool, String) {
    let database = app.owner_options.get_database().unwrap();
    let mut command = shelter();
    command
        .arg("alumni")
        .args(args)
        .env("DATABASE_URL", url_of(&app.owner_options, database))
        .env("SHELTER_DATA_DIR", app._data_dir.path());
    let output = command.output().await.unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The entries of `action` by subject: (actor, subject), each checked to name the
/// operating-system account running the tests as a `system` actor.
async fn audit_entries(app: &TestApp, action: &str) -> Vec<(String, String)> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "select actor_kind, actor_id, subject_id from audit_log where action = $1 order by subject_id, seq",
    )
    .bind(action)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let me = nix::unistd::User::from_uid(nix::unistd::getuid()).unwrap().unwrap().name;
    rows.into_iter()
        .map(|(kind, actor, subject)| {
            let actor = actor.unwrap_or_default();
            assert_eq!(kind, "system");
            assert!(actor.starts_with(&format!("os:{me}")), "{action} by {actor:?}, not by {me}");
            (actor, subject.unwrap_or_default())
        })
        .collect()
}

async fn count(app: &TestApp) -> (i64, i64) {
    sqlx::query_as("select (select count(*) from alumni_member), (select count(*) from alumni_status)")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_import_names_every_bad_row_a_dry_run_changes_nothing_and_a_second_run_is_idempotent() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("alumni.csv");
    let mut bytes = IMPORT.as_bytes().to_vec();
    // A Latin-1 row (wrong encoding) and a quote left open at the end.
    bytes.extend_from_slice(b"A-9,Jos\xe9,TH,2013,,,,,,,,\n");
    bytes.extend_from_slice(b"A-10,\"Unclosed,TH,2013,,,,,,,,\n");
    std::fs::write(&file, &bytes).unwrap();

    let (ok, report) = import(&app, &file, true).await;
    assert!(!ok, "refused rows make the exit status fail");
    assert_eq!(count(&app).await, (0, 0), "a dry run stores nothing: {report}");
    assert!(report.contains("(dry run: nothing was changed)"), "{report}");
    for expected in [
        "line 4, field names: at least one name is needed",
        "line 5, field country: \"XX\" is not an ISO 3166-1 country code",
        "line 6, field external_id: \"A-1\" is already on line 2",
        "line 7, field cohort_year: \"nineteen\" is not a year",
        "line 8, field cohort_year: 1850 is not a cohort year",
        "line 9, field status: \"retired\" is not one of",
        "line 10, field row: 10 fields where the header has 12",
        "line 11, field names: not UTF-8 text",
        "line 12, field row:",
        "created 2, updated 0, unchanged 0, rejected 9",
    ] {
        assert!(report.contains(expected), "{expected:?} missing from:\n{report}");
    }
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'alumni.imported'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(audited, 0, "a dry run leaves no trace either");

    let (_, report) = import(&app, &file, false).await;
    assert!(report.contains("created 2, updated 0, unchanged 0, rejected 9"), "{report}");
    assert_eq!(count(&app).await, (2, 1));
    // Each member created is audited, naming the operating-system account that ran the import.
    let members: Vec<String> = sqlx::query_scalar("select member_id::text from alumni_member order by member_id::text")
        .fetch_all(&app.db)
        .await
        .unwrap();
    let added = audit_entries(&app, "alumni.member_added").await;
    assert_eq!(added.iter().map(|(_, subject)| subject.clone()).collect::<Vec<_>>(), members);
    assert_eq!(audit_entries(&app, "alumni.imported").await.len(), 1, "and the counts, once");
    let (_, report) = import(&app, &file, false).await;
    assert!(report.contains("created 0, updated 0, unchanged 2, rejected 9"), "{report}");
    assert_eq!(count(&app).await, (2, 1), "re-importing changes nothing");

    // A changed row updates its member and adds the new status once.
    let changed = IMPORT.replace("active,2026-01-01,call,fine", "at_risk,2026-04-01,call,threatened");
    std::fs::write(&file, changed).unwrap();
    let (_, report) = import(&app, &file, false).await;
    assert!(report.contains("created 0, updated 1, unchanged 1"), "{report}");
    assert_eq!(count(&app).await, (2, 2));
    let changed: String = sqlx::query_scalar("select member_id::text from alumni_member where external_id = 'A-1'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let updated = audit_entries(&app, "alumni.member_updated").await;
    assert_eq!(updated.iter().map(|(_, subject)| subject.clone()).collect::<Vec<_>>(), [changed]);
    assert_eq!(audit_entries(&app, "alumni.member_added").await.len(), 2, "unchanged rows leave no entry");
    let admin = member(&app, Role::Admin).await;
    let found = search(&app, &admin, "ភា").await.expect_json(StatusCode::OK, "search the alumni").await;
    assert_eq!(found[0]["names"], json!(["Sok Phea", "សុខ ភា"]));
    let found = search(&app, &admin, "lin mei").await.expect_json(StatusCode::OK, "search the alumni").await;
    assert_eq!(found.as_array().unwrap().len(), 1, "a quoted field with a comma");
}

/// Files a request, has `handler` claim and triage it; its id.
async fn handled_case(app: &TestApp, handler: &Member) -> uuid::Uuid {
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "Summoned by the police", "country": "MM"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(filed["reference"].as_str().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = |action: &str| format!("/api/v1/cases/{case_id}/{action}");
    assert_eq!(app.post_json(&path("claim"), Some(&handler.token), &json!({})).await.status(), 200);
    let triage = json!({"severity": "high", "kind": "arrest_detention", "rationale": "summons"});
    assert_eq!(app.post_json(&path("triage"), Some(&handler.token), &triage).await.status(), 200);
    case_id
}

/// The member's timeline as `who` reads it: (status, note, source, case) of each entry.
async fn timeline_as(app: &TestApp, who: &Member, member_id: &str) -> Vec<(String, String, String, Value)> {
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &who.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    seen["details"]["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("no timeline in {seen}"))
        .iter()
        .map(|e| {
            let text = |f: &str| e[f].as_str().unwrap().to_owned();
            (text("status"), text("note"), text("source"), e["case_id"].clone())
        })
        .collect()
}

#[tokio::test]
async fn what_a_case_said_on_a_member_s_timeline_shows_only_to_those_who_see_that_case() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let ids = add_all(&app, &w.admin).await;
    let member_id = &ids[2];
    let other = member(&app, Role::Handler).await;
    let case_b = handled_case(&app, &other).await;
    let [linker, conflicted, supervisor] = [&w.supervisors[0], &w.supervisors[1], &w.supervisors[2]];
    for case in [w.case_id, case_b] {
        let body = json!({"member_id": member_id, "rationale": "the requester named their cohort"});
        let linked = app.post_json(&format!("/api/v1/cases/{case}/alumni"), Some(&linker.token), &body).await;
        assert_eq!(linked.status(), 204);
    }
    let from_a =
        json!({"status": "active", "date": "2026-03-05", "source": "lawyer-of-case-a", "note": "bail-in-case-a"});
    let path = format!("/api/v1/cases/{}/alumni/status", w.case_id);
    assert_eq!(app.post_json(&path, Some(&w.handler.token), &from_a).await.status(), 204);
    let from_b =
        json!({"status": "at_risk", "date": "2026-04-01", "source": "family-in-case-b", "note": "threats-in-case-b"});
    let path = format!("/api/v1/cases/{case_b}/alumni/status");
    assert_eq!(app.post_json(&path, Some(&other.token), &from_b).await.status(), 204);
    let conflict = format!("/api/v1/cases/{case_b}/conflict");
    assert_eq!(app.post_json(&conflict, Some(&conflicted.token), &json!({})).await.status(), 204);

    let a = (w.case_id.to_string(), "bail-in-case-a", "lawyer-of-case-a");
    let b = (case_b.to_string(), "threats-in-case-b", "family-in-case-b");
    let full = |(case, note, source): &(String, &str, &str), status: &str| {
        (status.to_owned(), note.to_string(), source.to_string(), json!(case))
    };
    let bare = |status: &str| (status.to_owned(), String::new(), String::new(), Value::Null);
    // Newest first: case B's entry, case A's, then the one the member was added with.
    let first = ("detained".to_owned(), String::new(), String::new(), Value::Null);
    // Each handler reads what their own case said, and of the other case only the status and
    // its date: no note, no source, not even which case.
    assert_eq!(timeline_as(&app, &w.handler, member_id).await, [bare("at_risk"), full(&a, "active"), first.clone()]);
    assert_eq!(timeline_as(&app, &other, member_id).await, [full(&b, "at_risk"), bare("active"), first.clone()]);
    // A supervisor sees every case but one they are conflicted on; another supervisor both.
    assert_eq!(timeline_as(&app, conflicted, member_id).await, [bare("at_risk"), full(&a, "active"), first.clone()]);
    assert_eq!(
        timeline_as(&app, supervisor, member_id).await,
        [full(&b, "at_risk"), full(&a, "active"), first.clone()]
    );
    // Administrators manage the registry and see no case at all.
    assert_eq!(timeline_as(&app, &w.admin, member_id).await, [bare("at_risk"), bare("active"), first.clone()]);

    // The page says the same: no note of case B, no link to it.
    let browser = app.browser(&w.handler.user).await;
    let page = browser
        .get(format!("{}/staff/alumni/{member_id}", app.address))
        .send()
        .await
        .unwrap()
        .expect_status(StatusCode::OK, "open /staff/alumni/{member_id}")
        .await;
    let page = page.text().await.unwrap();
    assert!(page.contains("bail-in-case-a") && page.contains("at risk"), "{page}");
    assert!(!page.contains("threats-in-case-b") && !page.contains("family-in-case-b") && !page.contains(&b.0));
    // And so does the administrator's export (its status columns are the newest entry, case B's).
    step_up(&app, &w.admin).await;
    let csv = app
        .get_api("/api/v1/alumni/export.csv", &w.admin.token)
        .await
        .expect_text(StatusCode::OK, "export the alumni")
        .await;
    let line = csv.lines().find(|l| l.contains("at_risk,2026-04-01")).unwrap_or_else(|| panic!("{csv}"));
    assert!(line.ends_with("at_risk,2026-04-01,,") && !csv.contains("threats-in-case-b"), "{csv}");
}

async fn case_state(app: &TestApp, case_id: uuid::Uuid) -> (String, i64) {
    sqlx::query_as("select status, (select count(*) from alumni_status) from cases where case_id = $1")
        .bind(case_id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn closing_a_linked_case_can_add_the_member_s_status_in_the_same_transaction() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let ids = add_all(&app, &w.admin).await;
    let member_id = &ids[2];
    let close = format!("/api/v1/cases/{}/close", w.case_id);
    let closing =
        |member_status: Value| json!({"outcome": "resolved", "rationale": "released", "member_status": member_status});
    let bail = json!({"status": "active", "source": "lawyer", "note": "released on bail at closing"});

    // No member linked: the field is refused in words, and the case stays open.
    let refused = app.post_json(&close, Some(&w.handler.token), &closing(bail.clone())).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("not linked to a registry member"));
    assert_eq!(case_state(&app, w.case_id).await, ("active".into(), 2));
    let link = json!({"member_id": member_id, "rationale": "the requester named their cohort"});
    let path = format!("/api/v1/cases/{}/alumni", w.case_id);
    assert_eq!(app.post_json(&path, Some(&w.supervisors[0].token), &link).await.status(), 204);
    // A bad entry changes nothing either: not the case, not the timeline.
    for bad in
        [json!({"status": "freed"}), json!({"status": "active", "date": "2026-13-01"}), json!({"state": "active"})]
    {
        let refused = app.post_json(&close, Some(&w.handler.token), &closing(bad.clone())).await;
        assert_eq!(refused.status(), 422, "{bad}");
        assert_eq!(case_state(&app, w.case_id).await, ("active".into(), 2), "{bad}");
    }
    // Those who may not close the case may not add to the timeline through it either.
    let other = member(&app, Role::Handler).await;
    assert_eq!(app.post_json(&close, Some(&other.token), &closing(bail.clone())).await.status(), 403);
    let conflicted = &w.supervisors[1];
    let conflict = format!("/api/v1/cases/{}/conflict", w.case_id);
    assert_eq!(app.post_json(&conflict, Some(&conflicted.token), &json!({})).await.status(), 204);
    assert_eq!(app.post_json(&close, Some(&conflicted.token), &closing(bail.clone())).await.status(), 404);
    assert_eq!(case_state(&app, w.case_id).await, ("active".into(), 2));

    // The handler closes and records it at once, dated the day it closes.
    let closed = app.post_json(&close, Some(&w.handler.token), &closing(bail)).await;
    assert_eq!(closed.status(), 200);
    assert_eq!(case_state(&app, w.case_id).await, ("closed".into(), 3));
    let shown: Value = app
        .get_api(&format!("/api/v1/cases/{}/alumni", w.case_id), &w.handler.token)
        .await
        .expect_json(StatusCode::OK, "read the case's member")
        .await;
    assert_eq!(shown["status"], "active");
    let today = shelter_server::clock::Clock::now(&app.clock).date_naive().to_string();
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &w.handler.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    let newest = &seen["details"]["timeline"][0];
    assert_eq!(
        (&newest["status"], &newest["date"], &newest["note"], &newest["case_id"]),
        (&json!("active"), &json!(today), &json!("released on bail at closing"), &json!(w.case_id.to_string()))
    );
    let trail: Vec<(String, Value)> = sqlx::query_as(
        "select action, details from audit_log where action in ('alumni.status_recorded', 'case.closed') order by seq",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(trail.len(), 2, "{trail:?}");
    assert_eq!(trail[0].1["case"], w.case_id.to_string());
    assert_eq!(trail[1].0, "case.closed");

    // The API describes the field.
    let doc: Value =
        app.get("/api/v1/openapi.json").await.expect_json(StatusCode::OK, "read the OpenAPI document").await;
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["CloseRequest"]["properties"]["member_status"].is_object(), "{}", schemas["CloseRequest"]);
    assert!(schemas["ClosingStatusRequest"]["properties"]["date"].is_object());

    // The page: the close form offers the entry only when a member is linked.
    let case_b = handled_case(&app, &other).await;
    let browser = app.browser(&other.user).await;
    let page_of = |case: uuid::Uuid| {
        let browser = browser.clone();
        let url = format!("{}/staff/cases/{case}", app.address);
        async move { browser.get(url).send().await.unwrap().expect_text(StatusCode::OK, "open the page").await }
    };
    let page = page_of(case_b).await;
    assert!(page.contains("action=\"/staff/cases/") && !page.contains("name=\"member_status\""), "{page}");
    let csrf = crate::staff::csrf_in(&page);
    let form = |status: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("outcome", "resolved".to_owned()),
            ("rationale", "back home".to_owned()),
            ("member_status", status.to_owned()),
            ("member_status_date", "2026-05-02".to_owned()),
            ("member_status_note", "home again".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        browser.post(format!("{}/staff/cases/{case_b}/close", app.address)).form(&fields).send()
    };
    let refused = post(form("active")).await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("not linked to a registry member"));
    let link = json!({"member_id": member_id, "rationale": "the same person"});
    let path = format!("/api/v1/cases/{case_b}/alumni");
    assert_eq!(app.post_json(&path, Some(&w.supervisors[0].token), &link).await.status(), 204);
    assert!(page_of(case_b).await.contains("name=\"member_status\""));
    assert_eq!(post(form("in_exile")).await.unwrap().status(), 303);
    assert_eq!(case_state(&app, case_b).await, ("closed".into(), 4));
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &other.token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    let timeline = seen["details"]["timeline"].as_array().unwrap();
    let entry = timeline.iter().find(|e| e["note"] == "home again").unwrap_or_else(|| panic!("{seen}"));
    assert_eq!((&entry["status"], &entry["date"]), (&json!("in_exile"), &json!("2026-05-02")));
}

/// Searches as `who`; the ids found.
async fn found(app: &TestApp, who: &Member, query: &str) -> Vec<String> {
    let found = search(app, who, query).await.expect_json(StatusCode::OK, "search the alumni").await;
    found.as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect()
}

/// Makes `id`'s name tokens look as an older version left them: made by another normal form
/// (here: none that a search of this version makes).
async fn outdate(app: &TestApp, id: &str) {
    let mut owner = app.owner().await;
    sqlx::query("delete from alumni_name_token where member_id = $1::uuid").bind(id).execute(&mut owner).await.unwrap();
    sqlx::query("update alumni_member set name_index_version = 1 where member_id = $1::uuid")
        .bind(id)
        .execute(&mut owner)
        .await
        .unwrap();
}

#[tokio::test]
async fn simplified_and_traditional_chinese_find_each_other_and_older_indexes_are_remade() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    let handler = member(&app, Role::Handler).await;
    let mut ids = vec![];
    for names in [json!(["陳大文", "Chan Tai Man"]), json!(["刘晓华"])] {
        let body = json!({"names": names, "country": "CN", "cohort_year": 2009});
        let added = app.post_json("/api/v1/alumni", Some(&admin.token), &body).await;
        assert_eq!(added.status(), StatusCode::CREATED);
        ids.push(added.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    let (traditional, simplified) = (&ids[0], &ids[1]);
    for (query, id) in [
        ("陈大文", traditional),
        ("陳大文", traditional),
        ("大文", traditional),
        ("陈", traditional),
        ("劉曉華", simplified),
        ("曉華", simplified),
        ("刘晓华", simplified),
    ] {
        assert_eq!(found(&app, &handler, query).await, [id.as_str()], "{query}");
    }
    assert_eq!(found(&app, &handler, "陳小文").await, Vec::<String>::new());

    // Tokens an older version made no longer answer this version's search...
    outdate(&app, traditional).await;
    assert_eq!(found(&app, &handler, "陈大文").await, Vec::<String>::new());
    // ... until `shelter alumni reindex` remakes them, and only those,
    assert_eq!(alumni_command(&app, &["reindex"]).await, (true, "re-indexed 1 member(s)\n".to_owned()));
    assert_eq!(found(&app, &handler, "陈大文").await, [traditional.as_str()]);
    assert_eq!(found(&app, &handler, "chan tai").await, [traditional.as_str()]);
    assert_eq!(alumni_command(&app, &["reindex"]).await, (true, "re-indexed 0 member(s)\n".to_owned()));
    // ... or the server starts on the database.
    outdate(&app, traditional).await;
    let _beside = app.spawn_beside(crate::helpers::test_settings()).await;
    assert_eq!(found(&app, &handler, "陈大文").await, [traditional.as_str()]);
}
