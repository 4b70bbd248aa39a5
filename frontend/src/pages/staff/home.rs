//! The staff home page.

use leptos::prelude::*;

use super::{Nav, nav};
use crate::layout::{PageMeta, document};

/// What the home page shows.
pub struct StaffHome {
    /// The navigation.
    pub nav: Nav,
    /// The person's roles, in words.
    pub roles: Vec<String>,
    /// What waits on them.
    pub waiting: Vec<super::waiting::WaitingItem>,
    /// The administrator's part, for administrators.
    pub admin: Option<super::admin_home::AdminSection>,
}

/// Renders the staff home page.
pub fn render(page: StaffHome) -> String {
    let name = page.nav.name.clone();
    let r = page.nav.reader;
    let roles = page.roles.join(", ");
    let body = view! {
        {nav(page.nav)}
        <h1>"Welcome, " {name}</h1>
        <p>"You are signed in as: " {roles}"."</p>
        {super::waiting::section(r, page.waiting)}
        {page.admin.map(|admin| super::admin_home::section(r, admin))}
        <p class="quiet">"Sessions end after 15 minutes without activity and after 12 hours at most."</p>
    };
    document(PageMeta { title: "Staff", lang: "en" }, body)
}
