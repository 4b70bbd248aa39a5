//! What the staff home pages show above the queue (or alone): everything waiting on the
//! reader, whatever their roles, and the administrator's view of the installation. Each
//! part asks the service that owns it, which asks the policy.

use shelter_frontend::pages::staff::admin_home::{AdminSection, Backups, PendingLine};
use shelter_frontend::pages::staff::waiting::{WaitingItem, WaitingKind};
use shelter_shared::grant::GrantState;
use shelter_shared::staff::Role;

use crate::grants::waiting::GrantStep;
use crate::homes::admin::BackupState;
use crate::http::api::cases::staff;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// Everything waiting on `session`'s holder, each a direct link.
pub async fn waiting(state: &AppState, session: &StaffSession) -> Result<Vec<WaitingItem>, AppError> {
    let me = staff(session);
    let item = |kind, href: String, label: Option<String>, count: usize| WaitingItem { kind, href, label, count };
    let mut items = vec![];
    for grant in state.grants.waiting_on(me).await? {
        let kind = match grant.step {
            GrantStep::Decide => WaitingKind::DecideGrant,
            GrantStep::Pay => WaitingKind::PayGrant,
        };
        items.push(item(kind, format!("/staff/grants/{}", grant.grant_id), grant.case_reference, 1));
    }
    let cases = state.cases.waiting_on(me).await?;
    for case in cases.referrals_to_approve {
        let href = format!("/staff/cases/{}#referrals", case.case_id);
        items.push(item(WaitingKind::ApproveReferral, href, Some(case.reference), case.count));
    }
    for case in cases.overdue_tasks {
        let href = format!("/staff/cases/{}#checklist", case.case_id);
        items.push(item(WaitingKind::OverdueTasks, href, Some(case.reference), case.count));
    }
    for case in cases.unread {
        let href = format!("/staff/cases/{}#messages", case.case_id);
        items.push(item(WaitingKind::UnreadMessages, href, Some(case.reference), case.count));
    }
    if policy::authorize(&session.roles, Action::WorkGrants).is_ok() {
        for (grant, status) in state.grants.reminders_for(session.user_id).await? {
            let kind =
                if status == GrantState::Disbursed { WaitingKind::GrantReceipt } else { WaitingKind::GrantReport };
            items.push(item(kind, format!("/staff/grants/{grant}"), None, 1));
        }
    }
    let mut conn = state.db.acquire().await?;
    let now = state.cases.clock.now();
    if let Some(count) = crate::homes::decisions_to_review(&mut conn, session.user_id, &session.roles, now).await?
        && count > 0
    {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        items.push(item(WaitingKind::ReviewDecisions, "/staff/audit?unreviewed=true".into(), None, count));
    }
    let to_confirm = crate::homes::accounts_to_confirm(&mut conn, session.user_id, &session.roles).await?;
    drop(conn);
    for account in &to_confirm {
        let kind = if account.reset { WaitingKind::ConfirmResetAccount } else { WaitingKind::ConfirmNewAccount };
        items.push(item(kind, "/staff/users".into(), Some(account.display_name.clone()), 1));
    }
    // Privileged accounts created or reset lately that someone else confirms (or that the
    // operator made at the shell): every supervisor keeps an eye on them.
    if policy::authorize(&session.roles, Action::ConfirmStaff).is_ok() {
        let changed = state
            .identity
            .privileged_changes(30)
            .await?
            .into_iter()
            .filter(|change| to_confirm.iter().all(|a| a.staff_user_id != change.staff_user_id))
            .count();
        if changed > 0 {
            items.push(item(WaitingKind::AccountChanged, "/staff/users".into(), None, changed));
        }
    }
    Ok(items)
}

/// The administrator's section, for those who administer accounts.
pub async fn admin_section(state: &AppState, session: &StaffSession) -> Result<Option<AdminSection>, AppError> {
    if policy::authorize(&session.roles, Action::CreateStaff).is_err() {
        return Ok(None);
    }
    let mut conn = state.db.acquire().await?;
    let home = crate::homes::admin::read(&mut conn, &state.config.housekeeping).await?;
    let r = session.reader();
    let role_words = |roles: &[String]| {
        roles
            .iter()
            .map(|role| role.parse::<Role>().map(|role| r.t(role_message(role))).unwrap_or_else(|_| role.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(Some(AdminSection {
        pending: home
            .pending
            .iter()
            .map(|p| PendingLine {
                name: p.display_name.clone(),
                roles: role_words(&p.roles),
                reset: p.reset,
                enrolling: !p.enrolled,
            })
            .collect(),
        failed_notices: usize::try_from(home.failed_notices).unwrap_or(0),
        key_file_safe: home.key_file_safe,
        key_file: home.key_file,
        backups: match home.backups {
            BackupState::NotConfigured => Backups::NotConfigured,
            BackupState::Unreadable => Backups::Unreadable,
            BackupState::NoneYet => Backups::NoneYet,
            BackupState::Newest { hours, too_old } => Backups::Newest { hours, too_old },
        },
        backup_max_age_hours: home.backup_max_age_hours,
        rotation_started: home.rotation_started,
    }))
}

/// The catalogue's word for a role.
fn role_message(role: Role) -> &'static str {
    match role {
        Role::Handler => "hw-role-handler",
        Role::Supervisor => "hw-role-supervisor",
        Role::Finance => "hw-role-finance",
        Role::Partner => "hw-role-partner",
        Role::Admin => "hw-role-admin",
    }
}
