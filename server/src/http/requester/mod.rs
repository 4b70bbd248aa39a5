//! The requester side's pages: intake, receipt, portal, quick exit, staying safe.
//! Language comes from `?lang=` in every URL; no cookie but the portal session.

pub mod exit;
pub mod intake;
pub mod local;
pub mod news;
pub mod portal;

use std::collections::BTreeMap;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use shelter_frontend::i18n::Translator;
use shelter_shared::intake::FieldError;
use shelter_shared::language::Language;

use super::AppState;

/// Every requester page route.
pub fn router() -> Router<AppState> {
    Router::new().merge(intake::router()).merge(portal::router()).merge(news::router()).merge(exit::router())
}

/// `?lang=xx`; anything unknown is English.
#[derive(Debug, Default, Deserialize)]
pub struct Lang {
    /// The tag.
    pub lang: Option<String>,
}

impl Lang {
    /// The translator for this request.
    pub fn translator(&self) -> Translator {
        Translator::new(self.lang.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or_default())
    }
}

/// A field problem in the requester's words.
pub fn field_message(t: Translator, error: FieldError) -> String {
    match error.max() {
        Some(max) => t.t_num(error.message_id(), "max", max),
        None => t.t(error.message_id()),
    }
}

/// All field problems, translated.
pub fn field_messages(t: Translator, errors: &[(&'static str, FieldError)]) -> BTreeMap<String, String> {
    errors.iter().map(|(field, error)| ((*field).to_owned(), field_message(t, *error))).collect()
}

/// An HTML page with a status.
pub fn html(status: StatusCode, page: String) -> Response {
    (status, Html(page)).into_response()
}
