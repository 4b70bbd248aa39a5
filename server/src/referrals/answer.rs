//! Moving a referral through its states: a supervisor's approval, consent (the requester's,
//! or recorded by staff), withdrawal, and the partner's answer.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::referral::{self as machine, ReferralActor, ReferralState, ReferralTransition};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{ReferralView, Row, refused};
use crate::audit::Actor;
use crate::cases::Cases;
use crate::cases::portal::RequesterSession;
use crate::cases::triage::{Staff, WorkError};
use crate::playbooks::TaskAction;
use crate::policy::CaseAccess;

/// Who gave the consent that sent a packet (stored in `referral.consent_by`).
#[derive(Debug, Clone, Copy)]
enum ConsentBy {
    /// The requester, in the portal.
    Requester,
    /// Staff, who asked the requester another way.
    Staff,
}

impl ConsentBy {
    fn as_str(self) -> &'static str {
        match self {
            ConsentBy::Requester => "requester",
            ConsentBy::Staff => "staff",
        }
    }
}

/// What a move records beside the new state.
#[derive(Debug, Clone, Copy)]
enum Stamp {
    /// A supervisor approved sending the packet: who.
    Approved(Uuid),
    /// Consent was given: the packet is sent now.
    Consented(ConsentBy),
    /// Withdrawn now.
    Withdrawn,
    /// The partner answered now.
    Answered,
}

impl Cases {
    /// Moves a referral from the state (version) it was read in, with what the move records;
    /// a concurrent change is refused.
    async fn move_referral(
        &self,
        tx: &mut PgConnection,
        row: &Row,
        to: ReferralState,
        stamp: Stamp,
    ) -> Result<(), WorkError> {
        let now = self.clock.now();
        let (id, version) = (row.referral_id, row.version);
        let updated = match stamp {
            Stamp::Approved(by) => {
                sqlx::query!(
                    "update referral set status = $3, version = version + 1, updated_at = $4, approved_by = $5
                 where referral_id = $1 and version = $2",
                    id,
                    version,
                    to as _,
                    now,
                    by,
                )
                .execute(&mut *tx)
                .await?
            }
            Stamp::Consented(by) => {
                sqlx::query!(
                    "update referral set status = $3, version = version + 1, updated_at = $4,
                        consent_by = $5, consented_at = $4, sent_at = $4
                 where referral_id = $1 and version = $2",
                    id,
                    version,
                    to as _,
                    now,
                    by.as_str(),
                )
                .execute(&mut *tx)
                .await?
            }
            Stamp::Withdrawn => {
                sqlx::query!(
                    "update referral set status = $3, version = version + 1, updated_at = $4, withdrawn_at = $4
                 where referral_id = $1 and version = $2",
                    id,
                    version,
                    to as _,
                    now,
                )
                .execute(&mut *tx)
                .await?
            }
            Stamp::Answered => {
                sqlx::query!(
                    "update referral set status = $3, version = version + 1, updated_at = $4, answered_at = $4
                 where referral_id = $1 and version = $2",
                    id,
                    version,
                    to as _,
                    now,
                )
                .execute(&mut *tx)
                .await?
            }
        };
        if updated.rows_affected() == 0 {
            return Err(WorkError::Conflict("This referral was changed meanwhile. Reload it.".into()));
        }
        Ok(())
    }

    /// A staff decision on a referral: a supervisor's approval, consent recorded by a
    /// handler (asked another way, with a rationale), or withdrawal.
    pub async fn staff_referral(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        transition: ReferralTransition,
        rationale: Option<&str>,
    ) -> Result<ReferralView, WorkError> {
        let rationale = rationale.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if rationale.is_none() {
            return Err(WorkError::invalid(ErrorCode::InvalidRationale, "Give a rationale."));
        }
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        let (_, access) = self.open_case(&mut tx, staff, row.case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::NotFound);
        }
        let actor = crate::policy::referral_actor(staff.roles);
        let to = machine::next(row.status, transition, actor, true).map_err(refused)?;
        if transition == ReferralTransition::Approve {
            let proposer = sqlx::query_scalar!("select proposed_by from referral where referral_id = $1", referral_id)
                .fetch_one(&mut *tx)
                .await?;
            if !machine::approver_is_another(&proposer, &staff.id) {
                return Err(WorkError::Forbidden("Another supervisor must approve a referral you proposed.".into()));
            }
        }
        let (action, stamp) = match transition {
            ReferralTransition::Approve => (AuditAction::ReferralApproved, Stamp::Approved(staff.id)),
            ReferralTransition::Consent => (AuditAction::ReferralConsented, Stamp::Consented(ConsentBy::Staff)),
            ReferralTransition::Withdraw => (AuditAction::ReferralWithdrawn, Stamp::Withdrawn),
            _ => return Err(WorkError::Forbidden("You may not do this to a referral.".into())),
        };
        self.move_referral(&mut tx, &row, to, stamp).await?;
        if to == ReferralState::Sent {
            crate::notify::hooks::referral_sent(&mut tx, row.partner_id, self.clock.now()).await?;
        }
        if to == ReferralState::AwaitingConsent {
            // The requester's consent is asked: if they asked to be told, they hear there is news.
            crate::notify::hooks::requester_news(&mut tx, row.case_id, self.clock.now()).await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Staff(staff.id), action, &row, rationale, details).await?;
        if transition == ReferralTransition::Approve {
            let now = self.clock.now();
            crate::cases::autotick::tick(&mut tx, row.case_id, TaskAction::ReferralApproved, staff, now).await?;
        }
        let row = self.load_referral(&mut tx, referral_id).await?;
        let view = self.view_of(&mut tx, row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The requester consents, refuses, or withdraws consent.
    pub async fn requester_referral(
        &self,
        session: &RequesterSession,
        referral_id: Uuid,
        transition: ReferralTransition,
    ) -> Result<(), WorkError> {
        if session.calm.is_some() {
            // Consent is never given (nor withdrawn) from a session that may not be the requester's;
            // answered as an id the case does not have is, so no answer tells the two apart.
            return Err(WorkError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if row.case_id != session.case_id {
            return Err(WorkError::NotFound);
        }
        let current = row.status;
        // Refusing is withdrawing before anything was sent.
        let (to, action, stamp) = match transition {
            ReferralTransition::Consent => (
                machine::next(current, transition, ReferralActor::Requester, true).map_err(refused)?,
                AuditAction::ReferralConsented,
                Stamp::Consented(ConsentBy::Requester),
            ),
            ReferralTransition::Withdraw => (
                machine::next(current, transition, ReferralActor::Requester, true).map_err(refused)?,
                if current == ReferralState::AwaitingConsent {
                    AuditAction::ReferralRefused
                } else {
                    AuditAction::ReferralWithdrawn
                },
                Stamp::Withdrawn,
            ),
            _ => return Err(WorkError::Forbidden("You may not do this to a referral.".into())),
        };
        self.move_referral(&mut tx, &row, to, stamp).await?;
        if to == ReferralState::Sent {
            crate::notify::hooks::referral_sent(&mut tx, row.partner_id, self.clock.now()).await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Requester(session.reference.clone()), action, &row, None, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The partner accepts, declines (with a reason) or reports the outcome.
    pub async fn partner_answer(
        &self,
        user: Uuid,
        referral_id: Uuid,
        transition: ReferralTransition,
        text: &str,
    ) -> Result<(), WorkError> {
        let text = text.trim();
        if text.chars().count() > 5000 {
            return Err(WorkError::invalid(ErrorCode::InvalidAnswer, "At most 5000 characters."));
        }
        if matches!(transition, ReferralTransition::Decline | ReferralTransition::Conclude) && text.is_empty() {
            return Err(WorkError::invalid(ErrorCode::InvalidAnswer, "Say why you decline, or what the outcome was."));
        }
        let mut tx = self.db.begin().await?;
        let partner = self.partner_of(&mut tx, user).await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if row.partner_id != partner || !self.partner_sees(&row) {
            return Err(WorkError::NotFound);
        }
        let to = machine::next(row.status, transition, ReferralActor::Partner, true).map_err(refused)?;
        let action = match transition {
            ReferralTransition::Accept => AuditAction::ReferralAccepted,
            ReferralTransition::Decline => AuditAction::ReferralDeclined,
            _ => AuditAction::ReferralConcluded,
        };
        self.move_referral(&mut tx, &row, to, Stamp::Answered).await?;
        if !text.is_empty() {
            let key = self.case_key(&mut tx, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
            let sealed = key.seal(&format!("referral-answer:{referral_id}"), text.as_bytes())?;
            sqlx::query!("update referral set answer_sealed = $2 where referral_id = $1", referral_id, sealed)
                .execute(&mut *tx)
                .await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Staff(user), action, &row, None, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
