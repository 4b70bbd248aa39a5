//! What grants wait on the reader, for their home page.

use shelter_shared::grant::GrantState;
use shelter_shared::staff::Role;

use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

/// Grants waiting on `session`: decisions and frozen grants for supervisors, payments for finance.
pub async fn waiting(state: &AppState, session: &StaffSession) -> Result<Vec<(String, String)>, AppError> {
    let (supervisor, finance) = (session.roles.contains(&Role::Supervisor), session.roles.contains(&Role::Finance));
    let mut links = vec![];
    if session.roles.contains(&Role::Handler) {
        for (grant, status) in state.grants.reminders_for(session.user_id).await? {
            let text = if status == GrantState::Disbursed {
                "A payment has gone unconfirmed for two weeks: ask whether it arrived"
            } else {
                "A grant's report on its use is due"
            };
            links.push((format!("/staff/grants/{grant}"), text.to_owned()));
        }
    }
    if !supervisor && !finance {
        return Ok(links);
    }
    let pending = state.grants.pending().await?;
    let mut add = |count: i64, status: &str, one: &str, many: &str| {
        if count > 0 {
            let text = if count == 1 { one.to_owned() } else { format!("{count} {many}") };
            links.push((format!("/staff/grants?status={status}"), text));
        }
    };
    if supervisor {
        add(
            pending.awaiting_decision,
            "proposed",
            "1 grant proposal awaits a decision",
            "grant proposals await a decision",
        );
        add(
            pending.awaiting_ratification,
            "provisionally_approved",
            "1 provisional approval awaits ratification",
            "provisional approvals await ratification",
        );
        add(
            pending.frozen,
            "frozen",
            "1 grant is frozen: its provisional approval went unratified",
            "grants are frozen: provisional approvals went unratified",
        );
    }
    if finance {
        add(pending.to_pay, "approved", "1 approved grant awaits payment", "approved grants await payment");
        add(
            pending.awaiting_ratification,
            "provisionally_approved",
            "1 provisionally approved grant may be paid",
            "provisionally approved grants may be paid",
        );
    }
    Ok(links)
}
