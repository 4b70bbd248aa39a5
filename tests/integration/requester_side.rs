//! The requester's side as a frightened person on a borrowed phone lives it: Chromium with
//! JavaScript off on a 360 px screen, in every language (issue 21).

use fantoccini::Locator;

use crate::browser::Browser;
use crate::helpers::{TestApp, test_settings};

/// A neutral site on this machine for the quick exit to leave to.
async fn neutral_site() -> String {
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { axum::response::Html("<!DOCTYPE html><title>Weather</title><h1>Weather</h1>") }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// An application whose quick exit leaves for [`neutral_site`].
async fn app_with_exit() -> (TestApp, String) {
    let neutral = neutral_site().await;
    let mut settings = test_settings();
    settings.quick_exit_url = neutral.clone();
    (TestApp::spawn_with(settings).await, neutral)
}

const STORY: &str = "They took my brother from the market this morning";

#[tokio::test]
async fn after_a_quick_exit_back_shows_nothing_typed() {
    let (app, neutral) = app_with_exit().await;
    let browser = Browser::start().await;
    for lang in ["en", "my"] {
        browser.client.goto(&format!("{}/request?lang={lang}", app.address)).await.unwrap();
        browser.fill("textarea[name=narrative]", STORY).await;
        browser.fill("input[name=place]", "Hpakant market").await;
        browser.click("a.exit").await;
        browser.wait_for_url(|url| url.as_str() == neutral).await;
        browser.client.back().await.unwrap();
        browser.wait_for_url(|url| url.path() == "/request").await;
        browser.client.wait().for_element(Locator::Css("textarea[name=narrative]")).await.unwrap();
        let narrative = browser.client.find(Locator::Css("textarea[name=narrative]")).await.unwrap();
        assert_eq!(narrative.prop("value").await.unwrap().as_deref(), Some(""), "{lang}: the story came back");
        let place = browser.client.find(Locator::Css("input[name=place]")).await.unwrap();
        assert_eq!(place.prop("value").await.unwrap().as_deref(), Some(""), "{lang}: the place came back");
        let source = browser.client.source().await.unwrap();
        assert!(!source.contains("brother") && !source.contains("Hpakant"), "{lang}: typed text in the DOM");
    }
    browser.client.close().await.unwrap();
}
