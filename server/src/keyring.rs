//! The keyring: Shelter's purpose keys, stored in the database sealed under the master key.
//!
//! Each row is one purpose key of one generation, sealed under one master key (named by
//! its check value). Generation 1 is what [`Keys::derive`] makes from the first master key,
//! so installations from before the ring keep working unchanged: the first start stores it.
//!
//! What a rotation does to each purpose (see [`crate::rotation`]):
//! - the password pepper and the lookup key are carried over unchanged: passwords and
//!   recovery codes are stored only as hashes under them, and a hash cannot be re-keyed
//!   without its owner typing the secret again;
//! - the TOTP, case-key and directory keys are replaced: every value they seal is re-sealed
//!   under the new generation and the old generation is dropped;
//! - the audit key is replaced for new entries, and earlier generations are kept (sealed
//!   under the new master), because the trail is append-only and hashes the sealed bytes.

use anyhow::Context;
use secrecy::SecretBox;
use sqlx::PgPool;

use crate::keys::{self, Keys, Secret32};

/// What a key is for; the names are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The argon2 secret of passwords and passphrases (carried over).
    Pepper,
    /// The HMAC key of lookup hashes (carried over).
    Lookup,
    /// Seals TOTP secrets (replaced).
    Totp,
    /// Seals each case's data key (replaced).
    CaseKeys,
    /// Seals partner contact details and other directory entries (replaced).
    Directory,
    /// Seals audit rationales that concern no case (new generation for new entries).
    Audit,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Purpose; 6] =
        [Purpose::Pepper, Purpose::Lookup, Purpose::Totp, Purpose::CaseKeys, Purpose::Directory, Purpose::Audit];

    /// The stored name (also the HKDF label of generation 1, with `/v1`).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Pepper => "password-pepper",
            Purpose::Lookup => "lookup-hashes",
            Purpose::Totp => "totp-secrets",
            Purpose::CaseKeys => "case-keys",
            Purpose::Directory => "partner-directory",
            Purpose::Audit => "audit-rationales",
        }
    }

    fn parse(name: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether a rotation makes a new key of this purpose.
    pub fn renewed_by_rotation(self) -> bool {
        !matches!(self, Purpose::Pepper | Purpose::Lookup)
    }
}

/// One purpose key of one generation.
pub struct RingKey {
    /// What it is for.
    pub purpose: Purpose,
    /// Its generation.
    pub generation: i32,
    /// The key.
    pub key: Secret32,
}

/// The keys a [`Keys`] is built of: the newest of each purpose, earlier audit keys.
pub(crate) struct Current {
    pub pepper: Secret32,
    pub totp: Secret32,
    pub lookup: Secret32,
    pub case_keys: Secret32,
    pub directory: Secret32,
    pub audit: Secret32,
    pub audit_earlier: Vec<Secret32>,
}

fn context(purpose: Purpose, generation: i32) -> Vec<u8> {
    format!("keyring:{}:{generation}", purpose.name()).into_bytes()
}

/// The ring of generation 1, derived from `master` as Shelter did before the ring existed.
pub fn derived(master: &Secret32) -> Vec<RingKey> {
    Purpose::ALL
        .into_iter()
        .map(|purpose| RingKey {
            purpose,
            generation: 1,
            key: SecretBox::new(Box::new(keys::derive_label(master, &format!("{}/v1", purpose.name())))),
        })
        .collect()
}

/// Stores `ring` sealed under `master`; rows already there stay as they are.
pub async fn store(conn: &mut sqlx::PgConnection, master: &Secret32, ring: &[RingKey]) -> anyhow::Result<()> {
    let check = keys::master_check(master);
    for entry in ring {
        let sealed = keys::seal(
            master,
            secrecy::ExposeSecret::expose_secret(&entry.key),
            &context(entry.purpose, entry.generation),
        )?;
        sqlx::query!(
            "insert into keyring (purpose, generation, master_check, sealed) values ($1, $2, $3, $4)
             on conflict do nothing",
            entry.purpose.name(),
            entry.generation,
            check.as_slice(),
            sealed
        )
        .execute(&mut *conn)
        .await
        .context("Failed to store the keyring")?;
    }
    Ok(())
}

/// Reads and opens the ring sealed under `master`; empty when there is none.
pub async fn read(conn: &mut sqlx::PgConnection, master: &Secret32) -> anyhow::Result<Vec<RingKey>> {
    let check = keys::master_check(master);
    let rows = sqlx::query!(
        "select purpose, generation, sealed from keyring where master_check = $1 order by purpose, generation desc",
        check.as_slice()
    )
    .fetch_all(&mut *conn)
    .await
    .context("Failed to read the keyring")?;
    rows.into_iter()
        .map(|row| {
            let (name, generation, sealed) = (row.purpose, row.generation, row.sealed);
            let purpose =
                Purpose::parse(&name).with_context(|| format!("the keyring holds an unknown purpose {name:?}"))?;
            let raw = keys::open(master, &sealed, &context(purpose, generation)).with_context(|| {
                format!("the keyring entry {name} v{generation} does not open with this master key")
            })?;
            let raw: [u8; 32] = raw.try_into().map_err(|_| anyhow::anyhow!("a keyring entry must be 32 bytes"))?;
            Ok(RingKey { purpose, generation, key: SecretBox::new(Box::new(raw)) })
        })
        .collect()
}

/// Builds [`Keys`] from a ring: the newest generation of each purpose, and earlier audit keys.
pub fn keys_from(ring: Vec<RingKey>, check: [u8; 32]) -> anyhow::Result<Keys> {
    let mut ring = ring;
    ring.sort_by_key(|k| std::cmp::Reverse(k.generation));
    let mut take = |purpose: Purpose| -> anyhow::Result<Secret32> {
        let index = ring
            .iter()
            .position(|k| k.purpose == purpose)
            .with_context(|| format!("the keyring has no {} key", purpose.name()))?;
        Ok(ring.remove(index).key)
    };
    let current = Current {
        pepper: take(Purpose::Pepper)?,
        totp: take(Purpose::Totp)?,
        lookup: take(Purpose::Lookup)?,
        case_keys: take(Purpose::CaseKeys)?,
        directory: take(Purpose::Directory)?,
        audit: take(Purpose::Audit)?,
        audit_earlier: ring.into_iter().filter(|k| k.purpose == Purpose::Audit).map(|k| k.key).collect(),
    };
    Ok(Keys::assemble(current, check))
}

/// Opens the ring sealed under `master`, storing the derived first generation when this
/// database has none yet (the first start after the ring was introduced, or ever).
pub async fn open(db: &PgPool, master: &Secret32) -> anyhow::Result<Keys> {
    let mut conn = db.acquire().await.context("Failed to open the keyring")?;
    let mut ring = read(&mut conn, master).await?;
    if ring.is_empty() {
        // Concurrent first starts store the same derived rows; the loser's inserts do nothing.
        store(&mut conn, master, &derived(master)).await?;
        ring = read(&mut conn, master).await?;
    }
    keys_from(ring, keys::master_check(master))
}

/// The newest generation in a ring.
pub fn generation_of(ring: &[RingKey]) -> i32 {
    ring.iter().map(|k| k.generation).max().unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_derived_ring_is_what_keys_derive_made() {
        let master = SecretBox::new(Box::new([9u8; 32]));
        let derived = Keys::derive(&master);
        let ring = keys_from(super::derived(&master), keys::master_check(&master)).ok();
        let ring =
            ring.as_ref().map(|k| (k.pepper.expose_secret(), k.case_keys.expose_secret(), k.audit.expose_secret()));
        assert_eq!(
            ring,
            Some((derived.pepper.expose_secret(), derived.case_keys.expose_secret(), derived.audit.expose_secret()))
        );
    }
}
