//! The case page does the remembering: the playbook's guidance where the handler works, the
//! checklist ticking itself when the real action happens (by that action's actor, never for
//! a role they fail), the timeline in words, the printable summary holding only what its
//! reader may see, notices on reassignment, and the API's give back, reassign and undo.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::grants::{Member, World, act, grant_as, propose, world};
use crate::helpers::TestApp;
use crate::staff::{Expect as _, TestUser};

async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let response = browser.get(format!("{}{path}", app.address)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// Gives `user` a name of their own (every test account is "Test Person").
async fn name(app: &TestApp, user: &TestUser, name: &str) {
    sqlx::query("update staff_user set display_name = $2 where staff_user_id = $1::uuid")
        .bind(&user.id)
        .bind(name)
        .execute(&app.db)
        .await
        .unwrap();
}

/// Sets the language and clock `user` reads the staff pages in.
async fn reads(app: &TestApp, user: &TestUser, language: &str, offset: i16) {
    sqlx::query("update staff_user set language = $2, utc_offset_minutes = $3 where staff_user_id = $1::uuid")
        .bind(&user.id)
        .bind(language)
        .bind(offset)
        .execute(&app.db)
        .await
        .unwrap();
}

/// (done by, ticked_by of its audit entry) of the case's task titled `title`.
async fn ticked(app: &TestApp, case: Uuid, title: &str) -> (Option<Uuid>, Option<String>) {
    let (task, done_by): (Uuid, Option<Uuid>) =
        sqlx::query_as("select task_id, done_by from case_task where case_id = $1 and title = $2")
            .bind(case)
            .bind(title)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let how: Option<String> = sqlx::query_scalar(
        "select details->>'ticked_by' from audit_log where action = 'case.task_done' and details->>'task' = $1::text
          and actor_id = $2::text",
    )
    .bind(task)
    .bind(done_by.map(|d| d.to_string()).unwrap_or_default())
    .fetch_optional(&app.db)
    .await
    .unwrap()
    .flatten();
    (done_by, how)
}

/// A partner organisation working in Myanmar with one account; (partner id, account, token).
async fn partner(app: &TestApp, admin: &Member, name: &str) -> (Uuid, TestUser, String) {
    let body = json!({"name": name, "kind": "lawyer", "countries": ["MM"], "expertise": ["criminal_defence"]});
    let id: Uuid = app
        .post_json("/api/v1/partners", Some(&admin.token), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let email = format!("{}@partner.example.org", Uuid::new_v4().simple());
    let body = json!({"email": email, "name": name, "roles": ["partner"], "partner_id": id});
    let created: Value = app
        .post_json("/api/v1/admin/users", Some(&admin.token), &body)
        .await
        .expect_json(StatusCode::CREATED, "create a partner account")
        .await;
    let user = app.enrol(&email, created["enrolment_code"].as_str().unwrap()).await;
    let token = app.token(&user).await;
    (id, user, token)
}

/// A referral of the world's case to `partner`, proposed by `by`; its id.
async fn refer(app: &TestApp, w: &World, by: &Member, partner: Uuid) -> String {
    let body = json!({"partner_id": partner, "purpose": "Defence at the bail hearing cf-purpose-3131",
                      "summary": "Detained since Monday cf-summary-4141"});
    let proposed = app.post_json(&format!("/api/v1/cases/{}/referrals", w.case_id), Some(&by.token), &body).await;
    assert_eq!(proposed.status(), StatusCode::CREATED, "propose a referral");
    proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn approve_referral(app: &TestApp, by: &Member, referral: &str) -> StatusCode {
    let body = json!({"rationale": "The lawyer is trusted cf-referral-why-5151"});
    app.post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&by.token), &body).await.status()
}

/// Pays `grant` in full (US$1,000) as `by`.
async fn pay(app: &TestApp, by: &Member, grant: &str) -> StatusCode {
    let body = json!({"method": "bank_transfer", "paid": "1,000.00", "external_reference": "INV-5521",
                      "paid_on": chrono::Utc::now().date_naive().to_string()});
    act(app, by, grant, "disburse", body).await.status()
}

const REFERRAL_TASK: &str = "Approve referral to a local lawyer";
const DECISION_TASK: &str = "Decide on legal fees and bail";
const PAYMENT_TASK: &str = "Disburse approved funds";

#[tokio::test]
async fn real_actions_tick_their_tasks_by_their_actors_in_words_on_the_timeline() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    name(&app, &w.supervisors[0].user, "Daw Mya").await;
    name(&app, &w.supervisors[1].user, "U Kyaw").await;
    name(&app, &w.finance[0].user, "Somchai").await;
    let (partner_id, ..) = partner(&app, &w.admin, "Yangon Legal Aid").await;
    let referral = refer(&app, &w, &w.handler, partner_id).await;
    assert_eq!(ticked(&app, case, REFERRAL_TASK).await, (None, None), "proposing ticks nothing");

    assert_eq!(approve_referral(&app, &w.supervisors[0], &referral).await, StatusCode::OK);
    let approver: Uuid = w.supervisors[0].user.id.parse().unwrap();
    assert_eq!(ticked(&app, case, REFERRAL_TASK).await, (Some(approver), Some("referral_approved".into())));

    let grant = propose(&app, &w, "1,000.00").await;
    assert_eq!(ticked(&app, case, DECISION_TASK).await, (None, None));
    let approved = act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": "Within the cap"})).await;
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    assert_eq!(grant_as(&app, &w.handler, &grant).await["status"], "approved");
    let decider: Uuid = w.supervisors[1].user.id.parse().unwrap();
    assert_eq!(ticked(&app, case, DECISION_TASK).await, (Some(decider), Some("grant_decided".into())));

    assert_eq!(ticked(&app, case, PAYMENT_TASK).await, (None, None));
    assert_eq!(pay(&app, &w.finance[0], &grant).await, StatusCode::CREATED);
    let payer: Uuid = w.finance[0].user.id.parse().unwrap();
    assert_eq!(ticked(&app, case, PAYMENT_TASK).await, (Some(payer), Some("grant_paid".into())));

    // Each tick sits right after its action in the trail: written in the same transaction.
    let trail: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where action in ('referral.approved', 'grant.approved', 'grant.disbursed',
                'case.task_done') order by seq",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(
        trail,
        [
            "referral.approved",
            "case.task_done",
            "grant.approved",
            "case.task_done",
            "grant.disbursed",
            "case.task_done"
        ]
    );

    // The handler reads it in words, with names.
    let handler = app.browser(&w.handler.user).await;
    let (status, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK);
    for sentence in [
        "“Approve referral to a local lawyer” ticked itself when Daw Mya approved the referral.",
        "“Decide on legal fees and bail” ticked itself when U Kyaw decided on the grant.",
        "“Disburse approved funds” ticked itself when Somchai paid the grant.",
        "The requester filed the request.",
    ] {
        assert!(page.contains(sentence), "{sentence} in {page}");
    }
    assert!(!page.contains("<code>case."), "no action codes on the timeline");
    assert!(page.contains("Daw Mya approved the referral.") && page.contains("Somchai paid a grant."), "{page}");
    assert!(!page.contains("recorded in the audit trail ("), "every event of the case reads as its own sentence");
}

/// One person holding both roles holds the case: they never approve a referral they proposed
/// themselves; they may approve one the previous holder proposed, but the supervisor's
/// sign-off is not theirs to tick, so it stays open for a second supervisor.
#[tokio::test]
async fn an_auto_tick_never_signs_off_a_supervisors_task_for_the_cases_own_holder() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let (partner_id, ..) = partner(&app, &w.admin, "Mandalay Lawyers").await;
    let referral = refer(&app, &w, &w.handler, partner_id).await;
    let both = app.staff(&[Role::Handler, Role::Supervisor]).await;
    let both = Member { token: app.token(&both).await, user: both };
    let body = json!({"assignee": both.user.id, "reason": "cover for the week"});
    let reassigned =
        app.post_json(&format!("/api/v1/cases/{case}/reassign"), Some(&w.supervisors[0].token), &body).await;
    assert_eq!(reassigned.status(), StatusCode::NO_CONTENT);
    let own = refer(&app, &w, &both, partner_id).await;
    assert_eq!(approve_referral(&app, &both, &own).await, StatusCode::FORBIDDEN, "never their own proposal");
    assert_eq!(approve_referral(&app, &both, &referral).await, StatusCode::OK);
    assert_eq!(ticked(&app, case, REFERRAL_TASK).await, (None, None), "left for a person");
    let ticks: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'case.task_done'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(ticks, 0);

    // A second supervisor signs it off by hand.
    let task: Uuid = sqlx::query_scalar("select task_id from case_task where case_id = $1 and title = $2")
        .bind(case)
        .bind(REFERRAL_TASK)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/api/v1/cases/{case}/tasks/{task}/done");
    assert_eq!(app.post_json(&path, Some(&both.token), &json!({})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_json(&path, Some(&w.supervisors[1].token), &json!({})).await.status(), StatusCode::NO_CONTENT);
    let second: Uuid = w.supervisors[1].user.id.parse().unwrap();
    assert_eq!(ticked(&app, case, REFERRAL_TASK).await, (Some(second), None), "by hand");
}

/// (kind, recipient) of every reassignment notice, in order.
async fn reassignment_notices(app: &TestApp) -> Vec<(String, Uuid)> {
    sqlx::query_as(
        "select n.kind, d.staff_user_id from notice n join notice_delivery d using (notice_id)
          where n.kind in ('case_assigned_to_you', 'case_taken_from_you') order by n.kind",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn reassigning_tells_the_new_holder_and_the_one_it_was_taken_from_and_nobody_else() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let holder: Uuid = w.handler.user.id.parse().unwrap();
    let second = app.staff(&[Role::Handler]).await;
    let second_id: Uuid = second.id.parse().unwrap();
    let supervisor = app.browser(&w.supervisors[0].user).await;
    let csrf = app.session_csrf(&supervisor).await;

    // Refused: nothing told.
    let form = [("csrf", csrf.as_str()), ("assignee", second.id.as_str()), ("reason", "")];
    let refused = supervisor.post(format!("{}/staff/cases/{case}/reassign", app.address)).form(&form).send().await;
    assert_eq!(refused.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reassignment_notices(&app).await.is_empty());

    let form = [("csrf", csrf.as_str()), ("assignee", second.id.as_str()), ("reason", "the holder is on leave")];
    let moved = supervisor.post(format!("{}/staff/cases/{case}/reassign", app.address)).form(&form).send().await;
    assert_eq!(moved.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(
        reassignment_notices(&app).await,
        [("case_assigned_to_you".to_owned(), second_id), ("case_taken_from_you".to_owned(), holder)]
    );
    let about: Vec<Option<Uuid>> =
        sqlx::query_scalar("select case_id from notice where kind like 'case_%_you'").fetch_all(&app.db).await.unwrap();
    assert_eq!(about, [Some(case), Some(case)]);

    // Each reads their line in their notices; the supervisor who acted gets none.
    let (_, new_holder) = get(&app, &app.browser(&second).await, "/staff/notices").await;
    assert!(new_holder.contains("A supervisor assigned a case to you."), "{new_holder}");
    let (_, old_holder) = get(&app, &app.browser(&w.handler.user).await, "/staff/notices").await;
    assert!(old_holder.contains("reassigned one of your cases"), "{old_holder}");
    let (_, actor) = get(&app, &supervisor, "/staff/notices").await;
    assert!(!actor.contains("assigned a case to you") && !actor.contains("reassigned one of your cases"));
}

#[tokio::test]
async fn the_api_gives_back_reassigns_and_undoes_by_the_pages_rules() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let second = app.staff(&[Role::Handler]).await;
    let second = Member { token: app.token(&second).await, user: second };
    let both = app.staff(&[Role::Handler, Role::Supervisor]).await;
    let both_token = app.token(&both).await;
    let path = |action: &str| format!("/api/v1/cases/{case}/{action}");
    let assignee = || async {
        sqlx::query_scalar::<_, Option<Uuid>>("select assignee from cases where case_id = $1")
            .bind(case)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    let holder: Uuid = w.handler.user.id.parse().unwrap();

    // Undo: the doer only, with a reason.
    let task: Uuid = sqlx::query_scalar(
        "select task_id from case_task where case_id = $1 and role = 'handler' order by position limit 1",
    )
    .bind(case)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let done = app.post_json(&path(&format!("tasks/{task}/done")), Some(&w.handler.token), &json!({})).await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    let undo = path(&format!("tasks/{task}/undo"));
    let reason = json!({"reason": "the lawyer did not confirm"});
    let by_other = app.post_json(&undo, Some(&w.supervisors[0].token), &reason).await;
    assert_eq!(by_other.status(), StatusCode::FORBIDDEN, "someone else's tick");
    assert_eq!(
        app.post_json(&undo, Some(&w.handler.token), &json!({"reason": "  "})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.post_json(&undo, Some(&w.handler.token), &json!({"reason": "x", "extra": 1})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown fields are refused"
    );
    assert_eq!(app.post_json(&undo, Some(&w.handler.token), &reason).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.post_json(&undo, Some(&w.handler.token), &reason).await.status(), StatusCode::CONFLICT);
    let undone: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'case.task_undone'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(undone, 1);

    // Reassign: supervisors only, never to themselves, with a reason, to a handler.
    let to_second = json!({"assignee": second.user.id, "reason": "holder on leave"});
    let by_handler = app.post_json(&path("reassign"), Some(&w.handler.token), &to_second).await;
    assert_eq!(by_handler.status(), StatusCode::FORBIDDEN, "a handler does not reassign");
    let to_self = json!({"assignee": both.id, "reason": "I will take it"});
    let response = app.post_json(&path("reassign"), Some(&both_token), &to_self).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "a supervisor does not take a case for themselves");
    let message = response.json::<Value>().await.unwrap()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("does not reassign a case to themselves"), "{message}");
    let no_reason = json!({"assignee": second.user.id, "reason": ""});
    let response = app.post_json(&path("reassign"), Some(&w.supervisors[0].token), &no_reason).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let to_finance = json!({"assignee": w.finance[0].user.id, "reason": "anyone"});
    let response = app.post_json(&path("reassign"), Some(&w.supervisors[0].token), &to_finance).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "only a handler holds a case");
    let stale = json!({"assignee": second.user.id, "reason": "holder on leave", "version": 1});
    let response = app.post_json(&path("reassign"), Some(&w.supervisors[0].token), &stale).await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "changed meanwhile");
    assert_eq!(assignee().await, Some(holder), "nothing changed");
    assert!(reassignment_notices(&app).await.is_empty());
    let response = app.post_json(&path("reassign"), Some(&w.supervisors[0].token), &to_second).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(assignee().await, Some(second.user.id.parse().unwrap()));
    assert_eq!(reassignment_notices(&app).await.len(), 2, "the same notices as from the page");

    // Give back: the holder only.
    let by_former = app.post_json(&path("unclaim"), Some(&w.handler.token), &json!({})).await;
    assert_eq!(by_former.status(), StatusCode::FORBIDDEN, "no longer theirs");
    let by_supervisor = app.post_json(&path("unclaim"), Some(&w.supervisors[0].token), &json!({})).await;
    assert_eq!(by_supervisor.status(), StatusCode::FORBIDDEN);
    let stale = app.post_json(&path("unclaim"), Some(&second.token), &json!({"version": 1})).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(app.post_json(&path("unclaim"), Some(&second.token), &json!({})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(assignee().await, None);
    let unknown = format!("/api/v1/cases/{}/unclaim", Uuid::new_v4());
    assert_eq!(app.post_json(&unknown, Some(&second.token), &json!({})).await.status(), StatusCode::NOT_FOUND);

    // Described in the OpenAPI document.
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for (route, operation) in [
        ("/api/v1/cases/{case_id}/unclaim", "give_back_case"),
        ("/api/v1/cases/{case_id}/reassign", "reassign_case"),
        ("/api/v1/cases/{case_id}/tasks/{task_id}/undo", "undo_task"),
    ] {
        assert_eq!(doc["paths"][route]["post"]["operationId"], operation, "{route}");
        assert!(doc["paths"][route]["post"]["responses"]["403"].is_object(), "{route} says who is refused");
    }
}

/// The world's case with a consented referral to a partner and a paid grant whose decision
/// has a rationale; (partner's account and token).
async fn worked(app: &TestApp, w: &World) -> (TestUser, String) {
    let (partner_id, partner_user, partner_token) = partner(app, &w.admin, "Yangon Legal Aid").await;
    let referral = refer(app, w, &w.handler, partner_id).await;
    assert_eq!(approve_referral(app, &w.supervisors[0], &referral).await, StatusCode::OK);
    let consent = format!("/api/v1/requester/referrals/{referral}/consent");
    assert_eq!(app.post_json(&consent, Some(&w.requester), &json!({})).await.status(), StatusCode::NO_CONTENT);
    let grant = propose(app, w, "1,000.00").await;
    let body = json!({"rationale": "Hearing on Friday cf-grant-why-6161"});
    assert_eq!(act(app, &w.supervisors[1], &grant, "approve", body).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(pay(app, &w.finance[0], &grant).await, StatusCode::CREATED);
    (partner_user, partner_token)
}

const NARRATIVE: &str = "grant-narrative-7171";
const CONTACT: &str = "grant-contact-8181";
const GRANT_WHY: &str = "cf-grant-why-6161";
const REFERRAL_WHY: &str = "cf-referral-why-5151";

/// (scope, actor) of every summary read recorded against the case.
async fn summary_reads(app: &TestApp, case: Uuid) -> Vec<(String, String)> {
    sqlx::query_as(
        "select details->>'scope', actor_id from audit_log where action = 'case.summary_read' and subject_id = $1
          order by seq",
    )
    .bind(case.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_summary_holds_only_what_each_reader_may_see() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let (partner_user, _) = worked(&app, &w).await;
    let summary = format!("/staff/cases/{case}/summary");

    // The case's handler: the whole case, rationales included.
    let (status, full) = get(&app, &app.browser(&w.handler.user).await, &summary).await;
    assert_eq!(status, StatusCode::OK);
    for shown in [w.reference.as_str(), NARRATIVE, CONTACT, GRANT_WHY, REFERRAL_WHY, "1,000.00", "Yangon Legal Aid"] {
        assert!(full.contains(shown), "{shown} in the full summary: {full}");
    }
    assert!(full.contains("Arrest or detention") && full.contains(DECISION_TASK), "words and the checklist");
    assert!(full.contains("/assets/style.css") && !full.contains("<nav"), "the stylesheet (with print rules), no menu");

    // Finance: the grant and its payment; no narrative, contact, rationale or reference.
    let (status, finance) = get(&app, &app.browser(&w.finance[1].user).await, &summary).await;
    assert_eq!(status, StatusCode::OK);
    assert!(finance.contains("Grant summary") && finance.contains("1,000.00"), "{finance}");
    assert!(finance.contains("Rationale hidden"), "says it is hidden rather than an empty block");
    for hidden in [NARRATIVE, CONTACT, GRANT_WHY, REFERRAL_WHY, w.reference.as_str(), "0042-secret-acct-5151"] {
        assert!(!finance.contains(hidden), "{hidden} shown to finance: {finance}");
    }

    // The partner: the consented packet only.
    let (status, packet) = get(&app, &app.browser(&partner_user).await, &summary).await;
    assert_eq!(status, StatusCode::OK);
    assert!(packet.contains("cf-summary-4141") && packet.contains("cf-purpose-3131"), "{packet}");
    assert!(packet.contains("Arrest or detention") && packet.contains("Myanmar"), "kind and country in words");
    for hidden in [NARRATIVE, CONTACT, GRANT_WHY, REFERRAL_WHY, "1,000.00", w.reference.as_str()] {
        assert!(!packet.contains(hidden), "{hidden} shown to the partner: {packet}");
    }

    let handler: String = w.handler.user.id.clone();
    let partner_id: String = sqlx::query_scalar("select staff_user_id::text from staff_user where email = $1")
        .bind(&partner_user.email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        summary_reads(&app, case).await,
        [
            ("full".to_owned(), handler),
            ("finance".to_owned(), w.finance[1].user.id.clone()),
            ("partner".to_owned(), partner_id)
        ]
    );
}

#[tokio::test]
async fn whoever_may_not_see_the_case_gets_the_case_pages_answer_and_nothing_is_recorded() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    let summary = format!("/staff/cases/{case}/summary");
    let page = format!("/staff/cases/{case}");

    // A supervisor with a declared conflict: the case does not exist for them, on both.
    let conflicted = app.browser(&w.supervisors[2].user).await;
    let csrf = app.session_csrf(&conflicted).await;
    let form = [("csrf", csrf.as_str()), ("confirm", "yes")];
    let declared = conflicted.post(format!("{}{page}/conflict", app.address)).form(&form).send().await.unwrap();
    assert_eq!(declared.status(), StatusCode::SEE_OTHER);
    let (page_status, _) = get(&app, &conflicted, &page).await;
    let (status, body) = get(&app, &conflicted, &summary).await;
    assert_eq!((page_status, status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(!body.contains(NARRATIVE) && !body.contains(&w.reference));

    // An unknown case: the same answer.
    let (status, _) = get(&app, &conflicted, &format!("/staff/cases/{}/summary", Uuid::new_v4())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A handler who sees only the preview: told to claim it, as on the case page.
    let other = app.browser(&app.staff(&[Role::Handler]).await).await;
    let (page_status, _) = get(&app, &other, &page).await;
    let (status, body) = get(&app, &other, &summary).await;
    assert_eq!((page_status, status), (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN));
    assert!(!body.contains(NARRATIVE));

    // Finance before the case has any grant, a partner with no packet, an administrator.
    let (_, partner_user, _) = partner(&app, &w.admin, "Unrelated Partner").await;
    for user in [&w.finance[0].user, &partner_user, &w.admin.user] {
        let (status, body) = get(&app, &app.browser(user).await, &summary).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert!(!body.contains(NARRATIVE) && !body.contains(&w.reference));
    }
    assert!(summary_reads(&app, case).await.is_empty(), "no read recorded for a refusal");
}

#[tokio::test]
async fn portal_sign_ins_in_a_row_are_counted_and_the_guidance_speaks_the_readers_language() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let case = w.case_id;
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::minutes(10));
        app.requester_token(&json!(w.reference), &json!(w.passphrase)).await;
    }
    let handler = app.browser(&w.handler.user).await;
    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    // The world signed the requester in once before the case was claimed; three more in a row.
    assert!(page.contains("The requester signed in to the portal 3 times between"), "{page}");
    assert_eq!(page.matches("signed in to the portal").count(), 2, "two lines, not four");

    // English: the next task is the handler's, with the playbook's advice; no language note.
    assert!(page.contains("What to do next") && page.contains("Next for you:"), "{page}");
    assert!(page.contains("Acknowledge and agree a secure channel"));
    assert!(page.contains("Act within hours"), "the playbook's advice");
    assert!(!page.contains("the playbook has no version in your language"));
    assert!(page.contains(&format!("href=\"/staff/cases/{case}/summary\"")), "the summary is one click away");

    // Burmese: the arrest playbook has Burmese advice.
    reads(&app, &w.handler.user, "my", 390).await;
    let handler = app.browser(&w.handler.user).await;
    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    let burmese = shelter_frontend::reader::Reader::new(shelter_shared::language::Language::Burmese, 390);
    assert!(page.contains(&burmese.t("cf-guidance-heading")), "{page}");
    assert!(page.contains("နာရီပိုင်းအတွင်း လုပ်ဆောင်ပါ"), "the Burmese advice");
    assert!(!page.contains(&burmese.t("cf-guidance-in-english")), "not called English");
    assert!(page.contains(&burmese.t("cf-ev-case-created")), "the timeline in Burmese");

    // Thai: no Thai version, so English advice, said to be English.
    reads(&app, &w.handler.user, "th", 420).await;
    let handler = app.browser(&w.handler.user).await;
    let (_, page) = get(&app, &handler, &format!("/staff/cases/{case}")).await;
    let thai = shelter_frontend::reader::Reader::new(shelter_shared::language::Language::Thai, 420);
    assert!(page.contains(&thai.t("cf-guidance-in-english")) && page.contains("Act within hours"), "{page}");
}

/// The case page with its guidance and timeline, in English and Burmese, and the printed
/// summary, on a laptop: screenshots to look at, and no serious axe-core finding.
#[tokio::test]
async fn the_case_page_and_the_printed_summary_in_a_browser() {
    use crate::browser::Browser;
    let app = TestApp::spawn().await;
    let w = world(&app, "critical").await;
    name(&app, &w.handler.user, "Ko Zaw").await;
    name(&app, &w.supervisors[0].user, "Daw Mya").await;
    name(&app, &w.supervisors[1].user, "U Kyaw").await;
    name(&app, &w.finance[0].user, "Somchai").await;
    worked(&app, &w).await;
    for _ in 0..3 {
        app.clock.advance(chrono::Duration::minutes(20));
        app.requester_token(&json!(w.reference), &json!(w.passphrase)).await;
    }
    let case = w.case_id;
    for (language, offset) in [("en", 420), ("my", 390)] {
        reads(&app, &w.handler.user, language, offset).await;
        let browser = Browser::start_laptop_with_javascript().await;
        browser.sign_in(&app, &w.handler.user).await;
        browser.client.goto(&format!("{}/staff/cases/{case}", app.address)).await.unwrap();
        let unfold = "document.querySelectorAll('details').forEach(d => d.open = true); return true;";
        browser.client.execute(unfold, vec![]).await.unwrap();
        let found = browser.axe().await;
        assert!(found.is_empty(), "case page {language}: {found:#?}");
        let scroll = "document.querySelector('section.guidance').scrollIntoView(); return true;";
        browser.client.execute(scroll, vec![]).await.unwrap();
        browser.screenshot(&format!("case-guidance-{language}-laptop")).await;
        let scroll = "document.querySelector('ol.timeline').scrollIntoView(); return true;";
        browser.client.execute(scroll, vec![]).await.unwrap();
        browser.screenshot(&format!("case-timeline-{language}-laptop")).await;

        browser.client.goto(&format!("{}/staff/cases/{case}/summary", app.address)).await.unwrap();
        let found = browser.axe().await;
        assert!(found.is_empty(), "summary {language}: {found:#?}");
        browser.print_media().await;
        browser.full_screenshot(&format!("case-summary-{language}-print")).await;
        browser.client.close().await.unwrap();
    }
}
