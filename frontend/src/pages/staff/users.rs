//! Staff accounts: list, create, disable, unlock, reset the second factor, link a partner
//! account to its organisation. Every word comes from the reader's catalogue.

use leptos::prelude::*;

use super::{Nav, csrf_field, error_line, nav, notice_line};
use crate::layout::{PageMeta, document};
use crate::reader::Reader;

/// Why the reader may not disable an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDisable {
    /// It is the reader's own account.
    Yourself,
    /// It is the last active administrator.
    LastAdministrator,
}

/// One account in the list.
#[derive(Debug, Clone)]
pub struct UserLine {
    /// Id.
    pub id: String,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role codes (`handler`, `admin`…), shown in words.
    pub roles: Vec<String>,
    /// Status code (`enrolling`, `active`, `disabled`), shown in words.
    pub status: String,
    /// Why it waits for a supervisor's confirmation (`created`, `two_factor_reset`).
    pub pending: Option<String>,
    /// The reader may confirm it (a supervisor who did not set it up).
    pub can_confirm: bool,
    /// Whether the reader may disable it (or why not); `None` once disabled.
    pub disable: Option<Result<(), NoDisable>>,
    /// A partner account: the organisation it belongs to (`Some(None)`: none yet).
    pub organisation: Option<Option<String>>,
    /// The id of that organisation, preselected in the link form.
    pub organisation_id: Option<String>,
}

/// What the page shows.
pub struct UsersPage {
    /// The navigation.
    pub nav: Nav,
    /// The session's CSRF token.
    pub csrf: String,
    /// The accounts.
    pub users: Vec<UserLine>,
    /// Partner organisations a partner account may be linked to: (id, name).
    pub organisations: Vec<(String, String)>,
    /// The reader's second factor is fresh (administrative powers need it).
    pub fresh: bool,
    /// May create, disable, reset and link (administrators).
    pub can_manage: bool,
    /// A one-time enrolment code just issued: (e-mail, code).
    pub issued_code: Option<(String, String)>,
    /// A confirmation.
    pub notice: Option<String>,
    /// A problem.
    pub error: Option<String>,
}

/// The role choices of the create form.
pub const ROLES: [&str; 5] = ["handler", "supervisor", "finance", "partner", "admin"];

/// A role in words.
pub fn role_word(r: Reader, role: &str) -> String {
    if ROLES.contains(&role) { r.t(&format!("aword-v-{role}")) } else { role.to_owned() }
}

/// An account's status in words.
pub fn status_word(r: Reader, status: &str) -> String {
    match status {
        "enrolling" | "active" | "disabled" => r.t(&format!("adm-status-{status}")),
        other => other.to_owned(),
    }
}

fn pending_word(r: Reader, reason: &str) -> String {
    match reason {
        "two_factor_reset" => r.t("adm-pending-reset"),
        _ => r.t("adm-pending-created"),
    }
}

fn post_button(csrf: &str, action: String, label: String) -> impl IntoView + use<> {
    view! { <form method="post" action=action class="inline">{csrf_field(csrf)}<button type="submit">{label}</button></form> }
}

fn disable_form(r: Reader, csrf: &str, u: &UserLine) -> AnyView {
    match u.disable {
        Some(Ok(())) => {
            let action = format!("/staff/users/{}/disable", u.id);
            let understand = r.t_text("adm-disable-understand", "name", &u.name);
            view! {
                <form method="post" action=action class="inline">{csrf_field(csrf)}
                    <label class="check"><input type="checkbox" name="confirm" value="yes" required />" " {understand}</label>
                    " " <button type="submit">{r.t("adm-disable")}</button></form>
            }
            .into_any()
        }
        Some(Err(why)) => {
            let text = match why {
                NoDisable::Yourself => r.t("adm-disable-not-yourself"),
                NoDisable::LastAdministrator => r.t("adm-disable-not-last-admin"),
            };
            view! { <span class="quiet">{text}</span> }.into_any()
        }
        None => ().into_any(),
    }
}

/// The form linking a partner account to its organisation (administrators).
fn link_form(r: Reader, csrf: &str, u: &UserLine, organisations: &[(String, String)]) -> impl IntoView + use<> {
    let action = format!("/staff/users/{}/partner", u.id);
    let select_id = format!("org-{}", u.id);
    let current = u.organisation_id.clone();
    let none_selected = current.is_none();
    let options = organisations
        .iter()
        .map(|(id, name)| {
            let selected = current.as_deref() == Some(id.as_str());
            view! { <option value=id.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view();
    view! {
        <form method="post" action=action class="inline">{csrf_field(csrf)}
            <label for=select_id.clone()>{r.t("adm-link-label")}</label>" "
            <select id=select_id name="partner" required>
                <option value="" selected=none_selected disabled>{r.t("adm-link-choose")}</option>{options}</select>
            " " <button type="submit">{r.t("adm-link")}</button></form>
    }
}

/// Renders the page.
pub fn render(page: UsersPage) -> String {
    let r = page.nav.reader;
    let csrf = page.csrf.clone();
    let can_manage = page.can_manage;
    let organisations = page.organisations.clone();
    let rows = page
        .users
        .into_iter()
        .map(|u| {
            let button = |verb: &str, id: &str| post_button(&csrf, format!("/staff/users/{}/{verb}", u.id), r.t(id));
            let roles = u.roles.iter().map(|role| role_word(r, role)).collect::<Vec<_>>().join(", ");
            let organisation = u.organisation.clone().map(|org| {
                let text = match org {
                    Some(name) => r.t_text("adm-organisation", "name", &name),
                    None => r.t("adm-organisation-none"),
                };
                view! { <br /><span class="quiet">{text}</span> }
            });
            let link = (can_manage && u.organisation.is_some() && u.status != "disabled")
                .then(|| link_form(r, &csrf, &u, &organisations));
            let manage = can_manage
                .then(|| view! { {disable_form(r, &csrf, &u)} {button("reset-2fa", "adm-reset-2fa")} {link} });
            let confirm = u.can_confirm.then(|| button("confirm", "adm-confirm"));
            let pending = u.pending.as_deref().map(|reason| view! { <br /><strong>{pending_word(r, reason)}</strong> });
            view! {
                <tr><td>{u.name.clone()}</td><td class="wrap">{u.email.clone()}</td><td>{roles}{organisation}</td>
                    <td>{status_word(r, &u.status)}{pending}</td>
                    <td>{button("unlock", "adm-unlock")} {manage} {confirm}</td></tr>
            }
        })
        .collect_view();
    let issued = page.issued_code.map(|(email, code)| {
        view! {
            <div class="notice" role="status">
                <p>{r.t_text("adm-code-for", "email", &email)}</p>
                <p><code class="secret">{code}</code></p>
                <p>{r.t_text("adm-code-give", "path", "/staff/enrol")}</p>
            </div>
        }
    });
    let create = page.can_manage.then(|| {
        let roles = ROLES
            .into_iter()
            .map(|role| view! { <label class="check"><input type="checkbox" name=role value="yes" />" " {role_word(r, role)}</label> })
            .collect_view();
        let organisation = (!page.organisations.is_empty()).then(|| {
            let options = page
                .organisations
                .iter()
                .map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> })
                .collect_view();
            view! {
                <div><label for="organisation">{r.t("adm-organisation-field")}</label>
                    <select id="organisation" name="organisation"><option value="">{r.t("adm-organisation-no")}</option>{options}</select></div>
            }
        });
        view! {
            <h2>{r.t("adm-add-title")}</h2>
            <form method="post" action="/staff/users">
                {csrf_field(&page.csrf)}
                <div><label for="email">{r.t("adm-email")}</label><input id="email" name="email" type="email" required maxlength="254" /></div>
                <div><label for="name">{r.t("adm-name")}</label><input id="name" name="name" required maxlength="200" /></div>
                <fieldset><legend>{r.t("adm-roles")}</legend>{roles}</fieldset>
                {organisation}
                <div><button class="primary" type="submit">{r.t("adm-create")}</button></div>
            </form>
        }
    });
    let step_up = (!page.fresh).then(|| {
        view! {
            <form method="post" action="/staff/step-up">
                {csrf_field(&page.csrf)}
                <input type="hidden" name="next" value="/staff/users" />
                <p>{r.t("adm-step-up-why")}</p>
                <div><label for="step-up-code">{r.t("adm-step-up-code")}</label>
                    <input id="step-up-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required maxlength="6" /></div>
                <div><button type="submit">{r.t("adm-step-up-confirm")}</button></div>
            </form>
        }
    });
    let title = r.t("adm-title");
    let body = view! {
        {nav(page.nav)}
        <h1>{title.clone()}</h1>
        {notice_line(page.notice.as_deref())}
        {error_line(page.error.as_deref())}
        {step_up}
        {issued}
        <table class="stacked"><thead><tr><th>{r.t("adm-name")}</th><th>{r.t("adm-email")}</th><th>{r.t("adm-roles")}</th>
            <th>{r.t("adm-status")}</th><th><span class="visually-hidden">{r.t("adm-actions")}</span></th></tr></thead>
            <tbody>{rows}</tbody></table>
        {create}
    };
    document(PageMeta { title: &title, lang: r.language.tag() }, body)
}
