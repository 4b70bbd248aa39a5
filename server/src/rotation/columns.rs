//! Every column sealed under a purpose key that a rotation replaces.
//!
//! Adding a column sealed with `keys.directory`, `keys.totp` or `keys.case_keys`: add a
//! `<column>_next bytea` copy column and its `keyring_drop_stale_copy` trigger in a
//! migration (see 0015_key_rotation.sql), then one entry to [`COLUMNS`].

use uuid::Uuid;

use crate::keyring::Purpose;
use crate::notify::preferences::address_context;

fn notice_address(user: Uuid) -> Vec<u8> {
    address_context(user, "address")
}

fn notice_handle(user: Uuid) -> Vec<u8> {
    address_context(user, "handle")
}

/// One sealed column and the fixed statements that move it to the next key generation.
pub struct SealedColumn {
    /// What it holds, for progress lines ("case keys").
    pub what: &'static str,
    /// The purpose key that seals it.
    pub purpose: Purpose,
    /// The context (associated data) a row's value is sealed with, from the row's id.
    pub context: fn(Uuid) -> Vec<u8>,
    /// Up to `$1` rows `(id, sealed)` after id `$2`, in id order, whose value has no re-sealed copy yet.
    pub pending: &'static str,
    /// Stores copies: row ids `$1`, copies `$2`, each only if its value is still the one in `$3`.
    pub write_copy: &'static str,
    /// Blocks writers of the table for the rest of the transaction (readers go on).
    pub lock: &'static str,
    /// Puts every copy in place of its original.
    pub switch: &'static str,
    /// Drops every copy (abandoning a rotation).
    pub abandon: &'static str,
}

/// The columns, in the order a rotation re-seals them.
pub const COLUMNS: &[SealedColumn] = &[
    SealedColumn {
        what: "case keys",
        purpose: Purpose::CaseKeys,
        context: crate::cases::crypto::key_context,
        pending: "select case_id, sealed_key from cases where sealed_key_next is null and case_id > $2
                  order by case_id limit $1",
        write_copy: "update cases set sealed_key_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where case_id = t.id and sealed_key = t.original",
        lock: "lock table cases in share row exclusive mode",
        switch: "update cases set sealed_key = sealed_key_next, sealed_key_next = null where sealed_key_next is not null",
        abandon: "update cases set sealed_key_next = null where sealed_key_next is not null",
    },
    SealedColumn {
        what: "TOTP secrets",
        purpose: Purpose::Totp,
        context: crate::identity::enrolment::totp_context,
        pending: "select staff_user_id, totp_secret_sealed from staff_user
                  where totp_secret_sealed is not null and totp_secret_sealed_next is null and staff_user_id > $2
                  order by staff_user_id limit $1",
        write_copy: "update staff_user set totp_secret_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and totp_secret_sealed = t.original",
        lock: "lock table staff_user in share row exclusive mode",
        switch: "update staff_user set totp_secret_sealed = totp_secret_sealed_next, totp_secret_sealed_next = null
                 where totp_secret_sealed_next is not null",
        abandon: "update staff_user set totp_secret_sealed_next = null where totp_secret_sealed_next is not null",
    },
    SealedColumn {
        what: "partner contacts",
        purpose: Purpose::Directory,
        context: crate::partners::contact_context,
        pending: "select partner_id, contact_sealed from partner
                  where contact_sealed is not null and contact_sealed_next is null and partner_id > $2
                  order by partner_id limit $1",
        write_copy: "update partner set contact_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where partner_id = t.id and contact_sealed = t.original",
        lock: "lock table partner in share row exclusive mode",
        switch: "update partner set contact_sealed = contact_sealed_next, contact_sealed_next = null
                 where contact_sealed_next is not null",
        abandon: "update partner set contact_sealed_next = null where contact_sealed_next is not null",
    },
    SealedColumn {
        what: "alumni member keys",
        purpose: Purpose::Directory,
        context: crate::alumni::key_context,
        pending: "select member_id, sealed_key from alumni_member
                  where sealed_key_next is null and member_id > $2 order by member_id limit $1",
        write_copy: "update alumni_member set sealed_key_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where member_id = t.id and sealed_key = t.original",
        lock: "lock table alumni_member in share row exclusive mode",
        switch: "update alumni_member set sealed_key = sealed_key_next, sealed_key_next = null
                 where sealed_key_next is not null",
        abandon: "update alumni_member set sealed_key_next = null where sealed_key_next is not null",
    },
    SealedColumn {
        what: "notice addresses",
        purpose: Purpose::Directory,
        context: notice_address,
        pending: "select staff_user_id, address_sealed from notice_preference
                  where address_sealed is not null and address_sealed_next is null and staff_user_id > $2
                  order by staff_user_id limit $1",
        write_copy: "update notice_preference set address_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and address_sealed = t.original",
        lock: "lock table notice_preference in share row exclusive mode",
        switch: "update notice_preference set address_sealed = address_sealed_next, address_sealed_next = null
                 where address_sealed_next is not null",
        abandon: "update notice_preference set address_sealed_next = null where address_sealed_next is not null",
    },
    SealedColumn {
        what: "notice messenger handles",
        purpose: Purpose::Directory,
        context: notice_handle,
        pending: "select staff_user_id, handle_sealed from notice_preference
                  where handle_sealed is not null and handle_sealed_next is null and staff_user_id > $2
                  order by staff_user_id limit $1",
        write_copy: "update notice_preference set handle_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where staff_user_id = t.id and handle_sealed = t.original",
        lock: "lock table notice_preference in share row exclusive mode",
        switch: "update notice_preference set handle_sealed = handle_sealed_next, handle_sealed_next = null
                 where handle_sealed_next is not null",
        abandon: "update notice_preference set handle_sealed_next = null where handle_sealed_next is not null",
    },
    SealedColumn {
        what: "vouchers' addresses",
        purpose: Purpose::Directory,
        context: crate::vouch::destination_context,
        pending: "select invite_id, destination_sealed from vouch_invite
                  where destination_sealed_next is null and invite_id > $2 order by invite_id limit $1",
        write_copy: "update vouch_invite set destination_sealed_next = t.copy
                     from unnest($1::uuid[], $2::bytea[], $3::bytea[]) as t(id, copy, original)
                     where invite_id = t.id and destination_sealed = t.original",
        lock: "lock table vouch_invite in share row exclusive mode",
        switch: "update vouch_invite set destination_sealed = destination_sealed_next, destination_sealed_next = null
                 where destination_sealed_next is not null",
        abandon: "update vouch_invite set destination_sealed_next = null where destination_sealed_next is not null",
    },
];
