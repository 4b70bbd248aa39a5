//! The administrator's part of the home page: accounts waiting for confirmation, notices
//! that could not be delivered, and the key and backup state (`shelter doctor`'s checks).
//! Each line says in words whether it is fine or needs attention, never by colour alone.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::reader::Reader;

/// An account waiting for a supervisor's confirmation.
#[derive(Debug, Clone)]
pub struct PendingLine {
    /// Its holder's name.
    pub name: String,
    /// Its roles, in words.
    pub roles: String,
    /// Its second factor was reset (else it is new).
    pub reset: bool,
    /// Its holder has not enrolled yet.
    pub enrolling: bool,
}

/// The newest backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backups {
    /// No backup folder configured.
    NotConfigured,
    /// The folder cannot be read.
    Unreadable,
    /// No backup in it.
    NoneYet,
    /// The newest backup's age.
    Newest {
        /// Hours.
        hours: u64,
        /// Older than allowed.
        too_old: bool,
    },
}

/// What the administrator's section shows.
#[derive(Debug, Clone)]
pub struct AdminSection {
    /// Accounts waiting for confirmation.
    pub pending: Vec<PendingLine>,
    /// Notice deliveries given up on.
    pub failed_notices: usize,
    /// The key file passes the doctor's check.
    pub key_file_safe: bool,
    /// Where it is.
    pub key_file: String,
    /// The newest backup.
    pub backups: Backups,
    /// The age past which a backup is too old, in hours.
    pub backup_max_age_hours: u64,
    /// A key rotation started then and has not finished.
    pub rotation_started: Option<DateTime<Utc>>,
}

/// One line of the state table: what, whether it is fine, and the detail.
fn line(r: Reader, what: &str, fine: bool, detail: String) -> impl IntoView + use<> {
    let verdict = if fine { r.t("hw-admin-fine") } else { r.t("hw-admin-attention") };
    let class = if fine { "fine" } else { "attention" };
    view! { <tr class=class><th scope="row">{r.t(what)}</th><td><strong>{verdict}</strong></td><td>{detail}</td></tr> }
}

/// Renders the administrator's section.
pub fn section(r: Reader, page: AdminSection) -> impl IntoView + use<> {
    let pending = if page.pending.is_empty() {
        view! { <p class="quiet">{r.t("hw-admin-no-pending")}</p> }.into_any()
    } else {
        let items = page
            .pending
            .into_iter()
            .map(|p| {
                let what = match (p.enrolling, p.reset) {
                    (true, _) => r.t("hw-admin-pending-enrolling"),
                    (false, true) => r.t("hw-admin-pending-reset"),
                    (false, false) => r.t("hw-admin-pending-new"),
                };
                view! { <li><a href="/staff/users"><strong>{p.name}</strong>" (" {p.roles} "): " {what}</a></li> }
            })
            .collect_view();
        view! { <ul class="waiting">{items}</ul> }.into_any()
    };
    let notices = if page.failed_notices == 0 {
        line(r, "hw-admin-notices", true, r.t("hw-admin-no-failed")).into_any()
    } else {
        let text = r.t_num("hw-admin-failed", "count", page.failed_notices);
        view! {
            <tr class="attention"><th scope="row">{r.t("hw-admin-notices")}</th><td><strong>{r.t("hw-admin-attention")}</strong></td>
            <td><a href="/staff/notices">{text}</a></td></tr>
        }
        .into_any()
    };
    let key_detail = if page.key_file_safe { "hw-admin-key-ok" } else { "hw-admin-key-problem" };
    let key = line(r, "hw-admin-key", page.key_file_safe, r.t_text(key_detail, "path", &page.key_file));
    let max = page.backup_max_age_hours.to_string();
    let (fine, detail) = match page.backups {
        Backups::NotConfigured => (false, r.t("hw-admin-backup-unset")),
        Backups::Unreadable => (false, r.t("hw-admin-backup-unreadable")),
        Backups::NoneYet => (false, r.t("hw-admin-backup-none")),
        Backups::Newest { hours, too_old } => {
            let id = if too_old { "hw-admin-backup-old" } else { "hw-admin-backup-age" };
            (!too_old, r.t_texts(id, &[("hours", &hours.to_string()), ("max", &max)]))
        }
    };
    let backups = line(r, "hw-admin-backups", fine, detail);
    let rotation = match page.rotation_started {
        None => line(r, "hw-admin-rotation", true, r.t("hw-admin-no-rotation")),
        Some(at) => line(r, "hw-admin-rotation", false, r.t_text("hw-admin-rotating", "since", &r.time(at))),
    };
    view! {
        <section aria-labelledby="admin-title">
            <h2 id="admin-title">{r.t("hw-admin-title")}</h2>
            <h3>{r.t("hw-admin-pending-title")}</h3>
            {pending}
            <h3>{r.t("hw-admin-state-title")}</h3>
            <div class="table-wrap"><table class="admin-state">
                <thead><tr><th scope="col">{r.t("hw-admin-what")}</th><th scope="col">{r.t("hw-admin-verdict")}</th><th scope="col">{r.t("hw-admin-detail")}</th></tr></thead>
                <tbody>{notices}{key}{backups}{rotation}</tbody>
            </table></div>
        </section>
    }
}
