//! The one place that decides who may do what. Deny by default: an action not listed
//! for a role is refused, and every route asks here before acting.

use shelter_shared::staff::Role;

/// Everything a staff member can ask to do. Case, referral and grant actions join as
/// those workflows arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the staff home page.
    ViewStaffHome,
    /// Change one's own password, recovery codes and sessions.
    ManageOwnAccount,
    /// See the list of staff accounts.
    ListStaff,
    /// Create staff accounts.
    CreateStaff,
    /// Disable staff accounts.
    DisableStaff,
    /// Reset a staff member's second factor.
    ResetStaffTwoFactor,
    /// Lift a sign-in lock.
    UnlockStaff,
    /// Read the audit trail.
    ReadAudit,
    /// Mark a recorded decision reviewed or of concern.
    ReviewDecision,
    /// Export a view of the audit trail.
    ExportAudit,
    /// See the triage queue (previews).
    ViewQueue,
    /// See the partner directory (without contact details).
    ViewPartners,
    /// Add partners and change them.
    ManagePartners,
    /// Act on referral packets addressed to one's own partner organisation.
    AnswerReferrals,
    /// See the funds and their balances.
    ViewFunds,
    /// Create funds.
    ManageFunds,
    /// Propose a grant from a case, record its receipt and report, cancel it (case access decides which cases).
    WorkGrants,
    /// Approve, reject or ratify a grant.
    DecideGrants,
    /// Release a grant's payment, or reverse it.
    DisburseGrants,
    /// Change a payee's payment details before payment.
    ChangePayee,
    /// Read one grant (finance: with payment details, never case content).
    ViewGrant,
    /// See the grant register and export it.
    ViewGrantRegister,
}

/// How much of a case someone may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseAccess {
    /// Nothing: not even that it exists.
    None,
    /// The queue preview: kind, country, severity hint, language, age.
    Preview,
    /// Everything, including the narrative, contacts and messages.
    Full,
}

/// What the policy needs to know about a case and the person asking.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts {
    /// The asker is the case's assigned handler.
    pub is_assignee: bool,
    /// The asker declared a conflict of interest on it.
    pub conflicted: bool,
}

/// How much of a case someone holding `roles` may see. Supervisors see every case; a
/// handler sees in full only the cases assigned to them and a preview of the rest; a
/// conflict of interest hides the case; finance, partners and administrators see no case
/// content (their own workflows show them what they need).
pub fn case_access(roles: &[Role], facts: CaseFacts) -> CaseAccess {
    if facts.conflicted {
        return CaseAccess::None;
    }
    if roles.contains(&Role::Supervisor) || (roles.contains(&Role::Handler) && facts.is_assignee) {
        CaseAccess::Full
    } else if roles.contains(&Role::Handler) {
        CaseAccess::Preview
    } else {
        CaseAccess::None
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("You may not do this ({action:?}).")]
pub struct Denied {
    /// The refused action.
    pub action: Action,
}

/// The roles that may perform `action`.
pub fn roles_for(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        Action::ViewStaffHome | Action::ManageOwnAccount => &[Handler, Supervisor, Finance, Partner, Admin],
        Action::ListStaff | Action::UnlockStaff => &[Admin, Supervisor],
        Action::CreateStaff | Action::DisableStaff | Action::ResetStaffTwoFactor => &[Admin],
        Action::ReadAudit | Action::ReviewDecision | Action::ExportAudit => &[Supervisor],
        Action::ViewQueue => &[Handler, Supervisor],
        Action::ViewPartners => &[Handler, Supervisor, Admin],
        Action::ManagePartners => &[Admin],
        Action::AnswerReferrals => &[Partner],
        Action::ViewFunds => &[Admin, Supervisor, Finance, Handler],
        Action::ManageFunds => &[Admin],
        Action::WorkGrants => &[Handler, Supervisor],
        Action::DecideGrants => &[Supervisor],
        Action::DisburseGrants => &[Finance],
        Action::ChangePayee => &[Handler, Finance],
        Action::ViewGrant => &[Handler, Supervisor, Finance],
        Action::ViewGrantRegister => &[Supervisor, Finance],
    }
}

/// Whether someone holding `roles` may perform `action`.
pub fn authorize(roles: &[Role], action: Action) -> Result<(), Denied> {
    if roles.iter().any(|role| roles_for(action).contains(role)) { Ok(()) } else { Err(Denied { action }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_roles_may_do_nothing() {
        assert!(authorize(&[], Action::ViewStaffHome).is_err());
    }

    #[test]
    fn only_admins_create_accounts() {
        assert!(authorize(&[Role::Admin], Action::CreateStaff).is_ok());
        for role in [Role::Handler, Role::Supervisor, Role::Finance, Role::Partner] {
            assert!(authorize(&[role], Action::CreateStaff).is_err(), "{role}");
        }
    }

    #[test]
    fn case_access_by_role_assignment_and_conflict() {
        let facts = |is_assignee, conflicted| CaseFacts { is_assignee, conflicted };
        assert_eq!(case_access(&[Role::Handler], facts(true, false)), CaseAccess::Full);
        assert_eq!(case_access(&[Role::Handler], facts(false, false)), CaseAccess::Preview);
        assert_eq!(case_access(&[Role::Supervisor], facts(false, false)), CaseAccess::Full);
        assert_eq!(case_access(&[Role::Supervisor], facts(false, true)), CaseAccess::None);
        for role in [Role::Finance, Role::Partner, Role::Admin] {
            assert_eq!(case_access(&[role], facts(true, false)), CaseAccess::None, "{role}");
        }
    }

    #[test]
    fn money_moves_only_by_separate_hands() {
        assert!(authorize(&[Role::Handler], Action::DisburseGrants).is_err(), "handlers never pay");
        assert!(authorize(&[Role::Handler], Action::DecideGrants).is_err(), "handlers never approve");
        assert!(authorize(&[Role::Finance], Action::DecideGrants).is_err(), "finance never approves");
        assert!(authorize(&[Role::Supervisor], Action::DisburseGrants).is_err(), "supervisors never pay");
        assert!(authorize(&[Role::Admin], Action::ViewGrant).is_err(), "administrators manage funds, not grants");
    }

    #[test]
    fn supervisors_may_unlock_but_not_disable() {
        assert!(authorize(&[Role::Supervisor], Action::UnlockStaff).is_ok());
        assert!(authorize(&[Role::Supervisor], Action::DisableStaff).is_err());
    }
}
