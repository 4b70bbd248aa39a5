//! Attachments: typed by content, photo metadata removed, sealed, limited in size and number.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use shelter_server::cases::crypto::CaseKey;

use crate::helpers::TestApp;
use crate::staff::Expect as _;

/// A tiny but well-formed JPEG carrying an EXIF segment with a recognisable "GPS" marker.
pub(crate) fn jpeg_with_exif() -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    jpeg.extend([0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    let exif = b"Exif\0\0GPS-SECRET-MARKER 16.8409N 96.1735E";
    let len = (exif.len() + 2) as u16;
    jpeg.extend([0xFF, 0xE1]);
    jpeg.extend(len.to_be_bytes());
    jpeg.extend(exif);
    jpeg.extend([0xFF, 0xFE, 0x00, 0x0A]);
    jpeg.extend(b"COMMENTS");
    jpeg.extend([0xFF, 0xDB, 0x00, 0x43, 0x00]);
    jpeg.extend([1u8; 64]);
    jpeg.extend([0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]);
    jpeg.extend([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    jpeg.extend([0x00, 0x11, 0x22]);
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}

async fn requester_token(app: &TestApp) -> String {
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "photos of the eviction", "country": "KH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    app.requester_token(&filed["reference"], &filed["passphrase"]).await
}

pub(crate) async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    app.client
        .post(format!("{}/api/v1/requester/attachments", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn stored(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from case_attachment").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_photo_loses_its_metadata_and_is_sealed() {
    let app = TestApp::spawn().await;
    let token = requester_token(&app).await;
    let original = jpeg_with_exif();
    let response = upload(&app, &token, "../ဓာတ်ပုံ GPS.JPG", original.clone()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let (case_id, sealed_key, media, sha, content, name): (uuid::Uuid, Vec<u8>, String, Vec<u8>, Vec<u8>, Vec<u8>) =
        sqlx::query_as(
            "select c.case_id, c.sealed_key, a.media_type, a.original_sha256, a.content_sealed, a.name_sealed
         from case_attachment a join cases c using (case_id)",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(media, "image/jpeg");
    let expected: [u8; 32] = sha2::Sha256::digest(&original).into();
    assert_eq!(sha, expected.to_vec(), "SHA-256 of the original recorded");
    assert!(!content.windows(10).any(|w| w == b"GPS-SECRET"), "sealed at rest");
    let key = CaseKey::open(&app.identity.keys, case_id, &sealed_key).unwrap();
    let attachment_id: uuid::Uuid =
        sqlx::query_scalar("select attachment_id from case_attachment").fetch_one(&app.db).await.unwrap();
    let plain = key.open_field(&format!("attachment:{attachment_id}"), &content).unwrap();
    assert!(plain.starts_with(&[0xFF, 0xD8]) && plain.ends_with(&[0xFF, 0xD9]), "still a JPEG");
    assert!(!plain.windows(10).any(|w| w == b"GPS-SECRET"), "EXIF removed");
    assert!(!plain.windows(8).any(|w| w == b"COMMENTS"), "comments removed");
    assert!(plain.windows(4).any(|w| w == b"JFIF"), "the JFIF header stays");
    let name = key.open_text(&format!("attachment-name:{attachment_id}"), &name).unwrap();
    assert_eq!(name, "GPS.jpg");
}

use sha2::Digest;

#[tokio::test]
async fn files_are_typed_by_content_limited_in_size_and_number() {
    let app = TestApp::spawn().await;
    let token = requester_token(&app).await;
    let exe = b"MZ\x90\x00\x03\x00\x00\x00 this is a program".to_vec();
    assert_eq!(upload(&app, &token, "photo.jpg", exe).await.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    assert_eq!(upload(&app, &token, "court.pdf", html).await.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(1024 * 1024 + 10, b'x');
    assert_eq!(upload(&app, &token, "big.pdf", big).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(stored(&app).await, 0, "nothing stored");
    for i in 0..3 {
        let response = upload(&app, &token, &format!("order{i}.pdf"), b"%PDF-1.7\n1 0 obj\n".to_vec()).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let fourth = upload(&app, &token, "order4.pdf", b"%PDF-1.7\n".to_vec()).await;
    assert_eq!(fourth.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(fourth.text().await.unwrap().contains('3'));
    assert_eq!(stored(&app).await, 3);
}

#[tokio::test]
async fn the_portal_page_takes_a_file_with_its_token() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "help", "country": "TH", "language": "th"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    app.portal_form(&browser, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap())
        .await
        .expect_status(StatusCode::SEE_OTHER, "portal sign-in")
        .await;
    let page = browser
        .get(format!("{}/status/case?lang=th", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=th")
        .await;
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let csrf = crate::staff::csrf_in(&page);
    let send = |csrf: String| {
        let form = Form::new().text("csrf", csrf).part("file", Part::bytes(jpeg_with_exif()).file_name("x.jpg"));
        browser.post(format!("{}/status/attachments?lang=th", app.address)).multipart(form).send()
    };
    assert_eq!(send("forged".into()).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(stored(&app).await, 0);
    let response = send(csrf).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored(&app).await, 1);
}
