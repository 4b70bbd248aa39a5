//! Server-side sessions: browser cookies and API bearer tokens alike.
//!
//! The token is 256 random bits shown to the client once; the database keeps only a keyed
//! hash. A session ends after 15 minutes idle or 12 hours in all, at sign-out, or when
//! the account is disabled or its second factor reset.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use shelter_frontend::reader::Reader;
use shelter_shared::language::Language;
use shelter_shared::staff::Role;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::{Identity, IdentityError};
use crate::keys::random_bytes;

/// Idle timeout.
pub const IDLE: Duration = Duration::minutes(15);
/// Absolute lifetime.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// Activity closer together than this does not rewrite `last_seen_at`.
const TOUCH_EVERY: Duration = Duration::seconds(30);

/// How the session's token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A cookie in a browser; forms carry a CSRF token.
    Browser,
    /// An `Authorization: Bearer` token for the API; cookies are never accepted with it.
    Api,
}

impl SessionKind {
    /// `browser` or `api`.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Browser => "browser",
            SessionKind::Api => "api",
        }
    }
}

/// A new session: the token goes to the client and is never seen again.
#[derive(Debug)]
pub struct NewSession {
    /// The secret token (cookie value or bearer token).
    pub token: String,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
}

/// A live session and who holds it.
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// The session's id (not its token).
    pub session_id: Uuid,
    /// The account.
    pub user_id: Uuid,
    /// Sign-in e-mail.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// The token forms must echo.
    pub csrf_token: String,
    /// When the second factor was last confirmed.
    pub step_up_at: Option<DateTime<Utc>>,
    /// How the token travels.
    pub kind: SessionKind,
    /// Unread in-app notices, for the count on every staff page.
    pub unread_notices: i64,
    /// The language the holder reads the staff pages in.
    pub language: Language,
    /// The holder's clock, minutes east of UTC.
    pub utc_offset_minutes: i16,
    /// The staff page this request shows (a GET's path), for forms on it that come back
    /// to it (the language switcher); set by the browser extractor.
    pub here: Option<String>,
}

impl StaffSession {
    /// Whether the holder has `role`.
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// How the holder reads pages: language and time zone.
    pub fn reader(&self) -> Reader {
        Reader::new(self.language, i32::from(self.utc_offset_minutes))
    }

    /// Whether the second factor was confirmed within the step-up window.
    pub fn stepped_up(&self, now: DateTime<Utc>) -> bool {
        crate::policy::fresh(self.step_up_at, now)
    }
}

struct SessionRow {
    staff_session_id: Uuid,
    staff_user_id: Uuid,
    csrf_token: String,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    step_up_at: Option<DateTime<Utc>>,
    email: String,
    display_name: String,
    roles: Vec<String>,
    status: String,
    pending_confirmation: bool,
    unread_notices: i64,
    language: Language,
    utc_offset_minutes: i16,
}

/// One of a person's sessions, for the "your sessions" page.
#[derive(Debug, Clone, FromRow)]
pub struct SessionSummary {
    /// Id.
    pub staff_session_id: Uuid,
    /// `browser` or `api`.
    pub kind: String,
    /// Started.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_seen_at: DateTime<Utc>,
}

fn new_token() -> (String, [u8; 32]) {
    let raw = random_bytes::<32>();
    (URL_SAFE_NO_PAD.encode(raw), raw)
}

impl Identity {
    fn token_hash(&self, token: &str) -> Vec<u8> {
        self.keys.lookup_hash("session", token.as_bytes())
    }

    /// Starts a session for `user_id`; the step-up clock starts now since a second factor
    /// was just given.
    pub async fn create_session(
        &self,
        conn: &mut PgConnection,
        user_id: Uuid,
        kind: SessionKind,
    ) -> Result<NewSession, IdentityError> {
        let now = self.clock.now();
        let (token, _) = new_token();
        let (csrf, _) = new_token();
        let expires_at = now + ABSOLUTE;
        sqlx::query!(
            "insert into staff_session (staff_session_id, token_hash, staff_user_id, kind, csrf_token, created_at,
                                        last_seen_at, expires_at, step_up_at)
             values ($1, $2, $3, $4, $5, $6, $6, $7, $6)",
            Uuid::new_v4(),
            self.token_hash(&token),
            user_id,
            kind.as_str(),
            csrf,
            now,
            expires_at
        )
        .execute(conn)
        .await?;
        Ok(NewSession { token, expires_at })
    }

    /// The live session behind `token`, marking it used; `None` when unknown, ended,
    /// expired, of the other kind, or its account is no longer active.
    pub async fn session(&self, token: &str, kind: SessionKind) -> Result<Option<StaffSession>, IdentityError> {
        let now = self.clock.now();
        let mut conn = self.db.acquire().await?;
        let row: Option<SessionRow> = sqlx::query_as!(
            SessionRow,
            r#"select s.staff_session_id, s.staff_user_id, s.csrf_token, s.last_seen_at, s.expires_at, s.step_up_at,
                    u.email, u.display_name, u.roles, u.status, u.pending_confirmation,
                    (select count(*) from notice_delivery d where d.staff_user_id = s.staff_user_id
                        and d.channel = 'in_app' and d.read_at is null) as "unread_notices!",
                    u.language as "language: Language", u.utc_offset_minutes
             from staff_session s join staff_user u using (staff_user_id)
             where s.token_hash = $1 and s.kind = $2 and s.ended_at is null"#,
            self.token_hash(token),
            kind.as_str()
        )
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let ended = if now >= row.expires_at {
            Some("expired")
        } else if now - row.last_seen_at >= IDLE {
            Some("idle")
        } else if row.status != "active" || row.pending_confirmation {
            Some("account inactive")
        } else {
            None
        };
        if let Some(reason) = ended {
            end_session(&mut conn, row.staff_session_id, now, reason).await?;
            return Ok(None);
        }
        if now - row.last_seen_at >= TOUCH_EVERY {
            sqlx::query!(
                "update staff_session set last_seen_at = $2 where staff_session_id = $1",
                row.staff_session_id,
                now
            )
            .execute(&mut *conn)
            .await?;
        }
        Ok(Some(StaffSession {
            session_id: row.staff_session_id,
            user_id: row.staff_user_id,
            email: row.email,
            display_name: row.display_name,
            roles: row.roles.iter().filter_map(|r| r.parse().ok()).collect(),
            csrf_token: row.csrf_token,
            step_up_at: row.step_up_at,
            kind,
            unread_notices: row.unread_notices,
            language: row.language,
            utc_offset_minutes: row.utc_offset_minutes,
            here: None,
        }))
    }

    /// The live sessions of `user_id`, newest first.
    pub async fn list_sessions(&self, user_id: Uuid) -> Result<Vec<SessionSummary>, IdentityError> {
        let cutoff = self.clock.now() - IDLE;
        Ok(sqlx::query_as!(
            SessionSummary,
            "select staff_session_id, kind, created_at, last_seen_at from staff_session
             where staff_user_id = $1 and ended_at is null and expires_at > $2 and last_seen_at > $3
             order by created_at desc",
            user_id,
            self.clock.now(),
            cutoff
        )
        .fetch_all(&self.db)
        .await?)
    }

    /// Ends one of `user_id`'s sessions.
    pub async fn end_own_session(&self, user_id: Uuid, session_id: Uuid, reason: &str) -> Result<(), IdentityError> {
        let mut tx = self.db.begin().await?;
        let done = sqlx::query!(
            "update staff_session set ended_at = $3, end_reason = $4
             where staff_session_id = $1 and staff_user_id = $2 and ended_at is null",
            session_id,
            user_id,
            self.clock.now(),
            reason
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IdentityError::NotFound);
        }
        let entry = crate::audit::NewEntry::new(
            crate::audit::Actor::Staff(user_id),
            shelter_shared::audit::AuditAction::SignOut,
        )
        .subject(crate::audit::Subject::staff_user(user_id))
        .details(serde_json::json!({"session": session_id}));
        crate::audit::record(&mut tx, entry, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Ends one session.
pub async fn end_session(conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>, reason: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "update staff_session set ended_at = $2, end_reason = $3 where staff_session_id = $1 and ended_at is null",
        id,
        now,
        reason
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of an account; returns how many.
pub async fn end_all(conn: &mut PgConnection, user_id: Uuid, now: DateTime<Utc>, reason: &str) -> sqlx::Result<u64> {
    let done = sqlx::query!(
        "update staff_session set ended_at = $2, end_reason = $3 where staff_user_id = $1 and ended_at is null",
        user_id,
        now,
        reason
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
