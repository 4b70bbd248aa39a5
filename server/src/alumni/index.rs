//! The blind name index: each name token (see `shelter_shared::alumni::names`) keyed with
//! the lookup key. Without the key file the stored hashes say nothing; with the database
//! alone one cannot even test a guessed name. Equal tokens hash equally, so the index does
//! show how many members share a token; the tokens are short pieces of names, never whole
//! names in order.

use shelter_shared::alumni::names;
use sqlx::PgConnection;
use uuid::Uuid;

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

/// Replaces a member's index entries.
pub async fn store(conn: &mut PgConnection, member_id: Uuid, hashes: &[Vec<u8>]) -> sqlx::Result<()> {
    sqlx::query("delete from alumni_name_token where member_id = $1").bind(member_id).execute(&mut *conn).await?;
    sqlx::query("insert into alumni_name_token (token, member_id) select t, $2 from unnest($1::bytea[]) as t")
        .bind(hashes)
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
