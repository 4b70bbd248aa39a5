//! Staff accounts in the database.

use chrono::{DateTime, Utc};
use shelter_shared::language::Language;
use shelter_shared::staff::Role;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

/// A staff account as stored. Holds hashes and sealed secrets, so it is never serialised.
#[derive(Debug, Clone, FromRow)]
pub struct StaffUserRow {
    /// Id.
    pub staff_user_id: Uuid,
    /// Sign-in e-mail.
    pub email: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role names.
    pub roles: Vec<String>,
    /// `enrolling`, `active` or `disabled`.
    pub status: String,
    /// argon2id PHC string.
    pub password_hash: Option<String>,
    /// TOTP secret sealed under the TOTP key.
    pub totp_secret_sealed: Option<Vec<u8>>,
    /// When the enrolment code stops working.
    pub enrolment_expires_at: Option<DateTime<Utc>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Waits for a supervisor other than `pending_requested_by` to confirm it.
    pub pending_confirmation: bool,
    /// `created` or `two_factor_reset`.
    pub pending_reason: Option<String>,
    /// The administrator who created or reset it.
    pub pending_requested_by: Option<Uuid>,
    /// When it got its present credentials (created or second factor reset).
    pub credentials_since: DateTime<Utc>,
}

impl StaffUserRow {
    /// The roles, skipping any name this version does not know.
    pub fn roles(&self) -> Vec<Role> {
        self.roles.iter().filter_map(|r| r.parse().ok()).collect()
    }
}

/// `staff_user_rows!(tail, args…)`: the query for [`StaffUserRow`]s, `tail` (a literal)
/// pasted after its `from`, so every reader selects the same columns.
macro_rules! staff_user_rows {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            StaffUserRow,
            "select staff_user_id, email, display_name, roles, status, password_hash, totp_secret_sealed,
                    enrolment_expires_at, created_at, pending_confirmation, pending_reason, pending_requested_by,
                    credentials_since
             from staff_user " + $tail
            $(, $arg)*
        )
    };
}

/// Sets how `id` reads the staff pages: language and time zone (minutes east of UTC,
/// one of [`shelter_shared::local_time::STAFF_OFFSETS`], checked by the caller).
pub async fn set_reading(
    conn: &mut PgConnection,
    id: Uuid,
    language: Language,
    utc_offset_minutes: i16,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update staff_user set language = $2, utc_offset_minutes = $3 where staff_user_id = $1",
        id,
        language as Language,
        utc_offset_minutes
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The account with this e-mail.
pub async fn by_email(conn: &mut PgConnection, email: &str) -> sqlx::Result<Option<StaffUserRow>> {
    staff_user_rows!("where email = $1", email).fetch_optional(conn).await
}

/// The account with this id.
pub async fn by_id(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<StaffUserRow>> {
    staff_user_rows!("where staff_user_id = $1", id).fetch_optional(conn).await
}

/// The account holding this (hashed) enrolment code, locked for update.
pub async fn by_enrolment_code(conn: &mut PgConnection, code_hash: &[u8]) -> sqlx::Result<Option<StaffUserRow>> {
    staff_user_rows!("where enrolment_code_hash = $1 for update", code_hash).fetch_optional(conn).await
}

/// Every account, by name.
pub async fn all(conn: &mut PgConnection) -> sqlx::Result<Vec<StaffUserRow>> {
    staff_user_rows!("order by display_name, email").fetch_all(conn).await
}

/// Each partner account's organisation, when linked: (account, organisation id, its name).
pub async fn partner_links(conn: &mut PgConnection) -> sqlx::Result<Vec<(Uuid, Uuid, String)>> {
    let rows = sqlx::query!(
        "select u.staff_user_id, p.partner_id, p.name from staff_user u join partner p on p.partner_id = u.partner_id"
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| (r.staff_user_id, r.partner_id, r.name)).collect())
}

/// Whether any supervisor account other than those in `except` exists, whatever its state:
/// then a privileged account waits for confirmation. Disabled and pending ones count too, so
/// an administrator cannot disable every supervisor and then create unchecked ones; the
/// operator at the server's shell (`shelter user add`) remains the way out.
pub async fn supervisor_exists(conn: &mut PgConnection, except: &[Uuid]) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from staff_user where 'supervisor' = any(roles) and staff_user_id <> all($1))
                as "exists!""#,
        except
    )
    .fetch_one(conn)
    .await
}

/// Whether an account counts as an active administrator: it can sign in and manage accounts.
pub fn is_active_admin(user: &StaffUserRow) -> bool {
    user.status == "active" && !user.pending_confirmation && user.roles.iter().any(|r| r == "admin")
}

/// The active administrators' ids, their rows locked until the transaction ends.
pub async fn active_admins_locked(conn: &mut PgConnection) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select staff_user_id from staff_user
         where status = 'active' and not pending_confirmation and 'admin' = any(roles)
         order by staff_user_id for update",
    )
    .fetch_all(conn)
    .await
}

/// Whether any account exists (first run tells how to create one).
pub async fn any_exist(conn: &mut PgConnection) -> sqlx::Result<bool> {
    sqlx::query_scalar!(r#"select exists (select 1 from staff_user) as "exists!""#).fetch_one(conn).await
}

/// Records that a TOTP step was used, unless it (or a later one) was used before.
/// Returns false for a replay.
pub async fn claim_totp_step(conn: &mut PgConnection, id: Uuid, step: i64) -> sqlx::Result<bool> {
    let result = sqlx::query!(
        "update staff_user set totp_last_step = $2 where staff_user_id = $1 and coalesce(totp_last_step, -1) < $2",
        id,
        step
    )
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
