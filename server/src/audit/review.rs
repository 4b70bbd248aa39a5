//! Supervisors' reviews of recorded decisions; a review is itself an audit entry.

use serde_json::json;
use shelter_shared::audit::{AuditAction, ReviewVerdict};
use sqlx::PgPool;
use uuid::Uuid;

use super::{Actor, Appended, NewEntry, SealedRationale, Subject, record};
use crate::clock::Clock;
use crate::keys::Keys;

/// Why a review is refused.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// No such entry.
    #[error("There is no audit entry with that number.")]
    NotFound,
    /// Only decisions (entries with a rationale) are reviewed.
    #[error("Only decisions, which carry a rationale, can be reviewed.")]
    NotADecision,
    /// Nobody reviews their own decision.
    #[error("You cannot review your own decision.")]
    OwnDecision,
    /// The comment is empty or too long.
    #[error("Write a comment of 1 to 2000 characters.")]
    BadComment,
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Records `reviewer`'s verdict on entry `seq`, with a comment (sealed like the rationale
/// it comments on: with that case's key when the entry concerns a case).
pub async fn review(
    pool: &PgPool,
    keys: &Keys,
    clock: &dyn Clock,
    reviewer: Uuid,
    seq: i64,
    verdict: ReviewVerdict,
    comment: &str,
) -> Result<Appended, ReviewError> {
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 2000 {
        return Err(ReviewError::BadComment);
    }
    let mut tx = pool.begin().await.map_err(anyhow::Error::from)?;
    // A case the reviewer declared a conflict on is out of their sight: as if not there.
    // The action stays text: an entry of any age may be reviewed, its name known or not.
    let entry = sqlx::query!(
        r#"select actor_id, (rationale is not null or rationale_sealed is not null) as "has_rationale!", action,
                rationale_case, subject_kind, subject_id
         from audit_log
         where seq = $1 and not (subject_kind = 'case'
             and subject_id in (select case_id::text from case_conflict where staff_user_id = $2))"#,
        seq,
        reviewer
    )
    .fetch_optional(&mut *tx)
    .await
    .map_err(anyhow::Error::from)?;
    let entry = entry.ok_or(ReviewError::NotFound)?;
    let (actor_id, has_rationale, action, rationale_case, subject_kind, subject_id) =
        (entry.actor_id, entry.has_rationale, entry.action, entry.rationale_case, entry.subject_kind, entry.subject_id);
    let is_decision = action.parse::<AuditAction>().is_ok_and(AuditAction::is_decision) || has_rationale;
    if !is_decision {
        return Err(ReviewError::NotADecision);
    }
    if actor_id.as_deref() == Some(reviewer.to_string().as_str()) {
        return Err(ReviewError::OwnDecision);
    }
    let case = rationale_case.or_else(|| {
        subject_id.filter(|_| subject_kind.as_deref() == Some("case")).and_then(|id| id.parse::<Uuid>().ok())
    });
    let sealed = match case {
        Some(case) => {
            // A purged case has no key: the comment is sealed with the general audit key.
            let sealed_key: Option<Vec<u8>> =
                sqlx::query_scalar!("select sealed_key from cases where case_id = $1", case)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(anyhow::Error::from)?
                    .flatten();
            match sealed_key {
                Some(k) => SealedRationale::for_case(&crate::cases::crypto::CaseKey::open(keys, case, &k)?, comment)?,
                None => SealedRationale::general(keys, comment)?,
            }
        }
        None => SealedRationale::general(keys, comment)?,
    };
    let entry = NewEntry::new(Actor::Staff(reviewer), AuditAction::AuditReviewed)
        .subject(Subject { kind: "audit_entry", id: seq.to_string() })
        .rationale(sealed)
        .details(json!({"verdict": verdict, "reviewed_action": action}));
    let appended = record(&mut tx, entry, clock.now()).await.map_err(anyhow::Error::from)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    Ok(appended)
}
