//! The case state machine: every transition names who may make it and what it needs.
//!
//! ```text
//! NEW ─acknowledge─► ACKNOWLEDGED ─triage─► ACTIVE ─close─► CLOSED ─reopen─► ACTIVE
//!   └──────────────triage───────────────────┘  ▲ │
//!                                     resume ──┘ └─ hold ─► ON_HOLD ─close─► CLOSED
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::staff::Role;

named! {
    /// Where a case is in its life.
    CaseState {
        New => "new",
        Acknowledged => "acknowledged",
        Active => "active",
        OnHold => "on_hold",
        Closed => "closed",
    }
}

named! {
    /// A change of state.
    CaseTransition {
        Acknowledge => "acknowledge",
        Triage => "triage",
        Hold => "hold",
        Resume => "resume",
        Close => "close",
        Reopen => "reopen",
    }
}

named! {
    /// How a case ended.
    Outcome {
        Resolved => "resolved",
        ReferredOut => "referred_out",
        Declined => "declined",
        Duplicate => "duplicate",
        Unreachable => "unreachable",
        Withdrawn => "withdrawn",
    }
}

impl CaseState {
    /// The states whose cases wait on the network's work: the queue lists them unless asked
    /// otherwise, and their clocks run (holding a case stops them, closing it ends them).
    pub const OPEN: &'static [CaseState] = &[CaseState::New, CaseState::Acknowledged, CaseState::Active];

    /// The states before triage: the decide clock runs until a case leaves them.
    pub const UNTRIAGED: &'static [CaseState] = &[CaseState::New, CaseState::Acknowledged];
}

/// What a transition requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The states it starts from.
    pub from: &'static [CaseState],
    /// The state it leads to.
    pub to: CaseState,
    /// The roles that may make it.
    pub roles: &'static [Role],
    /// A handler must be the case's assignee (supervisors need not be).
    pub assignee_only: bool,
    /// A written rationale is required.
    pub rationale: bool,
    /// An outcome is required.
    pub outcome: bool,
}

const HANDLING: &[Role] = &[Role::Handler, Role::Supervisor];

/// The rule of `transition`.
pub fn rule(transition: CaseTransition) -> Rule {
    use CaseState::*;
    let rule = |from, to, assignee_only, rationale, outcome| Rule {
        from,
        to,
        roles: HANDLING,
        assignee_only,
        rationale,
        outcome,
    };
    match transition {
        CaseTransition::Acknowledge => rule(&[New], Acknowledged, false, false, false),
        // Triage from NEW acknowledges too; from ACTIVE it is a re-triage.
        CaseTransition::Triage => rule(&[New, Acknowledged, Active], Active, true, true, false),
        CaseTransition::Hold => rule(&[Active], OnHold, true, true, false),
        CaseTransition::Resume => rule(&[OnHold], Active, true, true, false),
        CaseTransition::Close => rule(&[Active, OnHold], Closed, true, true, true),
        CaseTransition::Reopen => Rule { roles: &[Role::Supervisor], ..rule(&[Closed], Active, false, true, false) },
    }
}

/// Why a transition is refused; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Not from this state.
    #[error("a case that is {state} cannot be {action}d")]
    WrongState {
        /// The current state.
        state: CaseState,
        /// The transition.
        action: CaseTransition,
    },
    /// Not by these roles.
    #[error("only {roles} may {action} a case")]
    WrongRole {
        /// Who may.
        roles: String,
        /// The transition.
        action: CaseTransition,
    },
    /// Only the assignee (or a supervisor).
    #[error("only the case's assigned handler or a supervisor may {0} it")]
    NotAssignee(CaseTransition),
    /// A rationale is missing.
    #[error("this decision needs a written rationale")]
    RationaleRequired,
    /// An outcome is missing.
    #[error("closing a case needs an outcome")]
    OutcomeRequired,
}

/// What the actor brings to a transition.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The actor's roles.
    pub roles: &'a [Role],
    /// Whether the actor is the case's assignee.
    pub is_assignee: bool,
    /// Whether a non-blank rationale was given.
    pub has_rationale: bool,
    /// Whether an outcome was given.
    pub has_outcome: bool,
}

/// Checks `transition` from `state` by `attempt`; returns the new state.
pub fn check(transition: CaseTransition, state: CaseState, attempt: Attempt<'_>) -> Result<CaseState, TransitionError> {
    let rule = rule(transition);
    if !attempt.roles.iter().any(|r| rule.roles.contains(r)) {
        let roles = rule.roles.iter().map(|r| format!("{r}s")).collect::<Vec<_>>().join(" and ");
        return Err(TransitionError::WrongRole { roles, action: transition });
    }
    if !rule.from.contains(&state) {
        return Err(TransitionError::WrongState { state, action: transition });
    }
    let supervisor = attempt.roles.contains(&Role::Supervisor);
    if rule.assignee_only && !attempt.is_assignee && !supervisor {
        return Err(TransitionError::NotAssignee(transition));
    }
    if rule.rationale && !attempt.has_rationale {
        return Err(TransitionError::RationaleRequired);
    }
    if rule.outcome && !attempt.has_outcome {
        return Err(TransitionError::OutcomeRequired);
    }
    Ok(rule.to)
}

/// A change of who holds a case, beside the state machine's transitions (the state stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeChange {
    /// The assigned handler gives the case back to the queue.
    GiveBack,
    /// A supervisor hands the case to another handler.
    Reassign,
}

/// Why a change of assignee is refused; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssigneeError {
    /// Only the assigned handler gives a case back.
    #[error("only the case's assigned handler may give it back to the queue")]
    NotAssignee,
    /// Only a supervisor reassigns.
    #[error("only supervisors may reassign a case")]
    NotSupervisor,
    /// A closed (or unassigned, for giving back) case keeps its holder.
    #[error("a case that is {0} cannot change hands; reopen it first")]
    WrongState(CaseState),
    /// Reassigning is a decision.
    #[error("reassigning needs a written reason")]
    ReasonRequired,
}

/// Checks `change` on a case in `state` by someone holding `roles` (`is_assignee`: they hold
/// the case now). The case service refuses with this; the pages show the buttons it allows.
pub fn check_assignee_change(
    change: AssigneeChange,
    state: CaseState,
    roles: &[Role],
    is_assignee: bool,
    has_reason: bool,
) -> Result<(), AssigneeError> {
    match change {
        AssigneeChange::GiveBack if !(is_assignee && roles.contains(&Role::Handler)) => {
            return Err(AssigneeError::NotAssignee);
        }
        AssigneeChange::Reassign if !roles.contains(&Role::Supervisor) => return Err(AssigneeError::NotSupervisor),
        _ => {}
    }
    if state == CaseState::Closed {
        return Err(AssigneeError::WrongState(state));
    }
    if change == AssigneeChange::Reassign && !has_reason {
        return Err(AssigneeError::ReasonRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(roles: &[Role], is_assignee: bool) -> Attempt<'_> {
        Attempt { roles, is_assignee, has_rationale: true, has_outcome: true }
    }

    /// Who may make each transition, written out by hand (not derived from [`rule`]):
    /// (transition, from, the assigned handler, another handler, a supervisor, to).
    /// Every pair not listed is refused to everyone; finance, partners and administrators
    /// may make none.
    const ALLOWED: &[(CaseTransition, CaseState, bool, bool, bool, CaseState)] = {
        use CaseState::*;
        use CaseTransition::*;
        &[
            (Acknowledge, New, true, true, true, Acknowledged),
            (Triage, New, true, false, true, Active),
            (Triage, Acknowledged, true, false, true, Active),
            (Triage, Active, true, false, true, Active),
            (Hold, Active, true, false, true, OnHold),
            (Resume, OnHold, true, false, true, Active),
            (Close, Active, true, false, true, Closed),
            (Close, OnHold, true, false, true, Closed),
            (Reopen, Closed, false, false, true, Active),
        ]
    };

    #[test]
    fn every_transition_from_every_state_by_every_actor() {
        for &transition in CaseTransition::ALL {
            for &state in CaseState::ALL {
                let listed = ALLOWED.iter().find(|row| row.0 == transition && row.1 == state);
                let actors = [
                    ("assigned handler", Role::Handler, true, listed.is_some_and(|row| row.2)),
                    ("other handler", Role::Handler, false, listed.is_some_and(|row| row.3)),
                    ("supervisor", Role::Supervisor, false, listed.is_some_and(|row| row.4)),
                    ("assigned supervisor", Role::Supervisor, true, listed.is_some_and(|row| row.4)),
                    ("finance", Role::Finance, true, false),
                    ("partner", Role::Partner, true, false),
                    ("admin", Role::Admin, true, false),
                ];
                for (who, role, is_assignee, allowed) in actors {
                    let result = check(transition, state, attempt(&[role], is_assignee));
                    assert_eq!(result.is_ok(), allowed, "{transition} from {state} by {who}: {result:?}");
                    if let (Ok(to), Some(row)) = (result, listed) {
                        assert_eq!(to, row.5, "{transition} from {state}");
                    }
                }
            }
        }
    }

    #[test]
    fn decisions_need_a_rationale_and_closing_an_outcome() {
        let roles = [Role::Handler];
        let no_rationale = Attempt { roles: &roles, is_assignee: true, has_rationale: false, has_outcome: true };
        assert_eq!(
            check(CaseTransition::Triage, CaseState::Acknowledged, no_rationale),
            Err(TransitionError::RationaleRequired)
        );
        let no_outcome = Attempt { roles: &roles, is_assignee: true, has_rationale: true, has_outcome: false };
        assert_eq!(check(CaseTransition::Close, CaseState::Active, no_outcome), Err(TransitionError::OutcomeRequired));
        assert!(
            check(CaseTransition::Acknowledge, CaseState::New, Attempt { has_rationale: false, ..no_outcome }).is_ok()
        );
    }

    #[test]
    fn only_supervisors_reopen() {
        assert!(check(CaseTransition::Reopen, CaseState::Closed, attempt(&[Role::Handler], true)).is_err());
        assert_eq!(
            check(CaseTransition::Reopen, CaseState::Closed, attempt(&[Role::Supervisor], false)),
            Ok(CaseState::Active)
        );
    }

    #[test]
    fn only_the_holder_gives_back_and_only_supervisors_reassign() {
        use AssigneeChange::*;
        let handler = [Role::Handler];
        let supervisor = [Role::Supervisor];
        assert_eq!(check_assignee_change(GiveBack, CaseState::Active, &handler, true, false), Ok(()));
        assert_eq!(
            check_assignee_change(GiveBack, CaseState::Active, &handler, false, false),
            Err(AssigneeError::NotAssignee)
        );
        assert_eq!(
            check_assignee_change(GiveBack, CaseState::Active, &supervisor, false, false),
            Err(AssigneeError::NotAssignee)
        );
        assert_eq!(
            check_assignee_change(Reassign, CaseState::Active, &handler, true, true),
            Err(AssigneeError::NotSupervisor)
        );
        assert_eq!(
            check_assignee_change(Reassign, CaseState::Active, &supervisor, false, false),
            Err(AssigneeError::ReasonRequired)
        );
        assert_eq!(check_assignee_change(Reassign, CaseState::OnHold, &supervisor, false, true), Ok(()));
        assert_eq!(
            check_assignee_change(GiveBack, CaseState::Closed, &handler, true, false),
            Err(AssigneeError::WrongState(CaseState::Closed))
        );
    }
}
