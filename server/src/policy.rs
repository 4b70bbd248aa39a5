//! The one place that decides who may do what. Deny by default: an action not listed
//! for a role is refused. Routes ask here through their signature
//! (`http::allow::Allowed<_, may::Action>`, or `http::auth::authorize` when the action
//! depends on what was sent); services ask the same functions before they change anything,
//! and pages ask them which buttons to show.

use chrono::{DateTime, Duration, Utc};
use shelter_shared::case::{self as case_machine, AssigneeChange, CaseState, CaseTransition};
use shelter_shared::grant::{GrantState, Hands};
use shelter_shared::referral::{self as referral_machine, ReferralActor, ReferralState, ReferralTransition};
use shelter_shared::staff::Role;
use uuid::Uuid;

/// Everything a staff member can ask to do with one of the roles; what depends on a case,
/// a referral or a grant is decided by the functions below with that record's facts.
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
    /// Confirm a privileged account an administrator created or reset (a second person).
    ConfirmStaff,
    /// Link a partner account to its organisation in the directory.
    LinkPartnerAccount,
    /// Read the audit trail.
    ReadAudit,
    /// Mark a recorded decision reviewed or of concern.
    ReviewDecision,
    /// Export a view of the audit trail.
    ExportAudit,
    /// See the triage queue (previews) and work cases (access to each case decides the rest).
    WorkCases,
    /// See the list of SLA breaches.
    ViewSlaBreaches,
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
    /// Change where one's own notices go (address or messenger handle): a stolen session must
    /// not quietly redirect someone's urgent notices.
    ChangeNoticeAddress,
    /// See the insights dashboard: supervisors all of it, finance the money part.
    ViewInsights,
    /// See the donor report (audited).
    ViewDonorReport,
    /// Export the donor report as CSV (audited, step-up).
    ExportDonorReport,
    /// Read one grant (finance: with payment details, never case content).
    ViewGrant,
    /// Declare a conflict of interest on a grant (finance, who cannot see the case).
    DeclareGrantConflict,
    /// See the grant register and export it.
    ViewGrantRegister,
    /// Set the on-call rota and retry failed notice deliveries.
    ManageNotices,
    /// See the retention schedule, what the next purge would take and the held cases.
    ViewRetention,
    /// Place a legal hold on a case, so that it is not purged.
    PlaceLegalHold,
    /// Lift a legal hold another supervisor placed.
    LiftLegalHold,
    /// Search the alumni registry and read members (how much: [`member_access`]).
    ViewAlumni,
    /// Add members, change them, record their status, import them.
    ManageAlumni,
    /// Export the whole registry, opened (step-up, audited).
    ExportAlumni,
    /// See the member a case one works is linked to, and record the member's status from it.
    LinkAlumni,
    /// Link a case to a member, which opens the member's whole record to whoever holds the
    /// case: a supervisor's act, so that a handler cannot open any member by filing a request
    /// of their own and linking it.
    LinkMember,
    /// Ask trusted people to vouch for a case's requester (who sees the case in full, and
    /// only then: [`may_ask_vouchers`]).
    AskVouchers,
    /// Put a case in custody mode ("the requester may be detained or their device seized").
    SetCustody,
    /// Lift custody mode: a supervisor's act, so that one handler alone cannot reopen a
    /// seized phone's view of the case.
    LiftCustody,
    /// Schedule and end check-ins, clear a duress alert (on cases one sees in full).
    WatchRequester,
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
        Action::ViewStaffHome | Action::ManageOwnAccount | Action::ChangeNoticeAddress => {
            &[Handler, Supervisor, Finance, Partner, Admin]
        }
        Action::ListStaff | Action::UnlockStaff => &[Admin, Supervisor],
        Action::CreateStaff | Action::DisableStaff | Action::ResetStaffTwoFactor | Action::LinkPartnerAccount => {
            &[Admin]
        }
        Action::ConfirmStaff => &[Supervisor],
        Action::ReadAudit | Action::ReviewDecision | Action::ExportAudit => &[Supervisor],
        Action::WorkCases => &[Handler, Supervisor],
        Action::ViewSlaBreaches => &[Supervisor],
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
        Action::DeclareGrantConflict => &[Finance, Supervisor],
        Action::ViewGrantRegister => &[Supervisor, Finance],
        Action::ManageNotices => &[Admin],
        Action::ViewInsights | Action::ViewDonorReport | Action::ExportDonorReport => &[Supervisor, Finance],
        Action::ViewRetention => &[Admin, Supervisor],
        Action::PlaceLegalHold | Action::LiftLegalHold => &[Supervisor],
        Action::ViewAlumni => &[Handler, Supervisor, Admin],
        Action::ManageAlumni | Action::ExportAlumni => &[Admin],
        Action::LinkAlumni => &[Handler, Supervisor],
        Action::LinkMember => &[Supervisor],
        Action::AskVouchers => &[Handler, Supervisor],
        Action::SetCustody | Action::WatchRequester => &[Handler, Supervisor],
        Action::LiftCustody => &[Supervisor],
    }
}

/// Whether someone holding `roles` may perform `action`.
pub fn authorize(roles: &[Role], action: Action) -> Result<(), Denied> {
    if roles.iter().any(|role| roles_for(action).contains(role)) { Ok(()) } else { Err(Denied { action }) }
}

/// Whether someone holding `roles` may make `transition` on a case in `state` (its
/// rationale and outcome aside): the case service refuses with the same state machine, and
/// the case page shows exactly these buttons.
pub fn may_move_case(roles: &[Role], state: CaseState, is_assignee: bool, transition: CaseTransition) -> bool {
    let attempt = case_machine::Attempt { roles, is_assignee, has_rationale: true, has_outcome: true };
    case_machine::check(transition, state, attempt).is_ok()
}

/// Whether someone holding `roles` may make `change` to who holds a case in `state` (a
/// reason aside): the case service refuses with the same rule (`shared::case`), and the
/// queue and case pages show exactly these buttons.
pub fn may_change_assignee(roles: &[Role], state: CaseState, is_assignee: bool, change: AssigneeChange) -> bool {
    case_machine::check_assignee_change(change, state, roles, is_assignee, true).is_ok()
}

/// Whether someone holding `roles` may tick a checklist task meant for `task_role`: the
/// playbook names who does each step (a supervisor's sign-off is not a handler's to tick),
/// and a supervisor's sign-off on a case they hold themselves would be one person's two
/// hands, so the case's assignee never ticks one.
pub fn may_do_task(roles: &[Role], task_role: Role, is_assignee: bool) -> bool {
    roles.contains(&task_role) && !(task_role == Role::Supervisor && is_assignee)
}

/// Whether `me` may reopen a task marked done by `done_by`: only the person who ticked it
/// (with a reason), so that nobody quietly undoes another's recorded work.
pub fn may_undo_task(roles: &[Role], task_role: Role, is_assignee: bool, me: Uuid, done_by: Option<Uuid>) -> bool {
    done_by == Some(me) && may_do_task(roles, task_role, is_assignee)
}

/// What a printable case summary holds for its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryScope {
    /// Nothing: the reader gets the case page's refusal.
    None,
    /// The whole case (its handler, a supervisor): facts, words, checklist, timeline with
    /// rationales, referrals, grants.
    Full,
    /// Finance: the case's grants and payments only, no narrative, contacts or rationales.
    Finance,
    /// A partner lawyer: only the packets the requester consented to share with them.
    Partner,
}

/// Which summary someone holding `roles` may read: whoever sees the case in full reads it
/// all; otherwise a finance officer reads its grants if it has any, and a partner the packets
/// currently shared with them, neither when they declared a conflict; nobody else reads
/// anything.
pub fn summary_scope(
    roles: &[Role],
    access: CaseAccess,
    conflicted: bool,
    has_grants: bool,
    has_packets: bool,
) -> SummaryScope {
    if access == CaseAccess::Full {
        SummaryScope::Full
    } else if roles.contains(&Role::Finance) && !conflicted && has_grants {
        SummaryScope::Finance
    } else if roles.contains(&Role::Partner) && !conflicted && has_packets {
        SummaryScope::Partner
    } else {
        SummaryScope::None
    }
}

/// How staff holding `roles` act on a referral of a case they see in full.
pub fn referral_actor(roles: &[Role]) -> ReferralActor {
    if roles.contains(&Role::Supervisor) { ReferralActor::Supervisor } else { ReferralActor::Handler }
}

/// The referral steps someone holding `roles` (with full access to the case) may take on a
/// referral in `state`: the referral service refuses with the same state machine.
pub fn referral_moves(roles: &[Role], state: ReferralState) -> Vec<ReferralTransition> {
    let actor = referral_actor(roles);
    [ReferralTransition::Approve, ReferralTransition::Consent, ReferralTransition::Withdraw]
        .into_iter()
        .filter(|step| referral_machine::next(state, *step, actor, true).is_ok())
        .collect()
}

/// How long a confirmed second factor counts as fresh.
pub const STEP_UP_WINDOW: Duration = Duration::minutes(5);

/// Actions that need a second factor confirmed within [`STEP_UP_WINDOW`]: moving money,
/// payment details, exports, and every administrative power over accounts.
pub fn needs_step_up(action: Action) -> bool {
    matches!(
        action,
        Action::DecideGrants
            | Action::DisburseGrants
            | Action::ChangePayee
            | Action::ExportAudit
            | Action::ExportDonorReport
            | Action::ChangeNoticeAddress
            | Action::CreateStaff
            | Action::DisableStaff
            | Action::ResetStaffTwoFactor
            | Action::UnlockStaff
            | Action::ConfirmStaff
            | Action::LinkPartnerAccount
            | Action::LiftLegalHold
            | Action::ExportAlumni
    )
}

/// How much of a registry member someone may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MemberAccess {
    /// Nothing: finance and partners never learn who is in the network.
    None,
    /// Names, country and cohort: enough to find someone.
    Minimal,
    /// Everything: organisation, focus, languages, contact, the timeline.
    Full,
}

/// Whether someone holding `roles` with `access` to a case may ask people to vouch for its
/// requester: a handler or supervisor who sees the case in full, while it is open.
pub fn may_ask_vouchers(roles: &[Role], access: CaseAccess, open: bool) -> bool {
    authorize(roles, Action::AskVouchers).is_ok() && access == CaseAccess::Full && open
}

/// Whether an account holding `roles` may be linked to a partner organisation (and so read
/// its packets and answer its referrals): only an account holding the partner role alone, so
/// that nobody who works, approves or pays cases sits on both sides of a referral.
pub fn may_belong_to_partner(roles: &[Role]) -> bool {
    roles.contains(&Role::Partner) && roles.iter().all(|role| *role == Role::Partner)
}

/// Whether an account holding `roles` may be asked to vouch: a partner organisation's
/// account that holds no role inside the network, so that nobody who works cases, approves
/// or pays can attest through it.
pub fn may_vouch(roles: &[Role]) -> bool {
    roles.contains(&Role::Partner) && roles.iter().all(|role| *role == Role::Partner)
}

/// How much of a member someone holding `roles` may see: administrators (who manage the
/// registry) and supervisors everything; a handler the minimal fields, and everything once
/// a case they see in full is linked to the member (`linked_to_own_case`).
pub fn member_access(roles: &[Role], linked_to_own_case: bool) -> MemberAccess {
    if authorize(roles, Action::ViewAlumni).is_err() {
        MemberAccess::None
    } else if roles.iter().any(|r| matches!(r, Role::Supervisor | Role::Admin)) || linked_to_own_case {
        MemberAccess::Full
    } else {
        MemberAccess::Minimal
    }
}

/// Which parts of the insights someone holding `roles` sees: supervisors see the work
/// (requests, open cases, deadlines, referrals, workload) and the money; finance the money only.
pub fn insight_parts(roles: &[Role]) -> InsightParts {
    InsightParts { work: roles.contains(&Role::Supervisor), money: authorize(roles, Action::ViewInsights).is_ok() }
}

/// The parts of the insights one may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsightParts {
    /// Requests, open cases, deadlines, referrals and workload.
    pub work: bool,
    /// Grants and funds.
    pub money: bool,
}

/// Whether `me`, holding `roles`, may lift a legal hold `placed_by` placed: a supervisor,
/// never the one who placed it (a second person decides that the data may go). Lifting
/// also needs a step-up ([`needs_step_up`]); the case service asks both, pages too.
pub fn may_lift_hold(roles: &[Role], me: Uuid, placed_by: Uuid) -> Result<(), String> {
    authorize(roles, Action::LiftLegalHold).map_err(|_| "Only supervisors lift legal holds.".to_owned())?;
    if me == placed_by {
        return Err("A legal hold is lifted by a second supervisor, not by the one who placed it.".into());
    }
    Ok(())
}

/// Whether `me`, holding `roles`, may lift custody mode on a case `assignee` holds, which
/// `set_by` put in it: a supervisor who neither set it nor holds the case, so that lifting
/// (the seized phone's view turning real again) always takes a second person.
pub fn may_lift_custody(roles: &[Role], me: Uuid, assignee: Option<Uuid>, set_by: Uuid) -> Result<(), String> {
    authorize(roles, Action::LiftCustody).map_err(|_| "Only a supervisor lifts custody mode.".to_owned())?;
    if me == set_by || assignee == Some(me) {
        return Err("Custody mode is lifted by a supervisor who neither set it nor holds the case.".into());
    }
    Ok(())
}

/// Why an account may not be disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisableRefusal {
    /// One's own account: another administrator decides that.
    Yourself,
    /// The last active administrator: nobody would be left to manage accounts.
    LastAdministrator,
}

impl DisableRefusal {
    /// What to tell the person.
    pub fn message(self) -> &'static str {
        match self {
            DisableRefusal::Yourself => "You cannot disable your own account: another administrator must.",
            DisableRefusal::LastAdministrator => {
                "This is the last active administrator: add and enrol another administrator first."
            }
        }
    }
}

/// Whether `me` (`None`: the operator at the server's shell) may disable `target`, which is
/// an active administrator when `target_active_admin`, while `other_active_admins` active
/// administrators besides it remain. The identity service asks this under a lock on the
/// administrators, and the accounts page asks it which "Disable" buttons to show.
pub fn may_disable(
    me: Option<Uuid>,
    target: Uuid,
    target_active_admin: bool,
    other_active_admins: usize,
) -> Result<(), DisableRefusal> {
    if me == Some(target) {
        return Err(DisableRefusal::Yourself);
    }
    if target_active_admin && other_active_admins == 0 {
        return Err(DisableRefusal::LastAdministrator);
    }
    Ok(())
}

/// Whether `me`, holding `roles`, may confirm the privileged account `target` that
/// `requested_by` created or reset: a supervisor who neither set it up nor holds it and
/// administers no accounts (a second person). The identity service refuses with this, and
/// the home pages list exactly these accounts as waiting.
pub fn may_confirm_account(roles: &[Role], me: Uuid, target: Uuid, requested_by: Option<Uuid>) -> bool {
    authorize(roles, Action::ConfirmStaff).is_ok()
        && !roles.contains(&Role::Admin)
        && me != target
        && requested_by != Some(me)
}

/// The message every step-up refusal carries.
pub const STEP_UP_NEEDED: &str = "Confirm with a fresh code from your authenticator app first (step-up).";

/// Whether a second factor confirmed at `step_up_at` is still fresh at `now`.
pub fn fresh(step_up_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    step_up_at.is_some_and(|at| now >= at && now - at <= STEP_UP_WINDOW)
}

/// Roles whose accounts an administrator cannot create or reset alone: whoever approves,
/// pays, or creates accounts.
pub fn is_privileged(roles: &[Role]) -> bool {
    roles.iter().any(|role| matches!(role, Role::Supervisor | Role::Finance | Role::Admin))
}

/// What one person may do to one grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantMove {
    /// Approve, or ratify a provisional approval.
    Approve,
    /// Give a critical case's grant a provisional single approval.
    ApproveProvisionally,
    /// Reject.
    Reject,
    /// Release the payment.
    Disburse,
    /// Enter new payment details.
    ChangePayee,
    /// Confirm on the requester's behalf that the money arrived.
    ConfirmReceipt,
    /// Record the report on the grant's use.
    Report,
    /// Cancel before payment.
    Cancel,
    /// Reverse a payment.
    Reverse,
}

impl GrantMove {
    /// Every move, for pages and tests that ask about each.
    pub const ALL: &'static [GrantMove] = &[
        GrantMove::Approve,
        GrantMove::ApproveProvisionally,
        GrantMove::Reject,
        GrantMove::Disburse,
        GrantMove::ChangePayee,
        GrantMove::ConfirmReceipt,
        GrantMove::Report,
        GrantMove::Cancel,
        GrantMove::Reverse,
    ];
}

/// What the policy needs to know about a grant and the person acting on it.
#[derive(Debug, Clone, Copy)]
pub struct GrantFacts<'a> {
    /// Where the grant is.
    pub state: GrantState,
    /// How much of the grant's case the person may see.
    pub case_access: CaseAccess,
    /// The person is the case's assigned handler.
    pub is_assignee: bool,
    /// The person's account got its credentials too recently to count toward an approval
    /// that needs several supervisors.
    pub new_account: bool,
    /// They declared a conflict on the case (or on the grant).
    pub conflicted: bool,
    /// Who has had a hand in the grant.
    pub hands: Hands<'a, Uuid>,
    /// The person already approved or rejected it (voided decisions excluded).
    pub decided: bool,
    /// Paid or approved on a provisional approval still to be ratified.
    pub ratification_owed: bool,
    /// The case is critical.
    pub critical: bool,
    /// Approvals the tier needs and those given so far.
    pub approvals_needed: usize,
    /// Approvals given so far.
    pub approvals_given: usize,
    /// Confirmations from distinct vouchers that stand (each concern cancels one), on the
    /// case's requests of the last days an answer stands.
    pub confirmations: usize,
    /// Confirmations the grant's tier needs before an approval (settings).
    pub confirmations_needed: usize,
}

/// Why a grant move is refused: the service turns each into its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The person may not know of the grant (a conflict): answered as not found.
    Hidden,
    /// Not this person.
    Forbidden(String),
    /// Not in this state.
    WrongState(String),
}

/// Whether the person `me`, holding `roles`, may make `step` on the grant `facts` describe.
/// Step-up is asked separately (see [`needs_step_up`]): pages show the button either way.
pub fn grant_move(roles: &[Role], me: Uuid, facts: &GrantFacts<'_>, step: GrantMove) -> Result<(), Refusal> {
    use GrantState as S;
    if facts.conflicted {
        return Err(Refusal::Hidden);
    }
    let has = |role| roles.contains(&role);
    let forbidden = |text: &str| Err(Refusal::Forbidden(text.to_owned()));
    let state = facts.state;
    let unpaid = !state.is_paid() && !state.is_final();
    let case = facts.case_access == CaseAccess::Full;
    let wrong_state = || Err(Refusal::WrongState(format!("A grant that is {state} does not allow this.")));
    match step {
        GrantMove::Approve | GrantMove::ApproveProvisionally | GrantMove::Reject => {
            if !has(Role::Supervisor) || !case {
                return forbidden("Only supervisors decide on grants.");
            }
            facts.hands.may_decide(&me).map_err(|held| Refusal::Forbidden(held.to_string()))?;
            if facts.decided {
                return Err(Refusal::WrongState(
                    "You already decided on this grant; approvals must come from distinct supervisors.".into(),
                ));
            }
            let undecided = matches!(state, S::Proposed | S::ProvisionallyApproved | S::Frozen);
            // A grant paid on a provisional approval can still be ratified, not rejected.
            let open = undecided || (step != GrantMove::Reject && state.is_paid() && facts.ratification_owed);
            if !open {
                return wrong_state();
            }
            if step != GrantMove::Reject && facts.new_account && facts.approvals_needed > 1 {
                return forbidden(
                    "Your account was created or its second factor reset too recently to count toward a grant \
                     that needs several approvals.",
                );
            }
            if step != GrantMove::Reject {
                // A provisional approval in an emergency needs one confirmation; the full
                // count is owed by the approval that ratifies it.
                let needed = match step {
                    GrantMove::ApproveProvisionally => facts.confirmations_needed.min(1),
                    _ => facts.confirmations_needed,
                };
                if facts.confirmations < needed {
                    return Err(Refusal::WrongState(format!(
                        "This grant needs {needed} distinct vouchers who confirm the requester before it is \
                         approved; {} so far (each concern cancels one confirmation). Ask vouchers from the \
                         case page.",
                        facts.confirmations
                    )));
                }
            }
            if step == GrantMove::ApproveProvisionally
                && !(state == S::Proposed && facts.critical && facts.approvals_needed > 1 && facts.approvals_given == 0)
            {
                return Err(Refusal::WrongState(
                    "A provisional single approval is only for a critical case's grant that needs more than one approval."
                        .into(),
                ));
            }
            Ok(())
        }
        GrantMove::Disburse => {
            if !has(Role::Finance) {
                return forbidden("Only finance officers release payments.");
            }
            if !matches!(state, S::Approved | S::ProvisionallyApproved) {
                return wrong_state();
            }
            facts.hands.may_pay(&me).map_err(|held| Refusal::Forbidden(held.to_string()))
        }
        GrantMove::ChangePayee => {
            if !(has(Role::Finance) || (has(Role::Handler) && facts.is_assignee)) {
                return forbidden("Only the case's handler or finance change payment details.");
            }
            if unpaid { Ok(()) } else { wrong_state() }
        }
        GrantMove::ConfirmReceipt | GrantMove::Report => {
            if !case {
                return forbidden("Only the case's handler or a supervisor records this.");
            }
            let due = if step == GrantMove::ConfirmReceipt { S::Disbursed } else { S::ReceiptConfirmed };
            if state == due { Ok(()) } else { wrong_state() }
        }
        GrantMove::Cancel => {
            if !case {
                return forbidden("Only the case's handler or a supervisor cancels a grant.");
            }
            if matches!(state, S::Proposed | S::Approved | S::ProvisionallyApproved | S::Frozen) {
                Ok(())
            } else {
                wrong_state()
            }
        }
        GrantMove::Reverse => {
            if !has(Role::Finance) {
                return forbidden("Only finance officers reverse payments.");
            }
            if state.is_paid() { Ok(()) } else { wrong_state() }
        }
    }
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
    fn a_summary_holds_only_what_its_reader_may_see() {
        use SummaryScope as S;
        assert_eq!(summary_scope(&[Role::Supervisor], CaseAccess::Full, false, true, false), S::Full);
        assert_eq!(summary_scope(&[Role::Finance], CaseAccess::None, false, true, false), S::Finance);
        assert_eq!(summary_scope(&[Role::Finance], CaseAccess::None, false, false, false), S::None, "no grants");
        assert_eq!(summary_scope(&[Role::Finance], CaseAccess::None, true, true, false), S::None, "conflicted");
        assert_eq!(summary_scope(&[Role::Partner], CaseAccess::None, false, true, true), S::Partner);
        assert_eq!(summary_scope(&[Role::Partner], CaseAccess::None, false, true, false), S::None);
        assert_eq!(summary_scope(&[Role::Partner], CaseAccess::None, true, false, true), S::None, "conflicted partner");
        assert_eq!(summary_scope(&[Role::Handler], CaseAccess::Preview, false, true, false), S::None);
        assert_eq!(summary_scope(&[Role::Admin], CaseAccess::None, false, true, true), S::None);
    }

    #[test]
    fn money_moves_only_by_separate_hands() {
        assert!(authorize(&[Role::Handler], Action::DisburseGrants).is_err(), "handlers never pay");
        assert!(authorize(&[Role::Handler], Action::DecideGrants).is_err(), "handlers never approve");
        assert!(authorize(&[Role::Finance], Action::DecideGrants).is_err(), "finance never approves");
        assert!(authorize(&[Role::Supervisor], Action::DisburseGrants).is_err(), "supervisors never pay");
        assert!(authorize(&[Role::Admin], Action::ViewGrant).is_err(), "administrators manage funds, not grants");
    }

    fn facts<'a>(state: GrantState, hands: Hands<'a, Uuid>) -> GrantFacts<'a> {
        GrantFacts {
            state,
            case_access: CaseAccess::Full,
            is_assignee: false,
            new_account: false,
            conflicted: false,
            hands,
            decided: false,
            ratification_owed: false,
            critical: true,
            approvals_needed: 3,
            approvals_given: 1,
            confirmations: 2,
            confirmations_needed: 2,
        }
    }

    #[test]
    fn custody_is_lifted_by_a_second_person() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        let both = [Role::Supervisor, Role::Handler];
        assert!(may_lift_custody(&both, me, Some(me), other).is_err(), "the assignee who is also a supervisor");
        assert!(may_lift_custody(&[Role::Supervisor], me, Some(other), me).is_err(), "who set it");
        assert!(may_lift_custody(&[Role::Handler], me, Some(other), other).is_err(), "a handler");
        assert!(may_lift_custody(&[Role::Supervisor], me, Some(other), other).is_ok());
    }

    #[test]
    fn only_outsiders_vouch_and_only_those_who_see_the_case_ask() {
        assert!(may_vouch(&[Role::Partner]));
        assert!(!may_vouch(&[Role::Partner, Role::Handler]), "a partner account that also works cases");
        assert!(!may_vouch(&[Role::Supervisor]));
        assert!(!may_vouch(&[]));
        assert!(may_ask_vouchers(&[Role::Handler], CaseAccess::Full, true));
        assert!(!may_ask_vouchers(&[Role::Handler], CaseAccess::Full, false), "a closed case");
        assert!(!may_ask_vouchers(&[Role::Handler], CaseAccess::Preview, true));
        assert!(!may_ask_vouchers(&[Role::Finance, Role::Admin], CaseAccess::Full, true));
    }

    #[test]
    fn a_grant_waits_for_its_confirmations_but_a_rejection_does_not() {
        let (proposer, supervisor) = (Uuid::new_v4(), Uuid::new_v4());
        let roles = [Role::Supervisor];
        let hands = Hands { proposer: &proposer, approvers: &[], payee_editors: &[proposer], payer: None };
        let one = GrantFacts { confirmations: 1, approvals_given: 0, ..facts(GrantState::Proposed, hands) };
        assert!(matches!(grant_move(&roles, supervisor, &one, GrantMove::Approve), Err(Refusal::WrongState(_))));
        assert_eq!(grant_move(&roles, supervisor, &one, GrantMove::ApproveProvisionally), Ok(()));
        assert_eq!(grant_move(&roles, supervisor, &one, GrantMove::Reject), Ok(()));
        let none = GrantFacts { confirmations: 0, ..one };
        assert!(matches!(
            grant_move(&roles, supervisor, &none, GrantMove::ApproveProvisionally),
            Err(Refusal::WrongState(_))
        ));
        let two = GrantFacts { confirmations: 2, ..one };
        assert_eq!(grant_move(&roles, supervisor, &two, GrantMove::Approve), Ok(()));
        let off = GrantFacts { confirmations: 0, confirmations_needed: 0, ..one };
        assert_eq!(grant_move(&roles, supervisor, &off, GrantMove::Approve), Ok(()));
    }

    #[test]
    fn one_person_with_two_roles_never_approves_and_pays_one_grant() {
        let (proposer, both, other) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let roles = [Role::Supervisor, Role::Finance];
        let approvers = [both];
        let hands = Hands { proposer: &proposer, approvers: &approvers, payee_editors: &[proposer], payer: None };
        let approved = facts(GrantState::ProvisionallyApproved, hands);
        assert!(matches!(grant_move(&roles, both, &approved, GrantMove::Disburse), Err(Refusal::Forbidden(_))));
        assert_eq!(grant_move(&roles, other, &approved, GrantMove::Disburse), Ok(()));
        let paid = Hands { payer: Some(&other), approvers: &[], ..hands };
        let owed = GrantFacts { ratification_owed: true, ..facts(GrantState::Disbursed, paid) };
        assert!(matches!(grant_move(&roles, other, &owed, GrantMove::Approve), Err(Refusal::Forbidden(_))));
        assert_eq!(grant_move(&roles, both, &owed, GrantMove::Approve), Ok(()));
        assert!(matches!(grant_move(&roles, both, &owed, GrantMove::Reject), Err(Refusal::WrongState(_))));
        let editor = Hands { payee_editors: &[both], ..paid };
        let edited = facts(GrantState::Proposed, editor);
        assert!(matches!(grant_move(&roles, both, &edited, GrantMove::Approve), Err(Refusal::Forbidden(_))));
        let young = GrantFacts { new_account: true, ..facts(GrantState::Proposed, hands) };
        assert!(matches!(grant_move(&roles, other, &young, GrantMove::Approve), Err(Refusal::Forbidden(_))));
        assert_eq!(grant_move(&roles, other, &young, GrantMove::Reject), Ok(()));
        let hidden = GrantFacts { conflicted: true, ..approved };
        assert_eq!(grant_move(&roles, other, &hidden, GrantMove::Disburse), Err(Refusal::Hidden));
    }

    #[test]
    fn step_up_guards_money_and_account_powers() {
        for action in [Action::DisburseGrants, Action::DecideGrants, Action::CreateStaff, Action::ResetStaffTwoFactor] {
            assert!(needs_step_up(action), "{action:?}");
        }
        assert!(!needs_step_up(Action::WorkCases));
        let now = Utc::now();
        assert!(fresh(Some(now - Duration::minutes(4)), now));
        assert!(!fresh(Some(now - Duration::minutes(6)), now));
        assert!(!fresh(None, now));
    }

    #[test]
    fn a_legal_hold_is_lifted_by_a_second_supervisor_only() {
        let (placer, other) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(may_lift_hold(&[Role::Supervisor], placer, placer).is_err());
        assert!(may_lift_hold(&[Role::Supervisor], other, placer).is_ok());
        for role in [Role::Handler, Role::Finance, Role::Partner, Role::Admin] {
            assert!(may_lift_hold(&[role], other, placer).is_err(), "{role}");
            assert!(authorize(&[role], Action::PlaceLegalHold).is_err(), "{role}");
        }
        assert!(needs_step_up(Action::LiftLegalHold) && !needs_step_up(Action::PlaceLegalHold));
    }

    #[test]
    fn finance_and_partners_see_nothing_of_the_registry() {
        for role in [Role::Finance, Role::Partner] {
            assert_eq!(member_access(&[role], true), MemberAccess::None, "{role}");
            for action in [Action::ViewAlumni, Action::ManageAlumni, Action::ExportAlumni, Action::LinkAlumni] {
                assert!(authorize(&[role], action).is_err(), "{role} {action:?}");
            }
        }
        assert_eq!(member_access(&[Role::Handler], false), MemberAccess::Minimal);
        assert_eq!(member_access(&[Role::Handler], true), MemberAccess::Full);
        assert_eq!(member_access(&[Role::Supervisor], false), MemberAccess::Full);
        assert!(
            authorize(&[Role::Supervisor], Action::ManageAlumni).is_err(),
            "supervisors read, administrators manage"
        );
        assert!(needs_step_up(Action::ExportAlumni));
    }

    #[test]
    fn nobody_disables_themselves_or_the_last_administrator() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(may_disable(Some(me), me, true, 3), Err(DisableRefusal::Yourself));
        assert_eq!(may_disable(Some(me), me, false, 0), Err(DisableRefusal::Yourself));
        assert_eq!(may_disable(Some(me), other, true, 0), Err(DisableRefusal::LastAdministrator));
        assert_eq!(may_disable(None, other, true, 0), Err(DisableRefusal::LastAdministrator));
        assert_eq!(may_disable(Some(me), other, true, 1), Ok(()));
        assert_eq!(may_disable(Some(me), other, false, 0), Ok(()));
        assert_eq!(may_disable(None, other, false, 0), Ok(()));
    }

    #[test]
    fn an_account_is_confirmed_by_a_second_supervisor_who_administers_nothing() {
        let (me, target, admin) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        assert!(may_confirm_account(&[Role::Supervisor], me, target, Some(admin)));
        assert!(!may_confirm_account(&[Role::Supervisor], me, target, Some(me)), "who set it up");
        assert!(!may_confirm_account(&[Role::Supervisor], me, me, Some(admin)), "who holds it");
        assert!(!may_confirm_account(&[Role::Supervisor, Role::Admin], me, target, Some(admin)), "an administrator");
        assert!(!may_confirm_account(&[Role::Handler, Role::Finance], me, target, Some(admin)), "no supervisor");
    }

    #[test]
    fn supervisors_may_unlock_but_not_disable() {
        assert!(authorize(&[Role::Supervisor], Action::UnlockStaff).is_ok());
        assert!(authorize(&[Role::Supervisor], Action::DisableStaff).is_err());
    }

    #[test]
    fn tasks_are_done_by_their_role_and_undone_by_their_doer() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        assert!(may_do_task(&[Role::Handler], Role::Handler, true));
        assert!(!may_do_task(&[Role::Handler], Role::Supervisor, false));
        assert!(!may_do_task(&[Role::Supervisor], Role::Finance, false));
        assert!(may_do_task(&[Role::Supervisor], Role::Supervisor, false));
        // One person holding both roles signs nothing off on a case they hold.
        assert!(!may_do_task(&[Role::Handler, Role::Supervisor], Role::Supervisor, true));
        assert!(may_do_task(&[Role::Handler, Role::Supervisor], Role::Handler, true));
        assert!(may_undo_task(&[Role::Handler], Role::Handler, true, me, Some(me)));
        assert!(!may_undo_task(&[Role::Handler], Role::Handler, true, me, Some(other)));
        assert!(!may_undo_task(&[Role::Supervisor], Role::Handler, false, me, None));
    }

    #[test]
    fn the_holder_gives_back_and_a_supervisor_reassigns() {
        use AssigneeChange::*;
        assert!(may_change_assignee(&[Role::Handler], CaseState::Active, true, GiveBack));
        assert!(!may_change_assignee(&[Role::Handler], CaseState::Active, false, GiveBack));
        assert!(!may_change_assignee(&[Role::Handler], CaseState::Active, true, Reassign));
        assert!(may_change_assignee(&[Role::Supervisor], CaseState::OnHold, false, Reassign));
        assert!(!may_change_assignee(&[Role::Supervisor], CaseState::Closed, false, Reassign));
        assert!(!may_change_assignee(&[Role::Finance, Role::Admin], CaseState::Active, false, Reassign));
    }

    #[test]
    fn custody_is_set_by_case_workers_and_lifted_by_supervisors_only() {
        for role in [Role::Handler, Role::Supervisor] {
            assert!(authorize(&[role], Action::SetCustody).is_ok(), "{role}");
            assert!(authorize(&[role], Action::WatchRequester).is_ok(), "{role}");
        }
        assert!(authorize(&[Role::Supervisor], Action::LiftCustody).is_ok());
        for role in [Role::Handler, Role::Finance, Role::Partner, Role::Admin] {
            assert!(authorize(&[role], Action::LiftCustody).is_err(), "{role}");
        }
        for role in [Role::Finance, Role::Partner, Role::Admin] {
            assert!(authorize(&[role], Action::SetCustody).is_err(), "{role}");
        }
    }
}
