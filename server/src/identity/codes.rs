//! Human-typable one-time codes: enrolment codes and recovery codes.

use rand::Rng;
use rand::rngs::OsRng;

/// Crockford's base32 alphabet: no I, L, O or U to misread.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A random code of `groups` groups of `size` characters joined by dashes (5 bits a character).
pub fn generate(groups: usize, size: usize) -> String {
    let mut rng = OsRng;
    (0..groups)
        .map(|_| (0..size).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The canonical form of a typed code: upper case, no dashes or spaces, misreadings mapped.
pub fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// An enrolment code: 100 bits, valid 24 hours, used once.
pub fn enrolment_code() -> String {
    generate(5, 4)
}

/// A recovery code: 50 bits, used once instead of a TOTP code.
pub fn recovery_code() -> String {
    generate(2, 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_their_shape_and_normalise_back() {
        let code = enrolment_code();
        assert_eq!(code.len(), 24);
        assert_eq!(normalise(&code.to_lowercase()), code.replace('-', ""));
        assert_eq!(normalise(" ab-c0 o1l "), "ABC0011");
        assert_ne!(recovery_code(), recovery_code());
    }
}
