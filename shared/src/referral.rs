//! Legal referral: the vocabulary and the state machine.
//!
//! ```text
//! DRAFT ─submit─► AWAITING_APPROVAL ─approve─► AWAITING_CONSENT ─consent─► SENT ─accept─► ACCEPTED ─conclude─► CONCLUDED
//!   └──submit (no approval needed)──────────────────┘                        └─decline─► DECLINED
//! any state but WITHDRAWN ─withdraw─► WITHDRAWN
//! ```
//!
//! The partner sees the packet from SENT until they decline, or until a set time after they
//! conclude ([`partner_may_see`]); staff and the requester may withdraw it before that.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

named! {
    /// What a partner practises.
    Expertise {
        CriminalDefence => "criminal_defence",
        LandEnvironment => "land_environment",
        Slapp => "slapp",
        DigitalRights => "digital_rights",
        AsylumRelocation => "asylum_relocation",
    }
}

named! {
    /// Whether a partner can take new referrals.
    Capacity {
        Available => "available",
        Limited => "limited",
        Full => "full",
    }
}

named! {
    /// A part of the case that may go into a referral packet. The first four are the
    /// minimal default; the rest only when the handler chooses them explicitly.
    PacketField {
        Kind => "kind",
        Country => "country",
        LegalHelp => "legal_help",
        Summary => "summary",
        Names => "names",
        Contact => "contact",
        Narrative => "narrative",
    }
}

impl PacketField {
    /// The fields a packet holds unless the handler adds more.
    pub const MINIMAL: [PacketField; 4] =
        [PacketField::Kind, PacketField::Country, PacketField::LegalHelp, PacketField::Summary];
}

named! {
    /// Where a referral is.
    ReferralState {
        Draft => "draft",
        AwaitingApproval => "awaiting_approval",
        AwaitingConsent => "awaiting_consent",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Concluded => "concluded",
        Withdrawn => "withdrawn",
    }
}

named! {
    /// A change of a referral's state.
    ReferralTransition {
        Submit => "submit",
        Approve => "approve",
        Consent => "consent",
        Accept => "accept",
        Decline => "decline",
        Conclude => "conclude",
        Withdraw => "withdraw",
    }
}

/// Who acts on a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralActor {
    /// The case's handler.
    Handler,
    /// A supervisor.
    Supervisor,
    /// The requester, in the portal.
    Requester,
    /// The partner the referral is addressed to.
    Partner,
}

/// Why a referral transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    /// Not from this state.
    #[error("a referral that is {0} cannot be {1}ed")]
    WrongState(ReferralState, ReferralTransition),
    /// Not by this actor.
    #[error("{0:?} may not {1} a referral")]
    WrongActor(ReferralActor, ReferralTransition),
}

/// The state `transition` leads to from `state` when `actor` makes it; `needs_approval`
/// comes from the case's playbook.
pub fn next(
    state: ReferralState,
    transition: ReferralTransition,
    actor: ReferralActor,
    needs_approval: bool,
) -> Result<ReferralState, ReferralError> {
    use ReferralActor as A;
    use ReferralState as S;
    use ReferralTransition as T;
    let allowed: &[ReferralActor] = match transition {
        T::Submit => &[A::Handler, A::Supervisor],
        T::Approve => &[A::Supervisor],
        // The handler may record consent given another way (by phone), with a rationale.
        T::Consent => &[A::Requester, A::Handler, A::Supervisor],
        T::Accept | T::Decline | T::Conclude => &[A::Partner],
        T::Withdraw => &[A::Requester, A::Handler, A::Supervisor],
    };
    if !allowed.contains(&actor) {
        return Err(ReferralError::WrongActor(actor, transition));
    }
    let to = match (transition, state) {
        (T::Submit, S::Draft) => {
            if needs_approval {
                S::AwaitingApproval
            } else {
                S::AwaitingConsent
            }
        }
        (T::Approve, S::AwaitingApproval) => S::AwaitingConsent,
        (T::Consent, S::AwaitingConsent) => S::Sent,
        (T::Accept, S::Sent) => S::Accepted,
        (T::Decline, S::Sent) => S::Declined,
        (T::Conclude, S::Accepted) => S::Concluded,
        (
            T::Withdraw,
            S::Draft | S::AwaitingApproval | S::AwaitingConsent | S::Sent | S::Accepted | S::Declined | S::Concluded,
        ) => S::Withdrawn,
        (transition, state) => return Err(ReferralError::WrongState(state, transition)),
    };
    Ok(to)
}

impl ReferralState {
    /// The states in which the partner may see the packet at all: after consent, never
    /// after declining or withdrawal (a concluded one only for a while: [`partner_may_see`]).
    pub const PARTNER_VISIBLE: &'static [ReferralState] =
        &[ReferralState::Sent, ReferralState::Accepted, ReferralState::Concluded];

    /// The states of a referral still among staff (proposed, awaiting a supervisor): the
    /// requester is shown it only once their consent is asked.
    pub const AMONG_STAFF: &'static [ReferralState] = &[ReferralState::Draft, ReferralState::AwaitingApproval];

    /// The states in which a partner holds the case (sent, or taken on): the requester's
    /// request reads as referred meanwhile.
    pub const WITH_PARTNER: &'static [ReferralState] = &[ReferralState::Sent, ReferralState::Accepted];

    /// Whether the partner may see the packet in this state at all ([`Self::PARTNER_VISIBLE`]).
    pub fn visible_to_partner(self) -> bool {
        Self::PARTNER_VISIBLE.contains(&self)
    }
}

/// Days a partner keeps a concluded packet unless configured otherwise.
pub const CONCLUDED_ACCESS_DAYS: u32 = 30;

/// Whether `approver` may approve a referral that `proposer` proposed: never their own. One
/// person holding the handler and supervisor roles is one pair of hands, as with grants.
pub fn approver_is_another<Id: PartialEq>(proposer: &Id, approver: &Id) -> bool {
    proposer != approver
}

/// Whether the partner may see a packet in `state` now: a concluded one only until
/// `keep_concluded` has passed since they answered.
pub fn partner_may_see(
    state: ReferralState,
    answered_at: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    keep_concluded: chrono::Duration,
) -> bool {
    match state {
        ReferralState::Concluded => answered_at.is_some_and(|at| now < at + keep_concluded),
        other => other.visible_to_partner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_happy_path_with_approval() {
        use ReferralActor as A;
        use ReferralTransition as T;
        let mut state = ReferralState::Draft;
        for (transition, actor) in [
            (T::Submit, A::Handler),
            (T::Approve, A::Supervisor),
            (T::Consent, A::Requester),
            (T::Accept, A::Partner),
            (T::Conclude, A::Partner),
        ] {
            state = next(state, transition, actor, true).unwrap_or(ReferralState::Withdrawn);
        }
        assert_eq!(state, ReferralState::Concluded);
    }

    #[test]
    fn no_packet_is_visible_before_consent_or_after_withdrawal() {
        for state in [
            ReferralState::Draft,
            ReferralState::AwaitingApproval,
            ReferralState::AwaitingConsent,
            ReferralState::Declined,
            ReferralState::Withdrawn,
        ] {
            assert!(!state.visible_to_partner(), "{state}");
        }
    }

    #[test]
    fn a_concluded_packet_is_seen_only_for_the_set_time() {
        let answered = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
        let keep = chrono::Duration::days(30);
        let see = |state, days| partner_may_see(state, Some(answered), answered + chrono::Duration::days(days), keep);
        assert!(see(ReferralState::Concluded, 29));
        assert!(!see(ReferralState::Concluded, 30));
        assert!(!see(ReferralState::Declined, 0), "declining ends access at once");
        assert!(see(ReferralState::Accepted, 400));
        assert!(next(ReferralState::Concluded, ReferralTransition::Withdraw, ReferralActor::Requester, true).is_ok());
        assert!(next(ReferralState::Declined, ReferralTransition::Withdraw, ReferralActor::Handler, true).is_ok());
    }

    #[test]
    fn only_the_right_actor_from_the_right_state() {
        assert!(
            next(ReferralState::AwaitingApproval, ReferralTransition::Approve, ReferralActor::Handler, true).is_err()
        );
        assert!(
            next(ReferralState::AwaitingConsent, ReferralTransition::Accept, ReferralActor::Partner, true).is_err()
        );
        assert!(next(ReferralState::Sent, ReferralTransition::Consent, ReferralActor::Requester, true).is_err());
        assert!(next(ReferralState::Withdrawn, ReferralTransition::Withdraw, ReferralActor::Requester, true).is_err());
        assert_eq!(
            next(ReferralState::Draft, ReferralTransition::Submit, ReferralActor::Handler, false),
            Ok(ReferralState::AwaitingConsent)
        );
        // Every transition, every actor, every state: no panic, and only listed moves succeed.
        let mut allowed = 0;
        for &state in ReferralState::ALL {
            for &transition in ReferralTransition::ALL {
                for actor in [
                    ReferralActor::Handler,
                    ReferralActor::Supervisor,
                    ReferralActor::Requester,
                    ReferralActor::Partner,
                ] {
                    if next(state, transition, actor, true).is_ok() {
                        allowed += 1;
                    }
                }
            }
        }
        // submit (2 actors) + approve + consent (3 actors) + accept + decline + conclude + withdraw (7 states × 3 actors)
        assert_eq!(allowed, 30);
    }
}
