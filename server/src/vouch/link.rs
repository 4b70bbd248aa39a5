//! The link a voucher receives: the invite's id and a keyed check of it. Only a process
//! holding the key file can make one, and nothing stored makes one: a database reader who
//! copies every row still cannot answer in a voucher's name. A key rotation retires the
//! links sent before it (they live 72 hours; the handler asks again).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::keys::Keys;

const PURPOSE: &str = "vouch-link";
/// Bytes of the keyed check kept in a link: 128 bits, beyond guessing.
const CHECK_BYTES: usize = 16;

/// The token of `invite`'s link.
pub fn token(keys: &Keys, invite: Uuid) -> String {
    let mut bytes = invite.as_bytes().to_vec();
    bytes.extend_from_slice(&keys.lookup_hash(PURPOSE, invite.as_bytes())[..CHECK_BYTES]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The invite a token names, if it is one Shelter made; `None` for anything else.
pub fn invite_of(keys: &Keys, token: &str) -> Option<Uuid> {
    if token.len() > 64 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 16 + CHECK_BYTES {
        return None;
    }
    let (id, check) = bytes.split_at(16);
    let expected = keys.lookup_hash(PURPOSE, id);
    bool::from(expected[..CHECK_BYTES].ct_eq(check)).then(|| Uuid::from_slice(id).ok()).flatten()
}

/// The full link to `invite`'s page, in `language`.
pub fn url(keys: &Keys, public_base: &str, invite: Uuid, language: &str) -> String {
    format!("{}/vouch/{}?lang={language}", public_base.trim_end_matches('/'), token(keys, invite))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Keys, random_bytes};
    use secrecy::SecretBox;

    fn keys() -> Keys {
        Keys::derive(&SecretBox::new(Box::new(random_bytes::<32>())))
    }

    #[test]
    fn a_link_names_its_invite_and_nothing_else_passes() {
        let (keys, other) = (keys(), keys());
        let invite = Uuid::new_v4();
        let token = token(&keys, invite);
        assert_eq!(invite_of(&keys, &token), Some(invite));
        assert_eq!(invite_of(&other, &token), None, "another installation's key");
        let mut forged = invite.as_bytes().to_vec();
        forged.extend_from_slice(&[0; CHECK_BYTES]);
        assert_eq!(invite_of(&keys, &URL_SAFE_NO_PAD.encode(forged)), None, "an id without its check");
        assert_eq!(invite_of(&keys, &token[..token.len() - 1]), None, "a truncated token");
        assert_eq!(invite_of(&keys, "not base64 !"), None);
        assert_eq!(invite_of(&keys, &"A".repeat(5000)), None);
    }
}
