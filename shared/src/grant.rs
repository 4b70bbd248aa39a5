//! Emergency grants: the vocabulary, the approval tiers and the state machine.
//!
//! ```text
//! PROPOSED ─approve (enough supervisors)─► APPROVED ─disburse─► DISBURSED ─confirm─► RECEIPT_CONFIRMED ─report─► REPORTED
//!    │      ─approve provisionally (critical)─► PROVISIONALLY_APPROVED ─ratify─► APPROVED
//!    │                                            ├─disburse─► DISBURSED (still to be ratified)
//!    │                                            └─72 h unratified─► FROZEN ─ratify─► APPROVED
//!    └─reject─► REJECTED
//! PROPOSED, APPROVED, PROVISIONALLY_APPROVED, FROZEN ─cancel─► CANCELLED (reservation released)
//! DISBURSED, RECEIPT_CONFIRMED, REPORTED ─reverse─► REVERSED (a new ledger entry; nothing edited)
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub use crate::money::{Currency, Money, MoneyError, Rate, RateError};

named! {
    /// What a grant pays for.
    GrantCategory {
        LegalFees => "legal_fees",
        Bail => "bail",
        Relocation => "relocation",
        Medical => "medical",
        SecurityMeasures => "security_measures",
        Subsistence => "subsistence",
        DigitalSecurity => "digital_security",
        Other => "other",
    }
}

named! {
    /// Where a grant is.
    GrantState {
        Proposed => "proposed",
        Approved => "approved",
        ProvisionallyApproved => "provisionally_approved",
        Frozen => "frozen",
        Rejected => "rejected",
        Disbursed => "disbursed",
        ReceiptConfirmed => "receipt_confirmed",
        Reported => "reported",
        Cancelled => "cancelled",
        Reversed => "reversed",
    }
}

named! {
    /// A change of a grant's state.
    GrantTransition {
        Approve => "approve",
        Ratify => "ratify",
        Reject => "reject",
        Freeze => "freeze",
        Disburse => "disburse",
        ConfirmReceipt => "confirm_receipt",
        Report => "report",
        Cancel => "cancel",
        Reverse => "reverse",
    }
}

named! {
    /// How money reaches the payee.
    PaymentMethod {
        BankTransfer => "bank_transfer",
        MobileMoney => "mobile_money",
        CashIntermediary => "cash_intermediary",
        DirectToProvider => "direct_to_provider",
    }
}

named! {
    /// The approval tier an amount falls in.
    Tier {
        A => "a",
        B => "b",
        C => "c",
    }
}

impl Tier {
    /// Distinct supervisors who must approve.
    pub fn approvals_needed(self) -> usize {
        match self {
            Tier::A => 1,
            Tier::B => 2,
            Tier::C => 3,
        }
    }
}

/// The tier limits, in US dollar minor units (cents): tier A up to `a_max`, B up to
/// `b_max`, C up to `hard_cap`, and nothing above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tiers {
    /// Highest tier A amount.
    pub a_max: i64,
    /// Highest tier B amount.
    pub b_max: i64,
    /// Highest amount any grant may have.
    pub hard_cap: i64,
}

impl Default for Tiers {
    /// US$2,000 / US$8,000 / US$10,000, as real emergency funds set them.
    fn default() -> Self {
        Tiers { a_max: 200_000, b_max: 800_000, hard_cap: 1_000_000 }
    }
}

impl Tiers {
    /// The tier of an amount in US cents, or `None` above the hard cap.
    pub fn tier_of(&self, usd_minor: i64) -> Option<Tier> {
        match usd_minor {
            m if m <= self.a_max => Some(Tier::A),
            m if m <= self.b_max => Some(Tier::B),
            m if m <= self.hard_cap => Some(Tier::C),
            _ => None,
        }
    }

    /// Whether the limits rise strictly.
    pub fn is_ordered(&self) -> bool {
        0 < self.a_max && self.a_max < self.b_max && self.b_max < self.hard_cap
    }
}

/// Who acts on a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantActor {
    /// The case's handler.
    Handler,
    /// A supervisor.
    Supervisor,
    /// A finance officer.
    Finance,
    /// The requester, in the portal.
    Requester,
    /// The server's own clock (freezing unratified grants).
    System,
}

/// Why a grant transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantError {
    /// Not from this state.
    #[error("a grant that is {0} cannot take the step {1:?}")]
    WrongState(GrantState, GrantTransition),
    /// Not by this actor.
    #[error("{0:?} may not {1} a grant")]
    WrongActor(GrantActor, GrantTransition),
}

/// What an approval needs to know: how many distinct supervisors have approved, counting
/// this one, how many the tier needs, and whether a single provisional approval was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approvals {
    /// Approvals so far, including the one being made.
    pub given: usize,
    /// Approvals the tier needs.
    pub needed: usize,
    /// The approver asks for a provisional single approval (critical cases only).
    pub provisional: bool,
}

/// The state `transition` leads to from `state` when `actor` makes it. Approvals and
/// ratifications carry the count; the server checks who the supervisors are.
pub fn next(
    state: GrantState,
    transition: GrantTransition,
    actor: GrantActor,
    approvals: Approvals,
) -> Result<GrantState, GrantError> {
    use GrantActor as A;
    use GrantState as S;
    use GrantTransition as T;
    let allowed: &[GrantActor] = match transition {
        T::Approve | T::Ratify | T::Reject => &[A::Supervisor],
        T::Freeze => &[A::System],
        T::Disburse | T::Reverse => &[A::Finance],
        T::ConfirmReceipt | T::Report => &[A::Requester, A::Handler],
        T::Cancel => &[A::Handler, A::Supervisor],
    };
    if !allowed.contains(&actor) {
        return Err(GrantError::WrongActor(actor, transition));
    }
    let complete = approvals.given >= approvals.needed;
    let to = match (transition, state) {
        (T::Approve, S::Proposed) if complete => S::Approved,
        (T::Approve, S::Proposed) if approvals.provisional && approvals.given == 1 => S::ProvisionallyApproved,
        (T::Approve, S::Proposed) => S::Proposed,
        (T::Ratify, S::ProvisionallyApproved | S::Frozen) if complete => S::Approved,
        (T::Ratify, S::ProvisionallyApproved | S::Frozen) => state,
        (T::Reject, S::Proposed | S::ProvisionallyApproved | S::Frozen) => S::Rejected,
        (T::Freeze, S::ProvisionallyApproved) => S::Frozen,
        (T::Disburse, S::Approved | S::ProvisionallyApproved) => S::Disbursed,
        (T::ConfirmReceipt, S::Disbursed) => S::ReceiptConfirmed,
        (T::Report, S::ReceiptConfirmed) => S::Reported,
        (T::Cancel, S::Proposed | S::Approved | S::ProvisionallyApproved | S::Frozen) => S::Cancelled,
        (T::Reverse, S::Disbursed | S::ReceiptConfirmed | S::Reported) => S::Reversed,
        (transition, state) => return Err(GrantError::WrongState(state, transition)),
    };
    Ok(to)
}

/// The hands a grant has passed through. Separation of duties is a rule per grant, not
/// per role: one person may hold several roles, but never two of these hands on one grant.
#[derive(Debug, Clone, Copy)]
pub struct Hands<'a, Id> {
    /// Who proposed it.
    pub proposer: &'a Id,
    /// Who approved it (provisionally, fully or by ratifying); voided approvals excluded.
    pub approvers: &'a [Id],
    /// Who entered or changed the payee's payment details.
    pub payee_editors: &'a [Id],
    /// Who released the payment, once paid.
    pub payer: Option<&'a Id>,
}

/// The hand someone already holds on a grant, which bars them from another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HandHeld {
    /// They proposed it.
    #[error("You proposed this grant, so another person must do this.")]
    Proposed,
    /// They approved it.
    #[error("You approved this grant, so another person must release the payment.")]
    Approved,
    /// They entered or changed the payee's details.
    #[error(
        "You entered or changed this payee's payment details, so another finance officer must release the payment."
    )]
    EditedPayee,
    /// They released the payment.
    #[error("You released this grant's payment, so you may not approve or ratify it.")]
    Paid,
    /// They entered or changed the payee's details, so they may not decide on it.
    #[error("You entered or changed this payee's payment details, so another supervisor must decide.")]
    EditedPayeeDecide,
}

impl<Id: PartialEq> Hands<'_, Id> {
    /// Whether `who` may approve, ratify or reject: never the proposer, the payer or
    /// anyone who entered or changed the payee's details.
    pub fn may_decide(&self, who: &Id) -> Result<(), HandHeld> {
        if self.proposer == who {
            Err(HandHeld::Proposed)
        } else if self.payer == Some(who) {
            Err(HandHeld::Paid)
        } else if self.payee_editors.contains(who) {
            Err(HandHeld::EditedPayeeDecide)
        } else {
            Ok(())
        }
    }

    /// Whether `who` may release the payment: never the proposer, an approver or a payee editor.
    pub fn may_pay(&self, who: &Id) -> Result<(), HandHeld> {
        if self.proposer == who {
            Err(HandHeld::Proposed)
        } else if self.approvers.contains(who) {
            Err(HandHeld::Approved)
        } else if self.payee_editors.contains(who) {
            Err(HandHeld::EditedPayee)
        } else {
            Ok(())
        }
    }
}

impl GrantState {
    /// Paid and not reversed: the states [`GrantState::is_paid`] names, as one set that SQL
    /// binds (`status = any($1)`) so code and queries cannot drift apart.
    pub const PAID: &'static [GrantState] =
        &[GrantState::Disbursed, GrantState::ReceiptConfirmed, GrantState::Reported];

    /// Waiting on a supervisor (a decision or a ratification) or on finance (the payment):
    /// still to be paid, so while a case has one its disburse clock runs.
    pub const PENDING: &'static [GrantState] =
        &[GrantState::Proposed, GrantState::ProvisionallyApproved, GrantState::Frozen, GrantState::Approved];

    /// Never went ahead: rejected or cancelled (left out of what the reports count).
    pub const DROPPED: &'static [GrantState] = &[GrantState::Rejected, GrantState::Cancelled];

    /// Whether the fund holds a reservation for the grant in this state.
    pub fn holds_reservation(self) -> bool {
        matches!(self, GrantState::Approved | GrantState::ProvisionallyApproved | GrantState::Frozen)
    }

    /// Whether money went out (and was not reversed).
    pub fn is_paid(self) -> bool {
        GrantState::PAID.contains(&self)
    }

    /// Whether nothing more will happen to it.
    pub fn is_final(self) -> bool {
        matches!(self, GrantState::Rejected | GrantState::Cancelled | GrantState::Reversed | GrantState::Reported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_OF_ONE: Approvals = Approvals { given: 1, needed: 1, provisional: false };

    #[test]
    fn tiers_follow_the_design_defaults() {
        let tiers = Tiers::default();
        assert_eq!(tiers.tier_of(200_000), Some(Tier::A));
        assert_eq!(tiers.tier_of(200_001), Some(Tier::B));
        assert_eq!(tiers.tier_of(800_000), Some(Tier::B));
        assert_eq!(tiers.tier_of(800_001), Some(Tier::C));
        assert_eq!(tiers.tier_of(1_000_001), None);
        assert_eq!(Tier::B.approvals_needed(), 2);
        assert_eq!(Tier::C.approvals_needed(), 3);
        assert!(tiers.is_ordered());
        assert!(!Tiers { a_max: 5, b_max: 5, hard_cap: 9 }.is_ordered());
    }

    #[test]
    fn tier_b_with_one_approval_stays_proposed() {
        let one = Approvals { given: 1, needed: 2, provisional: false };
        let two = Approvals { given: 2, needed: 2, provisional: false };
        let approve = |a| next(GrantState::Proposed, GrantTransition::Approve, GrantActor::Supervisor, a);
        assert_eq!(approve(one), Ok(GrantState::Proposed));
        assert_eq!(approve(two), Ok(GrantState::Approved));
        let provisional = Approvals { given: 1, needed: 2, provisional: true };
        assert_eq!(approve(provisional), Ok(GrantState::ProvisionallyApproved));
        let ratify = |s| next(s, GrantTransition::Ratify, GrantActor::Supervisor, two);
        assert_eq!(ratify(GrantState::ProvisionallyApproved), Ok(GrantState::Approved));
        assert_eq!(ratify(GrantState::Frozen), Ok(GrantState::Approved));
    }

    #[test]
    fn the_happy_path() {
        use GrantActor as A;
        use GrantTransition as T;
        let mut state = GrantState::Proposed;
        for (transition, actor) in [
            (T::Approve, A::Supervisor),
            (T::Disburse, A::Finance),
            (T::ConfirmReceipt, A::Requester),
            (T::Report, A::Handler),
        ] {
            state = next(state, transition, actor, ONE_OF_ONE).unwrap_or(GrantState::Cancelled);
        }
        assert_eq!(state, GrantState::Reported);
    }

    #[test]
    fn only_the_right_actor_from_the_right_state() {
        use GrantActor as A;
        use GrantState as S;
        use GrantTransition as T;
        assert!(next(S::Proposed, T::Approve, A::Handler, ONE_OF_ONE).is_err(), "handlers never approve");
        assert!(next(S::Approved, T::Disburse, A::Handler, ONE_OF_ONE).is_err(), "handlers never pay");
        assert!(next(S::Approved, T::Disburse, A::Supervisor, ONE_OF_ONE).is_err(), "nor do supervisors");
        assert!(next(S::Proposed, T::Disburse, A::Finance, ONE_OF_ONE).is_err(), "not before approval");
        assert!(next(S::Frozen, T::Disburse, A::Finance, ONE_OF_ONE).is_err(), "not while frozen");
        assert!(next(S::Disbursed, T::Disburse, A::Finance, ONE_OF_ONE).is_err(), "not twice");
        assert!(next(S::Disbursed, T::Cancel, A::Supervisor, ONE_OF_ONE).is_err(), "a paid grant is reversed");
        assert!(next(S::Approved, T::Freeze, A::System, ONE_OF_ONE).is_err(), "only provisional ones freeze");
        // Every transition × state × actor: no panic; count what is allowed so a new move is noticed.
        let mut allowed = 0;
        for &state in S::ALL {
            for &transition in T::ALL {
                for actor in [A::Handler, A::Supervisor, A::Finance, A::Requester, A::System] {
                    if next(state, transition, actor, ONE_OF_ONE).is_ok() {
                        allowed += 1;
                    }
                }
            }
        }
        assert_eq!(allowed, 24);
    }

    #[test]
    fn no_person_holds_two_hands_on_one_grant() {
        let (proposer, approver, editor, payer, other) = (1, 2, 3, 4, 5);
        let hands =
            Hands { proposer: &proposer, approvers: &[approver], payee_editors: &[editor], payer: Some(&payer) };
        assert_eq!(hands.may_pay(&proposer), Err(HandHeld::Proposed));
        assert_eq!(hands.may_pay(&approver), Err(HandHeld::Approved));
        assert_eq!(hands.may_pay(&editor), Err(HandHeld::EditedPayee));
        assert_eq!(hands.may_pay(&other), Ok(()));
        assert_eq!(hands.may_decide(&proposer), Err(HandHeld::Proposed));
        assert_eq!(hands.may_decide(&payer), Err(HandHeld::Paid));
        assert_eq!(hands.may_decide(&editor), Err(HandHeld::EditedPayeeDecide));
        assert_eq!(hands.may_decide(&other), Ok(()));
    }

    #[test]
    fn reservations_and_payments_by_state() {
        assert!(GrantState::ProvisionallyApproved.holds_reservation());
        assert!(!GrantState::Disbursed.holds_reservation());
        assert!(GrantState::Reported.is_paid());
        assert!(!GrantState::Reversed.is_paid());
        for &state in GrantState::ALL {
            assert_eq!(GrantState::PAID.contains(&state), state.is_paid());
            assert!(!(GrantState::PENDING.contains(&state) && state.is_final()), "{state} is pending and final");
            assert!(!(GrantState::DROPPED.contains(&state) && state.is_paid()), "{state} is dropped and paid");
        }
    }
}
