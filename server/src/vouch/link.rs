//! The link a voucher receives: the invite's id and a random secret drawn when the link
//! leaves. Only the secret's SHA-256 is stored, so neither a copy of the database nor the
//! key files (nor both) can make a working link; each sending draws a new secret, so only
//! the newest message's link works.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::keys;

/// Bytes of secret in a link: 128 bits, beyond guessing.
const SECRET_BYTES: usize = 16;

/// A new secret for a link, and the hash to store.
pub fn new_secret() -> ([u8; SECRET_BYTES], Vec<u8>) {
    let secret = keys::random_bytes::<SECRET_BYTES>();
    (secret, hash(&secret))
}

/// The stored form of a secret.
pub fn hash(secret: &[u8]) -> Vec<u8> {
    Sha256::digest(secret).to_vec()
}

/// The token of `invite`'s link with `secret`.
pub fn token(invite: Uuid, secret: &[u8; SECRET_BYTES]) -> String {
    let mut bytes = invite.as_bytes().to_vec();
    bytes.extend_from_slice(secret);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The invite a token names and the hash of its secret, if it has the form of a link;
/// whether the secret is the invite's own is for the caller to compare.
pub fn parse(token: &str) -> Option<(Uuid, Vec<u8>)> {
    if token.len() > 64 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 16 + SECRET_BYTES {
        return None;
    }
    let (id, secret) = bytes.split_at(16);
    Some((Uuid::from_slice(id).ok()?, hash(secret)))
}

/// The full link to `invite`'s page, in `language`.
pub fn url(public_base: &str, invite: Uuid, secret: &[u8; SECRET_BYTES], language: &str) -> String {
    format!("{}/vouch/{}?lang={language}", public_base.trim_end_matches('/'), token(invite, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_invite_and_the_hash_of_its_secret() {
        let invite = Uuid::new_v4();
        let (secret, stored) = new_secret();
        let token = token(invite, &secret);
        assert_eq!(parse(&token), Some((invite, stored.clone())));
        let (other, _) = new_secret();
        assert_ne!(parse(&super::token(invite, &other)).map(|(_, h)| h), Some(stored), "another secret");
        assert_eq!(parse(&token[..token.len() - 1]), None, "a truncated token");
        assert_eq!(parse("not base64 !"), None);
        assert_eq!(parse(&"A".repeat(5000)), None);
    }
}
