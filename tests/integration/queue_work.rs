//! The queue staff work from all day, in the browser: rows that say why they are urgent,
//! an unread marker, search by reference, giving a case back and reassigning it, and the
//! checklist's tasks done by their role and undone by their doer.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::grants::{World, world};
use crate::helpers::TestApp;

/// Files a request; (case id, reference, passphrase).
async fn file(app: &TestApp, body: Value) -> (Uuid, String, String) {
    let response: Value = app.post_json("/api/v1/intake", None, &body).await.json().await.unwrap();
    let reference = response["reference"].as_str().unwrap().to_owned();
    let id: Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    (id, reference, response["passphrase"].as_str().unwrap().to_owned())
}

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = browser.get(format!("{}{path}", app.address)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn post(app: &TestApp, browser: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let response = browser.post(format!("{}{path}", app.address)).form(form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// The queue row that mentions `case_id` (its link, claim or give-back form).
fn row(page: &str, case_id: Uuid) -> &str {
    // Rows only: the "waiting on you" list above the table links cases too.
    page.split("<tr")
        .skip(1)
        .find(|r| r.contains(&case_id.to_string()))
        .unwrap_or_else(|| panic!("no row for {case_id}"))
}

async fn assignee(app: &TestApp, case_id: Uuid) -> Option<Uuid> {
    sqlx::query_scalar("select assignee from cases where case_id = $1").bind(case_id).fetch_one(&app.db).await.unwrap()
}

async fn audited(app: &TestApp, action: &str) -> Vec<(String, Value, bool)> {
    sqlx::query_as(
        "select actor_id, details, rationale_sealed is not null from audit_log where action = $1 order by seq",
    )
    .bind(action)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn urgent_rows_say_so_in_words_and_unread_messages_are_marked() {
    let app = TestApp::spawn().await;
    let (critical, reference, passphrase) = file(
        &app,
        json!({"narrative": "taken last night", "country": "MM", "urgency": "immediate", "kind": "arrest_detention"}),
    )
    .await;
    let (calm, ..) = file(&app, json!({"narrative": "advice please", "country": "TH", "urgency": "information"})).await;
    // The critical case's first deadline (hours) passes; the calm one's (days) does not.
    app.clock.advance(Duration::hours(5));
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&handler).await;
    let (status, page) = get(&app, &browser, "/staff").await;
    assert_eq!(status, StatusCode::OK);
    let urgent = row(&page, critical);
    assert!(urgent.contains(">Overdue</strong>"), "breached in words: {urgent}");
    assert!(urgent.contains(">Critical</strong>"), "critical in words: {urgent}");
    assert!(urgent.contains("title=\"Deadline passed\""), "with an accessible text");
    let quiet = row(&page, calm);
    assert!(!quiet.contains("Overdue") && !quiet.contains("Critical"), "{quiet}");
    assert!(!page.contains(">Unread</strong>"), "nothing written yet");

    // The requester writes before the handler has opened the case: a preview says nothing of it.
    let requester = app.requester_token(&json!(reference), &json!(passphrase)).await;
    app.post_json("/api/v1/requester/messages", Some(&requester), &json!({"body": "Any news?"})).await;
    let (_, page) = get(&app, &browser, "/staff").await;
    assert!(!row(&page, critical).contains("Unread"), "a preview tells nothing about messages");

    let csrf = app.session_csrf(&browser).await;
    let (status, _) = post(&app, &browser, &format!("/staff/cases/{critical}/claim"), &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = get(&app, &browser, "/staff").await;
    assert!(row(&page, critical).contains(">Unread</strong>"), "written since the handler last looked (never)");

    let (status, _) = get(&app, &browser, &format!("/staff/cases/{critical}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = get(&app, &browser, "/staff").await;
    assert!(!row(&page, critical).contains("Unread"), "opened: read");

    app.clock.advance(Duration::minutes(1));
    app.post_json("/api/v1/requester/messages", Some(&requester), &json!({"body": "Still here"})).await;
    let (_, page) = get(&app, &browser, "/staff").await;
    assert!(row(&page, critical).contains(">Unread</strong>"), "a newer message");
    let seen: i64 = sqlx::query_scalar("select count(*) from case_view").fetch_one(&app.db).await.unwrap();
    assert_eq!(seen, 1, "one record per case and viewer");
}

#[tokio::test]
async fn a_reference_search_finds_only_a_case_the_viewer_opens_in_full() {
    let app = TestApp::spawn().await;
    let (id, reference, _) = file(&app, json!({"narrative": "search-narrative-5151", "country": "KH"})).await;
    let holder = app.staff(&[Role::Handler]).await;
    let other = app.staff(&[Role::Handler]).await;
    let holder_browser = app.browser(&holder).await;
    let other_browser = app.browser(&other).await;
    let csrf = app.session_csrf(&holder_browser).await;
    post(&app, &holder_browser, &format!("/staff/cases/{id}/claim"), &[("csrf", &csrf)]).await;

    // Typed loosely: lower case, no dashes.
    let typed = reference.to_lowercase().replace('-', "");
    let (status, page) = get(&app, &holder_browser, &format!("/staff?reference={typed}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("<a href=\"/staff/cases/{id}\">{reference}</a>")), "found");
    assert!(page.contains(&format!("value=\"{typed}\"")), "the search stays in its box");

    // Another handler sees the case only as a preview: the search tells them nothing, the same
    // as for a reference that does not exist.
    let (status, hidden) = get(&app, &other_browser, &format!("/staff?reference={reference}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(hidden.contains("No case you can open has the reference"), "{hidden}");
    assert_eq!(hidden.matches("<tr").count(), 1, "the header only: no row, not even a preview");
    assert!(!hidden.contains(&id.to_string()));
    let (_, unknown) = get(&app, &other_browser, "/staff?reference=SH-0000-0000").await;
    assert!(unknown.contains("No case you can open has the reference"));
    assert_eq!(unknown.matches("<tr").count(), 1);
    let token = app.token(&other).await;
    let api: Value = app.get_api(&format!("/api/v1/cases?reference={reference}"), &token).await.json().await.unwrap();
    assert_eq!(api["items"], json!([]), "the API searches the same way");

    // Not a reference at all: a clear error, the typed text kept, never a 500.
    let (status, page) = get(&app, &holder_browser, "/staff?reference=zz%3Cb%3E").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("not a case reference"), "{page}");
    assert!(page.contains("value=\"zz&lt;b&gt;\""), "kept, escaped");
}

async fn browser_of(app: &TestApp, user: &crate::staff::TestUser) -> (reqwest::Client, String) {
    let browser = app.browser(user).await;
    let csrf = app.session_csrf(&browser).await;
    (browser, csrf)
}

#[tokio::test]
async fn the_holder_gives_a_case_back_and_only_a_supervisor_reassigns_it() {
    let app = TestApp::spawn().await;
    let w: World = world(&app, "high").await;
    let case = w.case_id;
    let holder: Uuid = w.handler.user.id.parse().unwrap();
    let second = app.staff(&[Role::Handler]).await;
    let second_id: Uuid = second.id.parse().unwrap();
    let (handler, handler_csrf) = browser_of(&app, &w.handler.user).await;
    let (other, other_csrf) = browser_of(&app, &second).await;
    let (supervisor, supervisor_csrf) = browser_of(&app, &w.supervisors[0].user).await;

    // The buttons follow the policy.
    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    assert!(page.contains(&format!("action=\"/staff/cases/{case}/unclaim\"")), "the holder may give it back");
    assert!(!page.contains("/reassign\""), "a handler does not reassign");
    let (_, page) = get(&app, &supervisor, &format!("/staff/cases/{case}")).await;
    assert!(page.contains(&format!("action=\"/staff/cases/{case}/reassign\"")));
    assert!(!page.contains("/unclaim\""), "a supervisor does not hold it");
    let (_, queue) = get(&app, &handler, "/staff").await;
    assert!(row(&queue, case).contains("Give back"));

    // Refused to others, and nothing changes.
    let (status, _) = post(&app, &other, &format!("/staff/cases/{case}/unclaim"), &[("csrf", &other_csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the holder");
    let form = [("csrf", handler_csrf.as_str()), ("assignee", second.id.as_str()), ("reason", "mine to give")];
    let (status, _) = post(&app, &handler, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a handler may not reassign");
    assert_eq!(assignee(&app, case).await, Some(holder));

    // Bad input: a clear error, the form filled in again.
    let form = [("csrf", supervisor_csrf.as_str()), ("assignee", second.id.as_str()), ("reason", "  ")];
    let (status, page) = post(&app, &supervisor, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Reassigning needs a written reason."), "{page}");
    assert!(page.contains(&format!("<option value=\"{}\" selected", second.id)), "the choice is kept");
    let form = [("csrf", supervisor_csrf.as_str()), ("assignee", "nobody"), ("reason", "typed-reassign-6001")];
    let (status, page) = post(&app, &supervisor, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose a handler."));
    assert!(page.contains("typed-reassign-6001</textarea>"), "the reason is kept");
    let finance = w.finance[0].user.id.clone();
    let form = [("csrf", supervisor_csrf.as_str()), ("assignee", finance.as_str()), ("reason", "typed-reassign-6002")];
    let (status, page) = post(&app, &supervisor, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only a handler holds a case");
    assert!(page.contains("typed-reassign-6002</textarea>"));
    assert_eq!(assignee(&app, case).await, Some(holder));
    assert!(audited(&app, "case.reassigned").await.is_empty());

    // The supervisor hands it over, with a reason sealed in the audit entry.
    let form = [("csrf", supervisor_csrf.as_str()), ("assignee", second.id.as_str()), ("reason", "holder on leave")];
    let (status, _) = post(&app, &supervisor, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(assignee(&app, case).await, Some(second_id));
    let entries = audited(&app, "case.reassigned").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, w.supervisors[0].user.id);
    assert_eq!(entries[0].1["from"], json!(holder));
    assert_eq!(entries[0].1["to"], json!(second_id));
    assert!(entries[0].2, "with its rationale");

    // The former holder no longer gives it back; the new one does, to the queue.
    let (status, _) = post(&app, &handler, &format!("/staff/cases/{case}/unclaim"), &[("csrf", &handler_csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&app, &other, &format!("/staff/cases/{case}/unclaim"), &[("csrf", &other_csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(assignee(&app, case).await, None);
    let entries = audited(&app, "case.unclaimed").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, second.id);
    let (_, queue) = get(&app, &handler, "/staff").await;
    assert!(row(&queue, case).contains("Claim"), "back in the queue, claimable");
    let (status, _) = post(&app, &other, &format!("/staff/cases/{case}/unclaim"), &[("csrf", &other_csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not held by anyone now");
}

#[tokio::test]
async fn tasks_are_done_by_their_role_and_undone_only_by_their_doer_with_a_reason() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let tasks: Vec<(Uuid, String)> =
        sqlx::query_as("select task_id, role from case_task where case_id = $1 order by position")
            .bind(case)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let of = |role: &str| tasks.iter().find(|(_, r)| r == role).unwrap().0;
    let (handler_task, supervisor_task) = (of("handler"), of("supervisor"));
    let done_at = |task: Uuid| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, Option<chrono::DateTime<chrono::Utc>>>(
                "select done_at from case_task where task_id = $1",
            )
            .bind(task)
            .fetch_one(&db)
            .await
            .unwrap()
        }
    };
    let (handler, handler_csrf) = browser_of(&app, &w.handler.user).await;
    let (supervisor, supervisor_csrf) = browser_of(&app, &w.supervisors[0].user).await;
    let done = |task: Uuid| format!("/staff/cases/{case}/tasks/{task}/done");
    let undo = |task: Uuid| format!("/staff/cases/{case}/tasks/{task}/undo");

    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    assert!(page.contains(&format!("action=\"{}\"", done(handler_task))), "the handler's own task");
    assert!(!page.contains(&format!("action=\"{}\"", done(supervisor_task))), "not a supervisor's task");

    let (status, page) = post(&app, &handler, &done(supervisor_task), &[("csrf", &handler_csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Only a supervisor may mark this task done."), "{page}");
    assert!(done_at(supervisor_task).await.is_none());
    let (status, _) = post(&app, &handler, &done(handler_task), &[("csrf", &handler_csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(done_at(handler_task).await.is_some());
    let (status, _) = post(&app, &supervisor, &done(supervisor_task), &[("csrf", &supervisor_csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the supervisor's sign-off");

    // Undo: only the doer, only with a reason; the form keeps what was typed.
    let (_, page) = get(&app, &supervisor, &format!("/staff/cases/{case}")).await;
    assert!(!page.contains(&format!("action=\"{}\"", undo(handler_task))), "not the supervisor's to undo");
    let form = [("csrf", supervisor_csrf.as_str()), ("reason", "I think not")];
    let (status, _) = post(&app, &supervisor, &undo(handler_task), &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = post(&app, &handler, &undo(handler_task), &[("csrf", &handler_csrf), ("reason", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Say why the task is not done after all."));
    let long = format!("typed-undo-6101 {}", "z".repeat(5000));
    let (status, page) = post(&app, &handler, &undo(handler_task), &[("csrf", &handler_csrf), ("reason", &long)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!("{long}</textarea>")), "the reason is back");
    assert!(done_at(handler_task).await.is_some(), "nothing changed");
    assert!(audited(&app, "case.task_undone").await.is_empty());

    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    assert!(page.contains(&format!("action=\"{}\"", undo(handler_task))));
    let form = [("csrf", handler_csrf.as_str()), ("reason", "the lawyer has not confirmed after all")];
    let (status, _) = post(&app, &handler, &undo(handler_task), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(done_at(handler_task).await.is_none(), "open again");
    let entries = audited(&app, "case.task_undone").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, w.handler.user.id);
    assert_eq!(entries[0].1["task"], json!(handler_task));
    assert!(entries[0].2, "the reason is recorded (sealed)");
    let (status, _) = post(&app, &handler, &undo(handler_task), &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "not done any more");
}

/// The queue with its markers and search, and the case page with the undo and reassign forms,
/// as a handler and a supervisor see them on a laptop: no serious or critical axe-core finding.
#[tokio::test]
async fn the_queue_and_the_new_case_forms_pass_axe_on_a_laptop() {
    use crate::browser::Browser;
    let app = TestApp::spawn().await;
    let w = world(&app, "critical").await;
    let case = w.case_id;
    file(&app, json!({"narrative": "taken at dawn", "country": "MM", "urgency": "immediate"})).await;
    app.post_json("/api/v1/requester/messages", Some(&w.requester), &json!({"body": "Any news?"})).await;
    let task: Uuid =
        sqlx::query_scalar("select task_id from case_task where case_id = $1 and role = 'handler' limit 1")
            .bind(case)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (handler, csrf) = browser_of(&app, &w.handler.user).await;
    let (status, _) = post(&app, &handler, &format!("/staff/cases/{case}/tasks/{task}/done"), &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.clock.advance(Duration::hours(3));
    let visits: [(&crate::staff::TestUser, &[(&str, String)]); 2] = [
        (&w.handler.user, &[("queue", "/staff".to_owned()), ("case-undo", format!("/staff/cases/{case}"))]),
        (
            &w.supervisors[0].user,
            &[
                ("queue-supervisor", "/staff?reference=SH-0000-0000".to_owned()),
                ("case-reassign", format!("/staff/cases/{case}")),
            ],
        ),
    ];
    for (user, pages) in visits {
        let browser = Browser::start_laptop_with_javascript().await;
        browser.sign_in(&app, user).await;
        for (name, path) in pages {
            browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
            // Folded forms (the undo reason) are checked unfolded too.
            let unfold = "document.querySelectorAll('details').forEach(d => d.open = true); return true;";
            browser.client.execute(unfold, vec![]).await.unwrap();
            let found = browser.axe().await;
            assert!(found.is_empty(), "{name}: {found:#?}");
            browser.screenshot(&format!("queue-work-{name}-laptop")).await;
            let form = match *name {
                "case-undo" => "form[action$=\"/undo\"]",
                "case-reassign" => "form[action$=\"/reassign\"]",
                _ => continue,
            };
            let scroll = format!("document.querySelector('{form}').scrollIntoView(); return true;");
            browser.client.execute(&scroll, vec![]).await.unwrap();
            browser.screenshot(&format!("queue-work-{name}-form-laptop")).await;
        }
        browser.client.close().await.unwrap();
    }
}

/// One person holding both roles is one pair of hands: they do not take another handler's
/// case for themselves, nor sign off a supervisor's step on a case they hold; and a closed
/// case's checklist stays as it was.
#[tokio::test]
async fn one_person_with_both_roles_neither_takes_a_case_nor_signs_off_their_own() {
    let app = TestApp::spawn().await;
    let w: World = world(&app, "high").await;
    let case = w.case_id;
    let holder: Uuid = w.handler.user.id.parse().unwrap();
    let both = app.staff(&[Role::Handler, Role::Supervisor]).await;
    let both_id: Uuid = both.id.parse().unwrap();
    let (dual, dual_csrf) = browser_of(&app, &both).await;
    let (supervisor, supervisor_csrf) = browser_of(&app, &w.supervisors[0].user).await;

    let form = [("csrf", dual_csrf.as_str()), ("assignee", both.id.as_str()), ("reason", "I will take it")];
    let (status, page) = post(&app, &dual, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(page.contains("does not reassign a case to themselves"), "{page}");
    assert_eq!(assignee(&app, case).await, Some(holder), "nothing changed");

    // Another supervisor gives it to them: now they hold it, and its sign-off is not theirs.
    let form = [("csrf", supervisor_csrf.as_str()), ("assignee", both.id.as_str()), ("reason", "cover the week")];
    let (status, _) = post(&app, &supervisor, &format!("/staff/cases/{case}/reassign"), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(assignee(&app, case).await, Some(both_id));
    let supervisor_task: Uuid = sqlx::query_scalar(
        "select task_id from case_task where case_id = $1 and role = 'supervisor' order by position",
    )
    .bind(case)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let done = format!("/staff/cases/{case}/tasks/{supervisor_task}/done");
    let (_, page) = get(&app, &dual, &format!("/staff/cases/{case}")).await;
    assert!(!page.contains(&format!("action=\"{done}\"")), "no sign-off button for the holder");
    let (status, _) = post(&app, &dual, &done, &[("csrf", &dual_csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&app, &supervisor, &done, &[("csrf", &supervisor_csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a second supervisor signs off");

    // Closed: the checklist is what it was when the case closed.
    sqlx::query("update cases set status = 'closed' where case_id = $1").bind(case).execute(&app.db).await.unwrap();
    let undo = format!("/staff/cases/{case}/tasks/{supervisor_task}/undo");
    let (status, _) = post(&app, &supervisor, &undo, &[("csrf", &supervisor_csrf), ("reason", "after all")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let undone: bool = sqlx::query_scalar("select done_at is null from case_task where task_id = $1")
        .bind(supervisor_task)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(!undone, "still done");
}
