//! `/staff/grants` and the grants on a case page, one file per page: the case page's section
//! and the proposal (case), the register and its export, one grant with the forms its reader
//! may use (page) and what those forms do (act). Every form works without JavaScript. What
//! grants wait on the reader is part of the home's list (`super::homes`).

use axum::Router;
use axum::routing::{get, post};

use shelter_frontend::pages::staff::grants::mword;
use shelter_frontend::reader::Reader;

use crate::grants::money;
use crate::http::{AppError, AppState};

mod act;
mod case;
mod page;
mod register;

pub use case::{case_lines, propose_choices};

/// The grant page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/grants", get(register::show_register))
        .route("/staff/grants/export", post(register::export))
        .route("/staff/grants/{grant_id}", get(page::show_grant))
        .route("/staff/grants/{grant_id}/{action}", post(act::act))
        .route("/staff/cases/{case_id}/grants", post(case::propose))
}

pub(super) fn shown(minor: i64, currency: &str) -> Result<String, AppError> {
    Ok(money(minor, currency)?.to_string())
}

/// How a grant is named to people: by its case's reference and category for readers who
/// may see the case, else by category and payee alias (never a fragment of its id).
pub(super) fn grant_name(r: Reader, case_reference: Option<&str>, category: &str, payee_alias: &str) -> String {
    let category = mword(r, "category", category);
    match case_reference {
        Some(reference) => r.t_texts("grant-name-case", &[("reference", reference), ("category", &category)]),
        None => r.t_texts("grant-name-alias", &[("category", &category), ("alias", payee_alias)]),
    }
}
