//! The staff home page.

use leptos::prelude::*;

use super::{Nav, nav};
use crate::layout::{PageMeta, document};
use crate::words;

/// What the home page shows.
pub struct StaffHome {
    /// The navigation.
    pub nav: Nav,
    /// The person's roles, as codes (`handler`).
    pub roles: Vec<String>,
    /// What waits on them.
    pub waiting: Vec<super::waiting::WaitingItem>,
    /// The administrator's part, for administrators.
    pub admin: Option<super::admin_home::AdminSection>,
}

/// Renders the staff home page.
pub fn render(page: StaffHome) -> String {
    let r = page.nav.reader;
    let name = page.nav.name.clone();
    let roles = words::roles(r, &page.roles);
    let title = r.t("home-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{r.t_text("home-welcome", "name", &name)}</h1>
        <p>{r.t_text("home-signed-in-as", "roles", &roles)}</p>
        {super::waiting::section(r, page.waiting)}
        {page.admin.map(|admin| super::admin_home::section(r, admin))}
        <p class="quiet">{r.t("home-sessions")}</p>
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
