//! Every column sealed under a purpose key that a rotation replaces.
//!
//! Adding a column sealed with `keys.directory`, `keys.totp` or `keys.case_keys`: add a
//! `<column>_next bytea` copy column and its `keyring_drop_stale_copy` trigger in a
//! migration (see 0015_key_rotation.sql), then one entry to [`COLUMNS`] and a variant of
//! [`Statements`] with its five statements.

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

/// The fixed statements of each column: one compile-checked query per column and step, as
/// table and column names cannot be parameters.
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

impl Statements {
    /// Up to `limit` rows after id `after`, in id order, whose value has no re-sealed copy yet.
    pub async fn pending(self, conn: &mut PgConnection, limit: i64, after: Uuid) -> sqlx::Result<Vec<Pending>> {
        match self {
            Statements::CaseKeys => {
                sqlx::query_as!(
                    Pending,
                    r#"select case_id as "id!", sealed_key as "sealed!" from cases
                       where sealed_key_next is null and case_id > $2
                       order by case_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::TotpSecrets => {
                sqlx::query_as!(
                    Pending,
                    r#"select staff_user_id as "id!", totp_secret_sealed as "sealed!" from staff_user
                       where totp_secret_sealed is not null and totp_secret_sealed_next is null and staff_user_id > $2
                       order by staff_user_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::PartnerContacts => {
                sqlx::query_as!(
                    Pending,
                    r#"select partner_id as "id!", contact_sealed as "sealed!" from partner
                       where contact_sealed is not null and contact_sealed_next is null and partner_id > $2
                       order by partner_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::AlumniMemberKeys => {
                sqlx::query_as!(
                    Pending,
                    r#"select member_id as "id!", sealed_key as "sealed!" from alumni_member
                       where sealed_key_next is null and member_id > $2 order by member_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::NoticeAddresses => {
                sqlx::query_as!(
                    Pending,
                    r#"select staff_user_id as "id!", address_sealed as "sealed!" from notice_preference
                       where address_sealed is not null and address_sealed_next is null and staff_user_id > $2
                       order by staff_user_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::NoticeHandles => {
                sqlx::query_as!(
                    Pending,
                    r#"select staff_user_id as "id!", handle_sealed as "sealed!" from notice_preference
                       where handle_sealed is not null and handle_sealed_next is null and staff_user_id > $2
                       order by staff_user_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
            Statements::VoucherAddresses => {
                sqlx::query_as!(
                    Pending,
                    r#"select invite_id as "id!", destination_sealed as "sealed!" from vouch_invite
                       where destination_sealed_next is null and invite_id > $2 order by invite_id limit $1"#,
                    limit,
                    after
                )
                .fetch_all(conn)
                .await
            }
        }
    }

    /// Stores copies: row ids `ids`, copies `copies`, each only if its value is still the
    /// one in `originals`.
    pub async fn write_copy(
        self,
        conn: &mut PgConnection,
        ids: &[Uuid],
        copies: &[Vec<u8>],
        originals: &[Vec<u8>],
    ) -> sqlx::Result<()> {
        match self {
            Statements::CaseKeys => {
                sqlx::query!(
                    "update cases set sealed_key_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where case_id = t.id and sealed_key = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::TotpSecrets => {
                sqlx::query!(
                    "update staff_user set totp_secret_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and totp_secret_sealed = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::PartnerContacts => {
                sqlx::query!(
                    "update partner set contact_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where partner_id = t.id and contact_sealed = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::AlumniMemberKeys => {
                sqlx::query!(
                    "update alumni_member set sealed_key_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where member_id = t.id and sealed_key = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::NoticeAddresses => {
                sqlx::query!(
                    "update notice_preference set address_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and address_sealed = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::NoticeHandles => {
                sqlx::query!(
                    "update notice_preference set handle_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and handle_sealed = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
            Statements::VoucherAddresses => {
                sqlx::query!(
                    "update vouch_invite set destination_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where invite_id = t.id and destination_sealed = t.original",
                    ids,
                    copies,
                    originals
                )
                .execute(conn)
                .await?
            }
        };
        Ok(())
    }

    /// Blocks writers of the table for the rest of the transaction (readers go on).
    pub async fn lock(self, conn: &mut PgConnection) -> sqlx::Result<()> {
        match self {
            Statements::CaseKeys => sqlx::query!("lock table cases in share row exclusive mode").execute(conn).await?,
            Statements::TotpSecrets => {
                sqlx::query!("lock table staff_user in share row exclusive mode").execute(conn).await?
            }
            Statements::PartnerContacts => {
                sqlx::query!("lock table partner in share row exclusive mode").execute(conn).await?
            }
            Statements::AlumniMemberKeys => {
                sqlx::query!("lock table alumni_member in share row exclusive mode").execute(conn).await?
            }
            Statements::NoticeAddresses => {
                sqlx::query!("lock table notice_preference in share row exclusive mode").execute(conn).await?
            }
            Statements::NoticeHandles => {
                sqlx::query!("lock table notice_preference in share row exclusive mode").execute(conn).await?
            }
            Statements::VoucherAddresses => {
                sqlx::query!("lock table vouch_invite in share row exclusive mode").execute(conn).await?
            }
        };
        Ok(())
    }

    /// Puts every copy in place of its original.
    pub async fn switch(self, conn: &mut PgConnection) -> sqlx::Result<()> {
        match self {
            Statements::CaseKeys => {
                sqlx::query!(
                    "update cases set sealed_key = sealed_key_next, sealed_key_next = null
                     where sealed_key_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::TotpSecrets => {
                sqlx::query!(
                    "update staff_user set totp_secret_sealed = totp_secret_sealed_next, totp_secret_sealed_next = null
                     where totp_secret_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::PartnerContacts => {
                sqlx::query!(
                    "update partner set contact_sealed = contact_sealed_next, contact_sealed_next = null
                     where contact_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::AlumniMemberKeys => {
                sqlx::query!(
                    "update alumni_member set sealed_key = sealed_key_next, sealed_key_next = null
                     where sealed_key_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::NoticeAddresses => {
                sqlx::query!(
                    "update notice_preference set address_sealed = address_sealed_next, address_sealed_next = null
                     where address_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::NoticeHandles => {
                sqlx::query!(
                    "update notice_preference set handle_sealed = handle_sealed_next, handle_sealed_next = null
                     where handle_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::VoucherAddresses => {
                sqlx::query!(
                "update vouch_invite set destination_sealed = destination_sealed_next, destination_sealed_next = null
                 where destination_sealed_next is not null"
            )
                .execute(conn)
                .await?
            }
        };
        Ok(())
    }

    /// Drops every copy (abandoning a rotation).
    pub async fn abandon(self, conn: &mut PgConnection) -> sqlx::Result<()> {
        match self {
            Statements::CaseKeys => {
                sqlx::query!("update cases set sealed_key_next = null where sealed_key_next is not null")
                    .execute(conn)
                    .await?
            }
            Statements::TotpSecrets => {
                sqlx::query!(
                    "update staff_user set totp_secret_sealed_next = null where totp_secret_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::PartnerContacts => {
                sqlx::query!("update partner set contact_sealed_next = null where contact_sealed_next is not null")
                    .execute(conn)
                    .await?
            }
            Statements::AlumniMemberKeys => {
                sqlx::query!("update alumni_member set sealed_key_next = null where sealed_key_next is not null")
                    .execute(conn)
                    .await?
            }
            Statements::NoticeAddresses => {
                sqlx::query!(
                    "update notice_preference set address_sealed_next = null where address_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::NoticeHandles => {
                sqlx::query!(
                    "update notice_preference set handle_sealed_next = null where handle_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
            Statements::VoucherAddresses => {
                sqlx::query!(
                    "update vouch_invite set destination_sealed_next = null where destination_sealed_next is not null"
                )
                .execute(conn)
                .await?
            }
        };
        Ok(())
    }
}
