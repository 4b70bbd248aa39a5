//! Vouching over real HTTP and a real SMTP server: a handler asks registry members; each
//! gets a content-free e-mail with a link of their own; the link's page shows the question
//! and nothing of the case; it takes one answer, expires, and is throttled; approval counts
//! distinct confirmations by tier (the installation's defaults: one for tier A, two above).

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::grants::{Member, World, act, grant_as, member, propose, step_up, world};
use crate::helpers::{TestApp, test_settings};
use crate::notify::SmtpSink;
use crate::staff::Expect as _;

pub(crate) const QUESTION: &str =
    "Do you know this person from the 2014 cohort, and can you confirm they need urgent help?";

pub(crate) async fn app(smtp: &SmtpSink) -> TestApp {
    let mut settings = test_settings();
    settings.public_url = Some("https://shelter.example.org".into());
    settings.notify.smtp_url = Some(smtp.url());
    settings.notify.mail_from = Some("Shelter <notices@shelter.example.org>".into());
    settings.notify.neutral_name = "Mai".into();
    settings.notify.neutral_from = Some("Mai <mai@quiet.example.net>".into());
    // The installation's defaults, which the other tests turn off.
    settings.grant_vouches_tier_a = 1;
    settings.grant_vouches_tier_bc = 2;
    TestApp::spawn_with(settings).await
}

/// Adds a registry member reachable at `contact`; their id.
pub(crate) async fn add_member(app: &TestApp, admin: &Member, name: &str, contact: &str) -> String {
    let body =
        json!({"names": [name], "country": "MM", "cohort_year": 2014, "languages": ["Burmese"], "contact": contact});
    let added = app.post_json("/api/v1/alumni", Some(&admin.token), &body).await;
    assert_eq!(added.status(), StatusCode::CREATED, "{}", added.text().await.unwrap());
    added.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn ask(
    app: &TestApp,
    w: &World,
    by: &Member,
    members: &[&str],
    partners: &[&str],
) -> reqwest::Response {
    // The question leaves the network: a fresh second factor first.
    step_up(app, by).await;
    let body = json!({"question": QUESTION, "members": members, "partners": partners});
    app.post_json(&format!("/api/v1/cases/{}/vouch-requests", w.case_id), Some(&by.token), &body).await
}

/// The path of the link in the one mail sent to `address`.
pub(crate) fn link_to(smtp: &SmtpSink, address: &str) -> String {
    let mails: Vec<Value> = smtp.mails().into_iter().filter(|m| m["to"][0] == address).collect();
    assert_eq!(mails.len(), 1, "one message to {address}: {mails:?}");
    let body = mails[0]["body"].as_str().unwrap().replace("\r\n", "\n");
    let start = body.find("https://shelter.example.org/vouch/").expect("a link");
    let link = body[start..].split_whitespace().next().unwrap();
    link.trim_start_matches("https://shelter.example.org").to_owned()
}

pub(crate) async fn answer(app: &TestApp, path: &str, choice: &str, comment: &str) -> (StatusCode, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .form(&[("answer", choice), ("comment", comment)])
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

async fn open(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get(path).await;
    (response.status(), response.text().await.unwrap())
}

/// A message of the voucher's page in Burmese, the members' language here.
fn burmese(id: &str) -> String {
    shelter_frontend::i18n::Translator::new(shelter_shared::language::Language::Burmese).t(id)
}

async fn approve(app: &TestApp, by: &Member, grant: &str) -> reqwest::Response {
    act(app, by, grant, "approve", json!({"rationale": "Verified by the vouchers"})).await
}

#[tokio::test]
async fn each_voucher_answers_once_through_a_link_that_shows_only_the_question_and_tier_b_needs_two_confirmations() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    let names = ["Daw Khin Vouch", "U Aung Vouch", "Ma Su Vouch", "Ko Zaw Vouch"];
    let addresses = ["khin@mail.example.net", "aung@mail.example.net", "su@mail.example.net", "zaw@mail.example.net"];
    let mut members = vec![];
    for (name, address) in names.iter().zip(addresses) {
        members.push(add_member(&app, &w.admin, name, address).await);
    }
    let grant = propose(&app, &w, "3,000.00").await; // tier B

    let refused = approve(&app, &w.supervisors[0], &grant).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT, "no confirmation yet");
    assert!(refused.text().await.unwrap().contains("needs 2 distinct vouchers"));

    let asked = ask(&app, &w, &w.handler, &members.iter().map(String::as_str).collect::<Vec<_>>(), &[]).await;
    assert_eq!(asked.status(), StatusCode::CREATED, "{}", asked.text().await.unwrap());
    app.notify.drain(10).await.unwrap();
    for (i, address) in addresses.iter().enumerate() {
        let mail = smtp.mails().into_iter().find(|m| m["to"][0] == *address).expect("a mail to each voucher");
        assert_eq!(mail["from"], "mai@quiet.example.net", "the neutral sender");
        let all = format!("{} {}", mail["subject"], mail["body"]);
        // Burmese, the member's first language; nothing of the case, nor who else was asked.
        assert!(all.contains("lang=my"), "{all}");
        for word in ["grant-narrative-7171", "grant-contact-8181", &w.reference, "Shelter", "Detained", QUESTION]
            .into_iter()
            .chain(names.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, n)| *n))
        {
            assert!(!all.contains(word), "{word} in the notice: {all}");
        }
    }
    let links: Vec<String> = addresses.iter().map(|a| link_to(&smtp, a)).collect();
    assert_eq!(links.iter().collect::<std::collections::BTreeSet<_>>().len(), 4, "a link of one's own");

    // The page: the question, nothing of the case, not the other vouchers.
    let (status, page) = open(&app, &links[0]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(QUESTION), "the question is shown");
    for word in
        ["grant-narrative-7171", "grant-contact-8181", &w.reference, "arrest", names[1], names[2], "Urgent action fund"]
    {
        assert!(!page.contains(word), "{word} on the voucher's page");
    }

    // One answer per link; opening it changes nothing (mail scanners open links).
    assert_eq!(open(&app, &links[0]).await.0, StatusCode::OK);
    let (status, _) = answer(&app, &links[0], "confirm", "I trained with her in 2014").await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = answer(&app, &links[0], "concerned", "changed my mind").await;
    assert_eq!(status, StatusCode::GONE, "a link works once");
    assert!(page.contains(&burmese("vouch-answered")), "said in the voucher's language");
    assert_eq!(open(&app, &links[0]).await.0, StatusCode::GONE);
    let answers: Vec<String> = sqlx::query_scalar("select answer from vouch_invite where answer is not null")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(answers, ["confirm"], "the second answer changed nothing");

    let one = approve(&app, &w.supervisors[0], &grant).await;
    assert_eq!(one.status(), StatusCode::CONFLICT, "tier B with one confirmation");
    assert!(one.text().await.unwrap().contains("1 so far"));

    // A bad answer changes nothing and keeps what was typed.
    let (status, page) = answer(&app, &links[1], "maybe", "She moved to Mae Sot").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("She moved to Mae Sot"), "the comment is kept");
    let (status, _) = answer(&app, &links[1], "concerned", "She moved to Mae Sot last year").await;
    assert_eq!(status, StatusCode::OK);
    let sealed: Vec<Vec<u8>> =
        sqlx::query_scalar("select comment_sealed from vouch_invite where comment_sealed is not null")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert!(sealed.iter().all(|s| !String::from_utf8_lossy(s).contains("Mae Sot")), "comments are sealed");
    assert_eq!(
        approve(&app, &w.supervisors[0], &grant).await.status(),
        StatusCode::CONFLICT,
        "a concern is no confirmation"
    );

    assert_eq!(answer(&app, &links[2], "confirm", "").await.0, StatusCode::OK);
    let cancelled = approve(&app, &w.supervisors[0], &grant).await;
    assert_eq!(cancelled.status(), StatusCode::CONFLICT, "two confirmations, one concern: one stands");
    assert!(cancelled.text().await.unwrap().contains("1 so far"));
    assert_eq!(answer(&app, &links[3], "confirm", "").await.0, StatusCode::OK);
    assert!(approve(&app, &w.supervisors[0], &grant).await.status().is_success());
    assert!(approve(&app, &w.supervisors[1], &grant).await.status().is_success());

    // The approver reads the attestations: who, what, the comments, the concern.
    let view: Value = grant_as(&app, &w.supervisors[2], &grant).await;
    assert_eq!(view["status"], "approved");
    assert_eq!(view["verification"]["confirmations"], 3);
    assert_eq!(view["verification"]["concerns"], 1);
    assert_eq!(view["verification"]["standing"], 2);
    assert_eq!(view["verification"]["requests"][0]["question"], QUESTION);
    let comments: Vec<&str> = view["verification"]["requests"][0]["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["comment"].as_str())
        .collect();
    assert!(comments.contains(&"She moved to Mae Sot last year"), "{view}");
    // Finance pays without reading any of it.
    let finance: Value = grant_as(&app, &w.finance[0], &grant).await;
    assert!(finance["verification"].is_null(), "{finance}");

    // Each answer is in the trail, by the voucher; the asker heard of each.
    let by_vouchers: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where actor_kind = 'voucher' and action = 'case.vouch_answered'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(by_vouchers, 4);
    let told: i64 = sqlx::query_scalar(
        "select count(*) from notice_delivery d join notice n using (notice_id)
         where n.kind = 'vouch_answered' and d.staff_user_id = $1 and d.channel = 'in_app'",
    )
    .bind(w.handler.user.id.parse::<Uuid>().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(told, 4);
}

#[tokio::test]
async fn one_person_counts_once_the_person_the_case_concerns_counts_for_nothing_and_staff_never_vouch() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    // Two records, one mailbox (a duplicate, or a record made for the occasion).
    let first = add_member(&app, &w.admin, "Aung Min", "same@mail.example.net").await;
    let second = add_member(&app, &w.admin, "အောင်မင်း", "Same@Mail.example.net").await;
    let twice = ask(&app, &w, &w.handler, &[&first, &second], &[]).await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.text().await.unwrap().contains("same address"));
    assert_eq!(ask(&app, &w, &w.handler, &[&first], &[]).await.status(), StatusCode::CREATED);
    assert_eq!(ask(&app, &w, &w.handler, &[&second], &[]).await.status(), StatusCode::CREATED, "asked again later");
    // A record carrying a staff member's own address is no outsider.
    let own = add_member(&app, &w.admin, "Handler Alias", &w.handler.user.email.to_uppercase()).await;
    let refused = ask(&app, &w, &w.handler, &[&own], &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("staff account's address"));
    // Nobody detained is sent a question about someone else.
    let detained = json!({"names": ["Ko Detained"], "country": "MM", "cohort_year": 2014, "contact": "det@mail.example.net",
                          "status": {"status": "detained", "date": "2026-01-05"}});
    let added = app
        .post_json("/api/v1/alumni", Some(&w.admin.token), &detained)
        .await
        .expect_status(StatusCode::CREATED, "add an alumni member")
        .await;
    let detained_id = added.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(ask(&app, &w, &w.handler, &[&detained_id], &[]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let subject = add_member(&app, &w.admin, "Daw Subject", "subject@mail.example.net").await;
    assert_eq!(ask(&app, &w, &w.handler, &[&subject], &[]).await.status(), StatusCode::CREATED);
    app.notify.drain(10).await.unwrap();
    let same: Vec<Value> = smtp.mails().into_iter().filter(|m| m["to"][0] == "same@mail.example.net").collect();
    assert_eq!(same.len(), 2, "one mail per question");
    for mail in &same {
        let body = mail["body"].as_str().unwrap().replace("\r\n", "\n");
        let start = body.find("/vouch/").unwrap();
        let path = body[start..].split_whitespace().next().unwrap().to_owned();
        assert_eq!(answer(&app, &path, "confirm", "").await.0, StatusCode::OK);
    }
    assert_eq!(answer(&app, &link_to(&smtp, "subject@mail.example.net"), "confirm", "").await.0, StatusCode::OK);
    let grant = propose(&app, &w, "3,000.00").await;
    let verification = |app: &TestApp| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/cases/{}/vouch-requests", app.address, w.case_id);
        let token = w.handler.token.clone();
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .expect_json(StatusCode::OK, "read the verification")
                .await
        }
    };
    assert_eq!(verification(&app).await["confirmations"], 2, "one mailbox is one person, twice asked");
    assert!(approve(&app, &w.supervisors[0], &grant).await.status().is_success(), "two people confirmed");

    // The requester turns out to be Daw Subject: her own confirmation stops counting.
    let link = json!({"member_id": subject, "rationale": "The requester is this member"});
    let linked =
        app.post_json(&format!("/api/v1/cases/{}/alumni", w.case_id), Some(&w.supervisors[2].token), &link).await;
    assert!(linked.status().is_success());
    let now = verification(&app).await;
    assert_eq!(now["confirmations"], 1, "{now}");
    let subject_line = now["requests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["vouchers"].as_array().unwrap().clone())
        .find(|v| v["name"].as_str().unwrap().starts_with("Daw Subject"))
        .unwrap();
    assert_eq!(subject_line["counts"], false);
    let second_approval = approve(&app, &w.supervisors[1], &grant).await;
    assert_eq!(second_approval.status(), StatusCode::CONFLICT, "the tier B grant now lacks a confirmation");
}

#[tokio::test]
async fn a_link_expires_a_forged_one_opens_nothing_and_a_closed_case_takes_no_answer() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    let first = add_member(&app, &w.admin, "Ko Min Expire", "min@mail.example.net").await;
    let second = add_member(&app, &w.admin, "Ma Aye Closed", "aye@mail.example.net").await;
    assert_eq!(ask(&app, &w, &w.handler, &[&first], &[]).await.status(), StatusCode::CREATED);
    app.notify.drain(10).await.unwrap();
    let expiring = link_to(&smtp, "min@mail.example.net");

    // A forged or damaged link opens nothing, and says so the same way as an unknown one.
    let token = expiring.trim_start_matches("/vouch/").split('?').next().unwrap().to_owned();
    let mut damaged = token.clone().into_bytes();
    damaged[3] = if damaged[3] == b'A' { b'B' } else { b'A' };
    let damaged = String::from_utf8(damaged).unwrap();
    for path in [format!("/vouch/{damaged}"), format!("/vouch/{}", Uuid::new_v4()), "/vouch/x".to_owned()] {
        let (status, page) = open(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.contains("does not work"));
        assert_eq!(answer(&app, &path, "confirm", "").await.0, StatusCode::NOT_FOUND);
    }

    app.clock.advance(chrono::Duration::hours(72) + chrono::Duration::minutes(1));
    let (status, page) = open(&app, &expiring).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains(&burmese("vouch-closed")));
    assert_eq!(answer(&app, &expiring, "confirm", "").await.0, StatusCode::GONE);
    let answered: i64 = sqlx::query_scalar("select count(*) from vouch_invite where answer is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(answered, 0, "an expired link records nothing");

    // A question about a case that closed takes no answer. (Seventy-two hours ended the
    // handler's session: they sign in again.)
    let handler = Member { token: app.token(&w.handler.user).await, user: w.handler.user.clone() };
    assert_eq!(ask(&app, &w, &handler, &[&second], &[]).await.status(), StatusCode::CREATED);
    app.notify.drain(10).await.unwrap();
    let closing = link_to(&smtp, "aye@mail.example.net");
    let close = json!({"outcome": "resolved", "rationale": "Released without charge"});
    let closed = app.post_json(&format!("/api/v1/cases/{}/close", w.case_id), Some(&handler.token), &close).await;
    assert_eq!(closed.status(), StatusCode::OK, "{}", closed.text().await.unwrap());
    assert_eq!(open(&app, &closing).await.0, StatusCode::GONE);
    assert_eq!(answer(&app, &closing, "confirm", "").await.0, StatusCode::GONE);
    let late = ask(&app, &w, &handler, &[&first], &[]).await;
    assert_eq!(late.status(), StatusCode::FORBIDDEN, "nobody is asked about a closed case");
}

#[tokio::test]
async fn links_are_throttled_per_address() {
    let mut settings = test_settings();
    settings.sign_in_per_minute = 3;
    let app = TestApp::spawn_with(settings).await;
    for _ in 0..3 {
        assert_eq!(open(&app, "/vouch/guess").await.0, StatusCode::NOT_FOUND);
    }
    let refused = app.get("/vouch/guess").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(answer(&app, "/vouch/guess", "confirm", "").await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn only_who_works_the_case_asks_only_outsiders_vouch_and_never_the_person_it_concerns() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    let member_id = add_member(&app, &w.admin, "Daw Mya Self", "mya@mail.example.net").await;
    let other = add_member(&app, &w.admin, "U Ba Other", "ba@mail.example.net").await;
    let unreachable = add_member(&app, &w.admin, "Ko Signal Only", "signal +95 9 1234 5678").await;

    // Another handler sees only the preview; finance and administrators never ask.
    let stranger = member(&app, Role::Handler).await;
    assert_eq!(ask(&app, &w, &stranger, &[&other], &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ask(&app, &w, &w.finance[0], &[&other], &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(ask(&app, &w, &w.admin, &[&other], &[]).await.status(), StatusCode::FORBIDDEN);

    // Without a messenger bridge, a member with only a Signal number cannot be reached.
    let refused = ask(&app, &w, &w.handler, &[&unreachable], &[]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Ko Signal Only cannot be asked: Shelter cannot send them a link"));

    // The person the case concerns does not vouch for themselves.
    let link = json!({"member_id": member_id, "rationale": "The requester is this member"});
    let linked =
        app.post_json(&format!("/api/v1/cases/{}/alumni", w.case_id), Some(&w.supervisors[0].token), &link).await;
    assert!(linked.status().is_success(), "{}", linked.text().await.unwrap());
    let own = ask(&app, &w, &w.handler, &[&member_id], &[]).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.text().await.unwrap().contains("nobody vouches for themselves"));

    // A partner account that also works cases inside the network is no outside voucher.
    let inside = app.staff(&[Role::Partner, Role::Handler]).await;
    let outside = app.staff(&[Role::Partner]).await;
    let partner: Uuid = sqlx::query_scalar(
        "insert into partner (partner_id, name, kind, countries, created_at, updated_at)
         values (gen_random_uuid(), 'Yangon Legal Aid', 'organisation', '{MM}', now(), now()) returning partner_id",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    for user in [&inside, &outside] {
        sqlx::query("update staff_user set partner_id = $1 where staff_user_id = $2")
            .bind(partner)
            .bind(user.id.parse::<Uuid>().unwrap())
            .execute(&app.db)
            .await
            .unwrap();
    }
    let contacts: Value = app
        .client
        .get(format!("{}/api/v1/vouch-partners", app.address))
        .bearer_auth(&w.handler.token)
        .send()
        .await
        .unwrap()
        .expect_json(StatusCode::OK, "read the vouching partners")
        .await;
    let listed: Vec<&str> = contacts.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(listed, [outside.id.as_str()], "{contacts}");
    let inside_id = inside.id.clone();
    assert_eq!(ask(&app, &w, &w.handler, &[], &[&inside_id]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let outside_id = outside.id.clone();
    let asked = ask(&app, &w, &w.handler, &[&other], &[&outside_id]).await;
    assert_eq!(asked.status(), StatusCode::CREATED, "{}", asked.text().await.unwrap());

    // Bad input changes nothing.
    let before: i64 = sqlx::query_scalar("select count(*) from vouch_request").fetch_one(&app.db).await.unwrap();
    for body in [
        json!({"question": "Short", "members": [other]}),
        json!({"question": QUESTION, "members": []}),
        json!({"question": QUESTION, "members": ["not-a-uuid"]}),
        json!({"question": QUESTION, "members": [Uuid::new_v4()]}),
        json!({"question": QUESTION, "members": [other], "narrative": "extra field"}),
    ] {
        let response =
            app.post_json(&format!("/api/v1/cases/{}/vouch-requests", w.case_id), Some(&w.handler.token), &body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let after: i64 = sqlx::query_scalar("select count(*) from vouch_request").fetch_one(&app.db).await.unwrap();
    assert_eq!(before, after);
}
