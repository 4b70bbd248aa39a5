//! The blind name index: each name token (see `shelter_shared::alumni::names`) keyed with
//! the lookup key. Without the key file the stored hashes say nothing; with the database
//! alone one cannot even test a guessed name. Equal tokens hash equally, so the index does
//! show how many members share a token; the tokens are short pieces of names, never whole
//! names in order.
//!
//! Each member records the version of the normal form its tokens were made with; a change
//! to the normal form raises [`names::VERSION`], and [`Alumni::reindex`] (run at start-up and
//! by `shelter alumni reindex`) remakes the tokens of every member below it: only the
//! server, holding the keys, can.

use shelter_shared::alumni::names;
use sqlx::PgConnection;
use uuid::Uuid;

use super::members::{member_rows, open_profile};
use super::{Alumni, MemberKey};
use crate::keys::Keys;

const PURPOSE: &str = "alumni-name-token";

/// The keyed hashes a member with `member_names` is indexed under.
pub fn member_hashes(keys: &Keys, member_names: &[String]) -> Vec<Vec<u8>> {
    let mut tokens: Vec<String> = member_names.iter().flat_map(|n| names::index_tokens(n)).collect();
    tokens.sort();
    tokens.dedup();
    tokens.iter().map(|t| keys.lookup_hash(PURPOSE, t.as_bytes())).collect()
}

/// The keyed hashes a search for `query` needs (all of them).
pub fn query_hashes(keys: &Keys, query: &str) -> Vec<Vec<u8>> {
    names::query_tokens(query).iter().map(|t| keys.lookup_hash(PURPOSE, t.as_bytes())).collect()
}

/// Replaces a member's index entries (made with the current normal form).
pub async fn store(conn: &mut PgConnection, member_id: Uuid, hashes: &[Vec<u8>]) -> sqlx::Result<()> {
    sqlx::query!("delete from alumni_name_token where member_id = $1", member_id).execute(&mut *conn).await?;
    sqlx::query!(
        "insert into alumni_name_token (token, member_id) select t, $2 from unnest($1::bytea[]) as t",
        hashes,
        member_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("update alumni_member set name_index_version = $2 where member_id = $1", member_id, names::VERSION)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Members re-indexed per transaction.
const BATCH: i64 = 200;

impl Alumni {
    /// Remakes the name tokens of every member indexed under an older normal form, a batch
    /// per transaction (`SKIP LOCKED`: processes starting together share the work); returns
    /// how many. Tokens are derived data: no audit entry, nothing of the member changes.
    pub async fn reindex(&self) -> anyhow::Result<usize> {
        let mut done = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let stale = member_rows!(
                "where m.name_index_version < $1 order by m.member_id limit $2 for update skip locked",
                names::VERSION,
                BATCH
            )
            .fetch_all(&mut *tx)
            .await?;
            if stale.is_empty() {
                return Ok(done);
            }
            for row in &stale {
                let key = MemberKey::open(&self.keys, row.member_id, &row.sealed_key)?;
                let profile = open_profile(&key, &row.profile_sealed)?;
                store(&mut tx, row.member_id, &member_hashes(&self.keys, &profile.names)).await?;
            }
            tx.commit().await?;
            done += stale.len();
        }
    }
}
