//! The requester's portal: sign in with reference and passphrase, see the status in plain
//! words, exchange messages. Sessions last 15 minutes idle and 2 hours at most.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use shelter_shared::intake::Reference;
use shelter_shared::notice::NewsChannel;
use shelter_shared::referral::ReferralState;
use sqlx::PgConnection;
use uuid::Uuid;

use super::crypto::CaseKey;
use super::duress::Matched;
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::identity::sessions::SessionKind;
use crate::keys::random_bytes;

/// Idle timeout of a portal session.
pub const IDLE: Duration = Duration::minutes(15);
/// Absolute lifetime of a portal session.
pub const ABSOLUTE: Duration = Duration::hours(2);
/// Failures allowed before a reference is paused.
const FREE_FAILURES: i32 = 5;
/// Longest pause of one reference. Short on purpose: anyone who knows a reference could
/// otherwise lock its requester out for long, and six diceware words behind argon2id
/// (with the per-address limit) make guessing hopeless anyway. A correct passphrase is
/// never refused for longer than this after the last failure.
const MAX_PAUSE_SECS: i64 = 5 * 60;
/// Longest message, in characters.
pub const MESSAGE_MAX: usize = 5_000;

/// A live portal session.
#[derive(Debug, Clone)]
pub struct RequesterSession {
    /// The session.
    pub session_id: Uuid,
    /// The case.
    pub case_id: Uuid,
    /// The case's reference.
    pub reference: String,
    /// The token forms must echo.
    pub csrf_token: String,
    /// Set when this session sees the calm view instead of the case (see [`Calm`]).
    pub calm: Option<Calm>,
}

/// Why a session sees the calm view: the request shown as closed with no further action,
/// nothing real on it. Whatever it sends is kept apart and marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calm {
    /// Signed in with the second (duress) passphrase.
    Duress,
    /// The case is in custody mode: the phone may be in other hands.
    Custody,
}

impl Calm {
    /// The mark stored on what such a session sends.
    pub fn as_str(self) -> &'static str {
        match self {
            Calm::Duress => "duress",
            Calm::Custody => "custody",
        }
    }

    /// A duress session stays one; otherwise custody mode decides, request by request.
    fn of(duress: bool, custody: bool) -> Option<Calm> {
        if duress {
            Some(Calm::Duress)
        } else if custody {
            Some(Calm::Custody)
        } else {
            None
        }
    }
}

/// One message as the requester sees it: no staff names.
#[derive(Debug, Clone)]
pub struct PortalMessage {
    /// Written by the requester (else by the network).
    pub from_requester: bool,
    /// The text.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The case as the requester sees it.
#[derive(Debug, Clone)]
pub struct PortalView {
    /// Reference.
    pub reference: String,
    /// Status in the requester's terms: received, being_handled, on_hold, closed.
    pub status: &'static str,
    /// Messages, oldest first.
    pub messages: Vec<PortalMessage>,
    /// The channel the requester is told about news on, if they asked.
    pub news: Option<shelter_shared::notice::NewsChannel>,
    /// The case's country (ISO 3166 alpha-2), for showing times in local time.
    pub country: String,
}

/// The requester's words for a case status.
pub fn requester_status(status: CaseState) -> &'static str {
    match status {
        CaseState::New => "received",
        CaseState::Acknowledged | CaseState::Active => "being_handled",
        CaseState::OnHold => "on_hold",
        CaseState::Closed => "closed",
    }
}

struct SessionRow {
    session_id: Uuid,
    case_id: Uuid,
    reference: String,
    csrf_token: String,
    last_seen: DateTime<Utc>,
    expires: DateTime<Utc>,
    duress: bool,
    custody: bool,
}

struct CaseLogin {
    case_id: Uuid,
    reference: String,
    passphrase_hash: String,
    duress_hash: Option<String>,
    custody: bool,
}

impl Cases {
    fn reference_subject(&self, reference: &str) -> Vec<u8> {
        self.keys.lookup_hash("requester-sign-in", reference.as_bytes())
    }

    /// The pause left for a reference, in seconds, if any.
    async fn paused(&self, subject: &[u8]) -> Result<Option<u64>, CaseError> {
        let until = sqlx::query_scalar!("select locked_until from requester_throttle where subject_hash = $1", subject)
            .fetch_optional(&self.db)
            .await?;
        let now = self.clock.now();
        Ok(until.flatten().filter(|t| *t > now).map(|t| u64::try_from((t - now).num_seconds()).unwrap_or(1).max(1)))
    }

    /// Counts a failed sign-in; `custody_case` names a case in custody mode, whose handler
    /// hears of every attempt.
    async fn portal_failure(&self, subject: &[u8], custody_case: Option<Uuid>) -> Result<(), CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let failures = sqlx::query_scalar!(
            "insert into requester_throttle (subject_hash, failures, last_failure_at) values ($1, 1, $2)
             on conflict (subject_hash) do update set failures = requester_throttle.failures + 1, last_failure_at = $2
             returning failures",
            subject,
            now,
        )
        .fetch_one(&mut *tx)
        .await?;
        if failures >= FREE_FAILURES {
            let exponent = u32::try_from(failures - FREE_FAILURES).unwrap_or(20).min(20);
            let pause = (60i64 << exponent).min(MAX_PAUSE_SECS);
            sqlx::query!(
                "update requester_throttle set locked_until = $2 where subject_hash = $1",
                subject,
                now + Duration::seconds(pause),
            )
            .execute(&mut *tx)
            .await?;
        }
        let target = match custody_case {
            Some(id) => Subject { kind: "case", id: id.to_string() },
            None => Subject { kind: "reference", id: hex::encode(&subject[..8]) },
        };
        let entry = NewEntry::new(Actor::System, AuditAction::RequesterSignInFailed)
            .subject(target)
            .details(json!({"failures": failures}));
        audit::record(&mut tx, entry, now).await?;
        if let Some(case_id) = custody_case {
            custody_attempt(&mut tx, case_id, false, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Signs a requester in; the same answer whether or not the reference exists.
    pub async fn portal_sign_in(
        &self,
        typed_reference: &str,
        passphrase: &str,
        kind: SessionKind,
    ) -> Result<(String, RequesterSession), CaseError> {
        let reference = Reference::parse(typed_reference);
        let key = reference.as_ref().map(|r| r.to_string()).unwrap_or_else(|| typed_reference.trim().to_uppercase());
        let subject = self.reference_subject(&key);
        if let Some(retry_after_secs) = self.paused(&subject).await? {
            return Err(CaseError::Locked { retry_after_secs });
        }
        let case = match &reference {
            Some(reference) => {
                // A purged case is not found: its reference answers exactly like an unknown one.
                sqlx::query_as!(
                    CaseLogin,
                    r#"select case_id, reference, passphrase_hash as "passphrase_hash!", duress_hash,
                            exists (select 1 from case_custody k where k.case_id = c.case_id and k.lifted_at is null)
                                as "custody!"
                     from cases c where reference = $1 and purged_at is null"#,
                    reference.as_str(),
                )
                .fetch_optional(&self.db)
                .await?
            }
            None => None,
        };
        // Both hashes, every time: see `duress::verify_pair`.
        let matched = super::duress::verify_pair(
            &self.passwords,
            passphrase,
            case.as_ref().map(|c| c.passphrase_hash.as_str()),
            case.as_ref().and_then(|c| c.duress_hash.as_deref()),
        )
        .await?;
        let case = match (case, matched) {
            (Some(case), Matched::Real | Matched::Duress) => case,
            (case, _) => {
                self.portal_failure(&subject, case.filter(|c| c.custody).map(|c| c.case_id)).await?;
                return Err(CaseError::InvalidCredentials);
            }
        };
        let duress = matched == Matched::Duress;
        let now = self.clock.now();
        let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let csrf = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let session_id = Uuid::new_v4();
        let mut tx = self.db.begin().await?;
        sqlx::query!("delete from requester_throttle where subject_hash = $1", &subject).execute(&mut *tx).await?;
        sqlx::query!(
            "insert into requester_session (requester_session_id, token_hash, case_id, kind, csrf_token, created_at,
                                            last_seen_at, expires_at, duress)
             values ($1, $2, $3, $4, $5, $6, $6, $7, $8)",
            session_id,
            self.keys.lookup_hash("requester-session", token.as_bytes()),
            case.case_id,
            kind.as_str(),
            &csrf,
            now,
            now + ABSOLUTE,
            duress,
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Requester(case.reference.clone()), AuditAction::RequesterSignIn)
            .subject(Subject { kind: "case", id: case.case_id.to_string() })
            .details(json!({"session_kind": kind.as_str()}));
        audit::record(&mut tx, entry, now).await?;
        if case.custody {
            custody_attempt(&mut tx, case.case_id, true, now).await?;
        }
        tx.commit().await?;
        if duress {
            // The alert is raised beside the answer, not before it: the answer does the same
            // work as a real sign-in's. The session row remembers the alert is owed, so the
            // clock raises it should this task not (see `Cases::raise_owed_duress`).
            let cases = self.clone();
            tokio::spawn(async move {
                if let Err(error) = cases.raise_duress_of(session_id).await {
                    tracing::warn!(error = %error, "duress alert left to the next clock round");
                }
            });
        }
        let calm = Calm::of(duress, case.custody);
        Ok((
            token,
            RequesterSession { session_id, case_id: case.case_id, reference: case.reference, csrf_token: csrf, calm },
        ))
    }

    /// The live session behind `token`, marking it used.
    pub async fn portal_session(&self, token: &str, kind: SessionKind) -> Result<Option<RequesterSession>, CaseError> {
        let now = self.clock.now();
        let row = sqlx::query_as!(
            SessionRow,
            r#"select s.requester_session_id as session_id, s.case_id, c.reference, s.csrf_token,
                    s.last_seen_at as last_seen, s.expires_at as expires, s.duress,
                    exists (select 1 from case_custody k where k.case_id = s.case_id and k.lifted_at is null)
                        as "custody!"
             from requester_session s join cases c using (case_id)
             where s.token_hash = $1 and s.kind = $2 and s.ended_at is null and c.purged_at is null"#,
            self.keys.lookup_hash("requester-session", token.as_bytes()),
            kind.as_str(),
        )
        .fetch_optional(&self.db)
        .await?;
        let Some(SessionRow { session_id, case_id, reference, csrf_token, last_seen, expires, duress, custody }) = row
        else {
            return Ok(None);
        };
        if now >= expires || now - last_seen >= IDLE {
            self.end_portal_session(session_id).await?;
            return Ok(None);
        }
        sqlx::query!("update requester_session set last_seen_at = $2 where requester_session_id = $1", session_id, now)
            .execute(&self.db)
            .await?;
        Ok(Some(RequesterSession { session_id, case_id, reference, csrf_token, calm: Calm::of(duress, custody) }))
    }

    async fn end_portal_session(&self, session_id: Uuid) -> Result<(), CaseError> {
        sqlx::query!(
            "update requester_session set ended_at = $2 where requester_session_id = $1 and ended_at is null",
            session_id,
            self.clock.now(),
        )
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Ends the session (sign-out or quick exit).
    pub async fn portal_sign_out(&self, session: &RequesterSession) -> Result<(), CaseError> {
        let mut tx = self.db.begin().await?;
        sqlx::query!(
            "update requester_session set ended_at = $2 where requester_session_id = $1 and ended_at is null",
            session.session_id,
            self.clock.now(),
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::RequesterSignOut)
            .subject(Subject { kind: "case", id: session.case_id.to_string() });
        audit::record(&mut tx, entry, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens the case's data key, read on `conn`: the request's own connection (or
    /// transaction), never a second one from the pool.
    pub(crate) async fn case_key(&self, conn: &mut PgConnection, case_id: Uuid) -> Result<CaseKey, CaseError> {
        let sealed =
            sqlx::query_scalar!("select sealed_key from cases where case_id = $1", case_id).fetch_one(conn).await?;
        // A purged case has no key any more: nothing of it can be opened.
        let sealed = sealed.ok_or_else(|| anyhow::anyhow!("case {case_id} was purged: its key is destroyed"))?;
        Ok(CaseKey::open(&self.keys, case_id, &sealed)?)
    }

    /// The status and messages of the session's case.
    pub async fn portal_view(&self, session: &RequesterSession) -> Result<PortalView, CaseError> {
        let mut conn = self.db.acquire().await?;
        let case = sqlx::query!(
            r#"select status as "status: CaseState",
                    exists (select 1 from referral r where r.case_id = c.case_id and r.status = any($2)) as "referred!",
                    (select channel from requester_notice_contact n where n.case_id = c.case_id)
                        as "news: NewsChannel",
                    country
             from cases c where case_id = $1"#,
            session.case_id,
            ReferralState::WITH_PARTNER as _,
        )
        .fetch_one(&mut *conn)
        .await?;
        let (status, referred, news, country) = (case.status, case.referred, case.news, case.country);
        let key = self.case_key(&mut conn, session.case_id).await?;
        // Kept apart: the requester's own sessions never see what calm sessions sent, and
        // calm sessions see only that, never the real exchange.
        let rows = sqlx::query!(
            "select message_id, author_kind, ciphertext, created_at from case_message
             where case_id = $1 and (portal_mark is not null) = $2 order by created_at",
            session.case_id,
            session.calm.is_some(),
        )
        .fetch_all(&mut *conn)
        .await?;
        let messages = rows
            .into_iter()
            .map(|m| {
                let body = key.open_text(&format!("message:{}", m.message_id), &m.ciphertext)?;
                Ok(PortalMessage { from_requester: m.author_kind == "requester", body, at: m.created_at })
            })
            .collect::<anyhow::Result<_>>()?;
        let status = match requester_status(status) {
            "closed" => "closed",
            _ if referred => "referred",
            other => other,
        };
        if session.calm.is_some() {
            // The calm view: a closed request with no further action, no news.
            return Ok(PortalView {
                reference: session.reference.clone(),
                status: "closed",
                messages,
                news: None,
                country,
            });
        }
        Ok(PortalView { reference: session.reference.clone(), status, messages, news, country })
    }

    /// Stores a message from the requester, sealed, with its audit entry.
    pub async fn portal_message(&self, session: &RequesterSession, body: &str) -> Result<Uuid, CaseError> {
        let body = shelter_shared::intake::clean(body);
        if body.is_empty() {
            return Err(CaseError::Invalid { message_id: "error-message-empty" });
        }
        if body.chars().count() > MESSAGE_MAX {
            return Err(CaseError::Invalid { message_id: "error-field-too-long" });
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let key = self.case_key(&mut tx, session.case_id).await?;
        let message_id = Uuid::new_v4();
        let sealed = key.seal(&format!("message:{message_id}"), body.as_bytes())?;
        sqlx::query!(
            "insert into case_message (message_id, case_id, author_kind, ciphertext, created_at, portal_mark)
             values ($1, $2, 'requester', $3, $4, $5)",
            message_id,
            session.case_id,
            sealed,
            now,
            session.calm.map(Calm::as_str),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("update cases set updated_at = $2 where case_id = $1", session.case_id, now)
            .execute(&mut *tx)
            .await?;
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::RequesterMessage)
            .subject(Subject { kind: "case", id: session.case_id.to_string() })
            .details(json!({"message": message_id, "calm": session.calm.map(Calm::as_str)}));
        crate::notify::hooks::requester_message(&mut tx, session.case_id, now).await?;
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(message_id)
    }
}

/// Someone signed in (`succeeded`), or tried to, to a case in custody mode: audited, and its
/// handler is told.
async fn custody_attempt(
    tx: &mut PgConnection,
    case_id: Uuid,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    let entry = NewEntry::new(Actor::System, AuditAction::CustodySignIn)
        .subject(Subject { kind: "case", id: case_id.to_string() })
        .details(json!({"succeeded": succeeded}));
    audit::record(tx, entry, now).await?;
    crate::notify::hooks::custody_sign_in(tx, case_id, now).await?;
    Ok(())
}
