//! Every column sealed under a purpose key that a rotation replaces.
//!
//! Adding a column sealed with `keys.directory`, `keys.totp` or `keys.case_keys`: add a
//! `<column>_next bytea` copy column and its `keyring_drop_stale_copy` trigger in a
//! migration (see 0015_key_rotation.sql), then one entry to [`COLUMNS`] and one line to the
//! `statements!` list below (table, id column, sealed column).

use sqlx::PgConnection;
use uuid::Uuid;

use crate::keyring::Purpose;
use crate::notify::preferences::address_context;

fn notice_address(user: Uuid) -> Vec<u8> {
    address_context(user, "address")
}

fn notice_handle(user: Uuid) -> Vec<u8> {
    address_context(user, "handle")
}

/// One sealed column: what it holds, the key that seals it, and which statements move it
/// to the next key generation (see [`Statements`]).
pub struct SealedColumn {
    /// What it holds, for progress lines ("case keys").
    pub what: &'static str,
    /// The purpose key that seals it.
    pub purpose: Purpose,
    /// The context (associated data) a row's value is sealed with, from the row's id.
    pub context: fn(Uuid) -> Vec<u8>,
    /// Its statements.
    pub statements: Statements,
}

/// The columns, in the order a rotation re-seals them.
pub const COLUMNS: &[SealedColumn] = &[
    SealedColumn {
        what: "case keys",
        purpose: Purpose::CaseKeys,
        context: crate::cases::crypto::key_context,
        statements: Statements::CaseKeys,
    },
    SealedColumn {
        what: "TOTP secrets",
        purpose: Purpose::Totp,
        context: crate::identity::enrolment::totp_context,
        statements: Statements::TotpSecrets,
    },
    SealedColumn {
        what: "partner contacts",
        purpose: Purpose::Directory,
        context: crate::partners::contact_context,
        statements: Statements::PartnerContacts,
    },
    SealedColumn {
        what: "alumni member keys",
        purpose: Purpose::Directory,
        context: crate::alumni::key_context,
        statements: Statements::AlumniMemberKeys,
    },
    SealedColumn {
        what: "notice addresses",
        purpose: Purpose::Directory,
        context: notice_address,
        statements: Statements::NoticeAddresses,
    },
    SealedColumn {
        what: "notice messenger handles",
        purpose: Purpose::Directory,
        context: notice_handle,
        statements: Statements::NoticeHandles,
    },
    SealedColumn {
        what: "vouchers' addresses",
        purpose: Purpose::Directory,
        context: crate::vouch::destination_context,
        statements: Statements::VoucherAddresses,
    },
];

/// A value still sealed under the old generation.
pub struct Pending {
    /// The row's id.
    pub id: Uuid,
    /// The sealed value.
    pub sealed: Vec<u8>,
}

/// The fixed statements of each column, one compile-checked query per column and step:
/// table and column names cannot be parameters, so the `statements!` list below pastes each
/// column's names into the same five statements as literals (sqlx joins `"…" + "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statements {
    /// Case keys.
    CaseKeys,
    /// TOTP secrets.
    TotpSecrets,
    /// Partner contacts.
    PartnerContacts,
    /// Alumni member keys.
    AlumniMemberKeys,
    /// Notice addresses.
    NoticeAddresses,
    /// Notice messenger handles.
    NoticeHandles,
    /// Vouchers' addresses.
    VoucherAddresses,
}

macro_rules! statements {
    ($($variant:ident: $table:tt, $id:tt, $column:tt;)*) => {
        impl Statements {
            /// Up to `limit` rows after id `after`, in id order, whose value has no re-sealed
            /// copy yet.
            pub async fn pending(self, conn: &mut PgConnection, limit: i64, after: Uuid) -> sqlx::Result<Vec<Pending>> {
                match self {$(
                    Statements::$variant => sqlx::query_as!(
                        Pending,
                        "select " + $id + r#" as "id!", "# + $column + r#" as "sealed!" from "# + $table
                            + " where " + $column + " is not null and " + $column + "_next is null and "
                            + $id + " > $2 order by " + $id + " limit $1",
                        limit,
                        after
                    )
                    .fetch_all(conn)
                    .await,
                )*}
            }

            /// Stores copies: row ids `ids`, copies `copies`, each only if its value is still
            /// the one in `originals`.
            pub async fn write_copy(
                self,
                conn: &mut PgConnection,
                ids: &[Uuid],
                copies: &[Vec<u8>],
                originals: &[Vec<u8>],
            ) -> sqlx::Result<()> {
                match self {$(
                    Statements::$variant => sqlx::query!(
                        "update " + $table + " set " + $column + "_next = t.copy
                         from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                         where " + $id + " = t.id and " + $column + " = t.original",
                        ids,
                        copies,
                        originals
                    )
                    .execute(conn)
                    .await?,
                )*};
                Ok(())
            }

            /// Blocks writers of the table for the rest of the transaction (readers go on).
            pub async fn lock(self, conn: &mut PgConnection) -> sqlx::Result<()> {
                match self {$(
                    Statements::$variant => sqlx::query!("lock table " + $table + " in share row exclusive mode")
                        .execute(conn)
                        .await?,
                )*};
                Ok(())
            }

            /// Puts every copy in place of its original.
            pub async fn switch(self, conn: &mut PgConnection) -> sqlx::Result<()> {
                match self {$(
                    Statements::$variant => sqlx::query!(
                        "update " + $table + " set " + $column + " = " + $column + "_next, " + $column
                            + "_next = null where " + $column + "_next is not null"
                    )
                    .execute(conn)
                    .await?,
                )*};
                Ok(())
            }

            /// Drops every copy (abandoning a rotation).
            pub async fn abandon(self, conn: &mut PgConnection) -> sqlx::Result<()> {
                match self {$(
                    Statements::$variant => sqlx::query!(
                        "update " + $table + " set " + $column + "_next = null where " + $column + "_next is not null"
                    )
                    .execute(conn)
                    .await?,
                )*};
                Ok(())
            }
        }
    };
}

statements! {
    CaseKeys: "cases", "case_id", "sealed_key";
    TotpSecrets: "staff_user", "staff_user_id", "totp_secret_sealed";
    PartnerContacts: "partner", "partner_id", "contact_sealed";
    AlumniMemberKeys: "alumni_member", "member_id", "sealed_key";
    NoticeAddresses: "notice_preference", "staff_user_id", "address_sealed";
    NoticeHandles: "notice_preference", "staff_user_id", "handle_sealed";
    VoucherAddresses: "vouch_invite", "invite_id", "destination_sealed";
}
