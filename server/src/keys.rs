//! The master key, kept in a file outside the database, and the purpose keys it opens.
//!
//! One 256-bit master key (hex in `SHELTER_MASTER_KEY_FILE`, default `$SHELTER_DATA_DIR/master.key`)
//! opens the keyring (see [`crate::keyring`]): the password pepper, the key that seals TOTP
//! secrets, the key for lookup hashes, the key sealing case keys, and so on, each stored in
//! the database sealed under the master. The first ring was derived from the master key
//! through HKDF-SHA256 with a label per purpose; `shelter keys rotate` replaces the master
//! and the keys that seal data. The database stores a check value of the master key, so
//! that starting with the wrong key file, or none, is refused instead of silently making
//! every secret unreadable.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use anyhow::{Context, bail};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;
use sqlx::PgPool;

const NONCE_LEN: usize = 24;

/// A 256-bit secret that never prints and is wiped on drop.
pub type Secret32 = SecretBox<[u8; 32]>;

/// The keys Shelter works with, opened from the keyring (or derived from a master key).
pub struct Keys {
    /// The argon2 secret ("pepper") for staff passwords and requester passphrases.
    pub pepper: Secret32,
    /// Seals TOTP secrets at rest.
    pub totp: Secret32,
    /// Keys lookup hashes (recovery codes, enrolment codes, throttle subjects, session ids).
    pub lookup: Secret32,
    /// Seals each case's own data key.
    pub case_keys: Secret32,
    /// Seals partners' contact details.
    pub directory: Secret32,
    /// Seals audit rationales that concern no case.
    pub audit: Secret32,
    check: [u8; 32],
    /// Audit keys of earlier generations, newest first: entries in the append-only trail
    /// are never re-sealed, so their rationales stay readable with these.
    audit_earlier: Vec<Secret32>,
}

/// The check value of `master` stored in `installation.master_key_check`.
pub fn master_check(master: &Secret32) -> [u8; 32] {
    derive_label(master, "key-check/v1")
}

/// HKDF-SHA256 of the master key for one label.
pub(crate) fn derive_label(master: &Secret32, label: &str) -> [u8; 32] {
    let hkdf = Hkdf::<Sha256>::new(Some(b"shelter"), master.expose_secret());
    let mut out = [0u8; 32];
    // 32 bytes is always a valid HKDF-SHA256 output length.
    let _ = hkdf.expand(label.as_bytes(), &mut out);
    out
}

/// A copy of a secret (the keyring hands the same key to two rings during a rotation).
pub fn copy_secret(key: &Secret32) -> Secret32 {
    SecretBox::new(Box::new(*key.expose_secret()))
}

impl Keys {
    /// Derives every key from the master key (the keyring's first generation).
    pub fn derive(master: &Secret32) -> Keys {
        let hkdf = Hkdf::<Sha256>::new(Some(b"shelter"), master.expose_secret());
        let derive = |label: &str| {
            let mut out = [0u8; 32];
            // 32 bytes is always a valid HKDF-SHA256 output length.
            let _ = hkdf.expand(label.as_bytes(), &mut out);
            out
        };
        Keys {
            pepper: SecretBox::new(Box::new(derive("password-pepper/v1"))),
            totp: SecretBox::new(Box::new(derive("totp-secrets/v1"))),
            lookup: SecretBox::new(Box::new(derive("lookup-hashes/v1"))),
            case_keys: SecretBox::new(Box::new(derive("case-keys/v1"))),
            directory: SecretBox::new(Box::new(derive("partner-directory/v1"))),
            audit: SecretBox::new(Box::new(derive("audit-rationales/v1"))),
            check: derive("key-check/v1"),
            audit_earlier: Vec::new(),
        }
    }

    /// Keys opened from the keyring of the master key whose check value is `check`.
    pub(crate) fn assemble(parts: crate::keyring::Current, check: [u8; 32]) -> Keys {
        Keys {
            pepper: parts.pepper,
            totp: parts.totp,
            lookup: parts.lookup,
            case_keys: parts.case_keys,
            directory: parts.directory,
            audit: parts.audit,
            check,
            audit_earlier: parts.audit_earlier,
        }
    }

    /// The check value of the master key these keys were opened with.
    pub fn check(&self) -> [u8; 32] {
        self.check
    }

    /// Opens an audit rationale sealed under this generation's audit key or an earlier one.
    pub fn open_audit(&self, sealed: &[u8], context: &[u8]) -> anyhow::Result<Vec<u8>> {
        std::iter::once(&self.audit)
            .chain(&self.audit_earlier)
            .find_map(|key| open(key, sealed, context).ok())
            .ok_or_else(|| anyhow::anyhow!("decryption failed: no audit key opens this rationale"))
    }

    /// HMAC-SHA256 of `purpose` and `value` under the lookup key: a hash that is useless
    /// without the key file, for values that must be found again but never read.
    #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
    pub fn lookup_hash(&self, purpose: &str, value: &[u8]) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(self.lookup.expose_secret()).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        mac.finalize().into_bytes().to_vec()
    }
}

/// Reads the master key file, creating it on the very first start only.
///
/// A missing file is created only when the database has never seen a key; otherwise the
/// operator pointed Shelter at the wrong file (or lost it), and starting would make every
/// sealed secret unreadable.
pub async fn load(path: &Path, db: &PgPool) -> anyhow::Result<Keys> {
    let stored: Option<Vec<u8>> = sqlx::query_scalar!("select master_key_check from installation")
        .fetch_one(db)
        .await
        .context("Failed to read the master key check")?;
    let master = if path.exists() {
        let master = read_key_file(path)?;
        match &stored {
            Some(check) if check.as_slice() != master_check(&master).as_slice() => {
                finish_replacement(path, check)?.unwrap_or(master)
            }
            _ => master,
        }
    } else if stored.is_some() {
        bail!(
            "the master key file {} is missing, but this database was sealed with a master key: \
             restore the file from your backup (without it, encrypted data cannot be read)",
            path.display()
        );
    } else {
        let key = create_key_file(path)?;
        tracing::warn!(
            path = %path.display(),
            "created a new master key file: back it up now, apart from the database backups; without it no encrypted data can be read"
        );
        key
    };
    let check = master_check(&master);
    match stored {
        Some(stored) if stored.as_slice() == check.as_slice() => {}
        Some(_) => bail!(
            "the master key in {} does not match the one this database was sealed with: refusing to start",
            path.display()
        ),
        None => {
            sqlx::query!(
                "update installation set master_key_check = $1 where master_key_check is null",
                check.as_slice()
            )
            .execute(db)
            .await
            .context("Failed to record the master key check")?;
        }
    }
    crate::keyring::open(db, &master).await
}

/// Where a rotation writes the new master key before it takes the old one's place.
pub fn next_key_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".next");
    path.with_file_name(name)
}

/// A rotation committed its switch but was stopped before moving the new key file into
/// place: when the file beside `path` matches the database, finish that step now.
fn finish_replacement(path: &Path, stored: &[u8]) -> anyhow::Result<Option<Secret32>> {
    let next = next_key_path(path);
    if !next.exists() {
        return Ok(None);
    }
    let key = read_key_file(&next)?;
    if master_check(&key).as_slice() != stored {
        return Ok(None);
    }
    replace_key_file(&next, path)?;
    tracing::warn!(path = %path.display(), "finished a key rotation: the new master key file took the old one's place");
    Ok(Some(key))
}

/// Moves `next` over `path` atomically and makes the rename durable.
pub fn replace_key_file(next: &Path, path: &Path) -> anyhow::Result<()> {
    fs::rename(next, path).with_context(|| format!("cannot move {} to {}", next.display(), path.display()))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::File::open(dir).and_then(|d| d.sync_all()).with_context(|| format!("cannot sync {}", dir.display()))?;
    }
    Ok(())
}

/// Writes a new key file at `path` (replacing a leftover one), durable before it returns.
pub fn write_key_file(path: &Path, key: &Secret32) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write the key file {}", path.display()))?;
    writeln!(file, "{}", hex::encode(key.expose_secret())).context("cannot write the key file")?;
    file.sync_all().context("cannot write the key file")?;
    Ok(())
}

/// Reads a master key file (64 hexadecimal characters).
pub fn read_key_file(path: &Path) -> anyhow::Result<Secret32> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read the master key file {}", path.display()))?;
    let bytes = hex::decode(text.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .with_context(|| format!("the master key file {} must hold 64 hexadecimal characters", path.display()))?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&bytes);
    Ok(SecretBox::new(Box::new(key)))
}

fn create_key_file(path: &Path) -> anyhow::Result<Secret32> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create the master key file {}", path.display()))?;
    writeln!(file, "{}", hex::encode(key)).context("cannot write the master key file")?;
    file.sync_all().context("cannot write the master key file")?;
    Ok(SecretBox::new(Box::new(key)))
}

/// Encrypts `plaintext` with XChaCha20-Poly1305; `context` (associated data) binds the
/// ciphertext to where it belongs, so it cannot be moved to another record.
pub fn seal(key: &Secret32, plaintext: &[u8], context: &[u8]) -> anyhow::Result<Vec<u8>> {
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: context })
        .map_err(|_| anyhow::anyhow!("encryption failed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Decrypts what [`seal`] produced under the same key and context.
pub fn open(key: &Secret32, sealed: &[u8], context: &[u8]) -> anyhow::Result<Vec<u8>> {
    if sealed.len() < NONCE_LEN {
        bail!("sealed value too short");
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.expose_secret().into());
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: context })
        .map_err(|_| anyhow::anyhow!("decryption failed: wrong key or wrong context"))
}

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    OsRng.fill_bytes(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Secret32 {
        SecretBox::new(Box::new([7u8; 32]))
    }

    #[test]
    fn sealed_values_open_only_in_their_context() {
        let sealed = seal(&key(), b"secret", b"user:1").unwrap_or_default();
        assert_eq!(open(&key(), &sealed, b"user:1").ok(), Some(b"secret".to_vec()));
        assert!(open(&key(), &sealed, b"user:2").is_err());
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        let keys = Keys::derive(&key());
        assert_ne!(keys.pepper.expose_secret(), keys.totp.expose_secret());
        assert_ne!(keys.lookup_hash("a", b"x"), keys.lookup_hash("b", b"x"));
    }
}
