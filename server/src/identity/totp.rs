//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s, one step of drift).

use qrcode::QrCode;
use qrcode::render::svg;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

/// Seconds per step.
pub const STEP_SECONDS: u64 = 30;
/// Shown by authenticator apps above the code.
const ISSUER: &str = "Shelter";

/// A new 160-bit secret.
pub fn new_secret() -> [u8; 20] {
    crate::keys::random_bytes::<20>()
}

fn totp(secret: &[u8], account: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECONDS, secret.to_vec(), Some(ISSUER.to_owned()), account.replace(':', ""))
        .ok()
}

/// The code for `unix_time`.
pub fn code_at(secret: &[u8], unix_time: u64) -> Option<String> {
    totp(secret, "x").map(|t| t.generate(unix_time))
}

/// The time step `code` belongs to, if it is valid now or one step before or after.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "x")?;
    let now = unix_time / STEP_SECONDS;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .find(|step| bool::from(totp.generate(step * STEP_SECONDS).as_bytes().ct_eq(code.as_bytes())))
        .and_then(|step| i64::try_from(step).ok())
}

/// The `otpauth://` URI an authenticator app reads.
pub fn otpauth_uri(secret: &[u8], account: &str) -> Option<String> {
    totp(secret, account).map(|t| t.get_url())
}

/// The secret as base32, for typing into an app by hand.
pub fn base32(secret: &[u8]) -> String {
    totp(secret, "x").map(|t| t.get_secret_base32()).unwrap_or_default()
}

/// The URI as an SVG QR code, drawn on the server: no JavaScript, no image host.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 (8-digit codes there; the last 6 digits are ours).
    #[test]
    fn rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        for (time, code8) in [
            (59u64, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ] {
            assert_eq!(code_at(secret, time).as_deref(), Some(&code8[2..]), "t={time}");
        }
    }

    #[test]
    fn one_step_of_drift_and_no_more() {
        let secret = b"12345678901234567890";
        let now = 1_700_000_000;
        let code = code_at(secret, now).unwrap_or_default();
        let step = (now / STEP_SECONDS) as i64;
        assert_eq!(matching_step(secret, &code, now), Some(step));
        assert_eq!(matching_step(secret, &code, now + STEP_SECONDS), Some(step));
        assert_eq!(matching_step(secret, &code, now + 2 * STEP_SECONDS), None);
        assert_eq!(matching_step(secret, "12345a", now), None);
    }
}
