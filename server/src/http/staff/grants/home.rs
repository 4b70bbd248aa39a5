//! What grants wait on the reader, for their home page.

use shelter_shared::grant::GrantState;
use shelter_shared::staff::Role;

use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

/// Grants waiting on `session`: decisions and frozen grants for supervisors, payments for finance.
pub async fn waiting(state: &AppState, session: &StaffSession) -> Result<Vec<(String, String)>, AppError> {
    let (supervisor, finance) = (session.roles.contains(&Role::Supervisor), session.roles.contains(&Role::Finance));
    let r = session.reader();
    let mut links = vec![];
    if session.roles.contains(&Role::Handler) {
        for (grant, status) in state.grants.reminders_for(session.user_id).await? {
            let text = if status == GrantState::Disbursed {
                r.t("grant-home-unconfirmed")
            } else {
                r.t("grant-home-report-due")
            };
            links.push((format!("/staff/grants/{grant}"), text));
        }
    }
    if !supervisor && !finance {
        return Ok(links);
    }
    let pending = state.grants.pending().await?;
    let mut add = |count: i64, status: &str, id: &str| {
        if count > 0 {
            let text = r.t_num(id, "count", usize::try_from(count).unwrap_or(usize::MAX));
            links.push((format!("/staff/grants?status={status}"), text));
        }
    };
    if supervisor {
        add(pending.awaiting_decision, "proposed", "grant-home-awaiting-decision");
        add(pending.awaiting_ratification, "provisionally_approved", "grant-home-awaiting-ratification");
        add(pending.frozen, "frozen", "grant-home-frozen");
    }
    if finance {
        add(pending.to_pay, "approved", "grant-home-to-pay");
        add(pending.awaiting_ratification, "provisionally_approved", "grant-home-provisional-payable");
    }
    Ok(links)
}
