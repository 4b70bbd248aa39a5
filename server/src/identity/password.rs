//! Staff passwords (and requester passphrases): argon2id with a pepper from the key file,
//! hashed off the async runtime.

use std::sync::{Arc, Mutex, mpsc};

use anyhow::Context;
use std::cell::RefCell;

use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use secrecy::{ExposeSecret, SecretString};
use shelter_shared::staff::password_rules::{MAX_CHARS, MIN_CHARS};
use tokio::sync::oneshot;
use zxcvbn::Score;

/// Memory cost in KiB (19 MiB, the OWASP minimum for argon2id).
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Passes over memory.
pub const ITERATIONS: u32 = 2;
/// Lanes.
pub const PARALLELISM: u32 = 1;

/// Hashes and verifies passwords on a few dedicated threads, one per core: a flood of
/// sign-ins queues instead of stalling the async runtime, and memory stays bounded
/// because each thread reuses the 19 MiB its allocator kept from the previous hash
/// (on tokio's growing blocking pool every new thread would keep its own).
#[derive(Clone)]
pub struct PasswordHasher {
    pepper: Arc<[u8; 32]>,
    workers: Workers,
    dummy: Arc<String>,
    /// Verifications started: the duress tests count that every sign-in path runs the same work.
    verifications: Arc<std::sync::atomic::AtomicU64>,
}

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads taking jobs from one queue.
#[derive(Clone)]
struct Workers {
    queue: mpsc::Sender<Job>,
}

impl Workers {
    fn start(threads: usize) -> anyhow::Result<Self> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while waiting for the next job.
                        let job = match jobs.lock() {
                            Ok(receiver) => receiver.recv_timeout(KEEP_MEMORY),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(mpsc::RecvTimeoutError::Timeout) => release_memory(),
                            Err(mpsc::RecvTimeoutError::Disconnected) => return,
                        }
                    }
                })
                .context("cannot start a password hashing thread")?;
        }
        Ok(Workers { queue })
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
        let (done, result) = oneshot::channel();
        self.queue
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| anyhow::anyhow!("the password hashing threads have stopped"))?;
        result.await.context("a password hashing job was dropped")
    }
}

/// The outcome of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The password matched.
    pub matches: bool,
    /// The stored hash uses weaker parameters than today's: rehash it now.
    pub needs_rehash: bool,
}

impl PasswordHasher {
    /// A hasher using `pepper` as argon2's secret.
    pub fn new(pepper: &[u8; 32]) -> anyhow::Result<Self> {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        // On a short-lived thread, so no runtime thread keeps argon2 memory for good.
        let owned = *pepper;
        let dummy = std::thread::spawn(move || hash_blocking(&owned, "dummy password for unknown accounts"))
            .join()
            .map_err(|_| anyhow::anyhow!("computing the dummy hash failed"))??;
        Ok(PasswordHasher {
            pepper: Arc::new(*pepper),
            workers: Workers::start(cores)?,
            dummy: Arc::new(dummy),
            verifications: Arc::default(),
        })
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &SecretString) -> anyhow::Result<String> {
        let pepper = self.pepper.clone();
        let password = password.clone();
        self.workers.run(move || hash_blocking(&pepper, password.expose_secret())).await?
    }

    /// How many verifications this hasher has started (each one argon2 run).
    pub fn verifications(&self) -> u64 {
        self.verifications.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Checks `password` against `stored`; with no stored hash (unknown account) it checks
    /// against a dummy hash so the answer takes the same time, and never matches.
    pub async fn verify(&self, password: &SecretString, stored: Option<&str>) -> anyhow::Result<Verified> {
        self.verifications.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pepper = self.pepper.clone();
        let password = password.clone();
        let known = stored.is_some();
        let phc = stored.map(str::to_owned).unwrap_or_else(|| self.dummy.as_ref().clone());
        let verified = self.workers.run(move || verify_blocking(&pepper, password.expose_secret(), &phc)).await??;
        Ok(Verified { matches: verified.matches && known, needs_rehash: verified.needs_rehash })
    }
}

fn argon2(pepper: &[u8; 32], params: Params) -> anyhow::Result<Argon2<'_>> {
    Argon2::new_with_secret(pepper, Algorithm::Argon2id, Version::V0x13, params).map_err(|e| anyhow::anyhow!("{e}"))
}

fn current_params() -> anyhow::Result<Params> {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).map_err(|e| anyhow::anyhow!("{e}"))
}

thread_local! {
    /// Each hashing thread keeps its argon2 memory (19 MiB) for the next hash while hashes
    /// keep coming (allocating it anew costs a page fault per 4 KiB), and gives it back when
    /// it waited [`KEEP_MEMORY`] for a job in vain. The threads take turns waiting on the one
    /// queue, so on an idle server each gives its memory back within a few such spans.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// How long a hashing thread idles before it gives its argon2 memory back.
const KEEP_MEMORY: std::time::Duration = std::time::Duration::from_secs(5);

/// Gives this thread's argon2 memory back to the allocator (which returns it to the system).
fn release_memory() {
    MEMORY.with(|memory| drop(memory.take()));
}

/// Runs argon2 into `out` using this thread's reusable memory.
fn compute(argon2: &Argon2<'_>, password: &[u8], salt: &[u8], out: &mut [u8]) -> argon2::Result<()> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        let blocks = argon2.params().block_count();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon2.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
    })
}

fn hash_blocking(pepper: &[u8; 32], password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_buffer).map_err(|e| anyhow::anyhow!("{e}"))?;
    let argon2 = argon2(pepper, current_params()?)?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        compute(&argon2, password.as_bytes(), salt_bytes, out).map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params()).map_err(|e| anyhow::anyhow!("{e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

fn verify_blocking(pepper: &[u8; 32], password: &str, phc: &str) -> anyhow::Result<Verified> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
    let params =
        Params::try_from(&parsed).map_err(|e| anyhow::anyhow!("stored password hash has bad parameters: {e}"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow::anyhow!("{e}"))?;
    let version =
        parsed.version.map(Version::try_from).transpose().map_err(|e| anyhow::anyhow!("{e}"))?.unwrap_or_default();
    let weak = params.m_cost() < MEMORY_KIB
        || params.t_cost() < ITERATIONS
        || params.p_cost() < PARALLELISM
        || algorithm != Algorithm::Argon2id;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored password hash lacks its salt or hash");
    };
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buffer).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Verification uses the parameters recorded in the hash itself.
    let argon2 = Argon2::new_with_secret(pepper, algorithm, version, params).map_err(|e| anyhow::anyhow!("{e}"))?;
    let computed = Output::init_with(expected.len(), |out| {
        compute(&argon2, password.as_bytes(), salt_bytes, out).map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    // Output's equality is constant-time.
    let matches = computed == expected;
    Ok(Verified { matches, needs_rehash: matches && weak })
}

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    /// Fewer than the minimum characters.
    #[error("The password must have at least {MIN_CHARS} characters.")]
    TooShort,
    /// More than the maximum characters.
    #[error("The password must have at most {MAX_CHARS} characters.")]
    TooLong,
    /// Common, or easy to guess from the account's own details.
    #[error("This password is too easy to guess. Try a longer phrase of unrelated words.")]
    Guessable,
}

/// Accepts a new password only if it is long enough and hard to guess, also given the
/// account's e-mail and name.
pub fn check_strength(password: &str, context: &[&str]) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(WeakPassword::TooLong);
    }
    // zxcvbn matches whole inputs only: give it the parts of e-mails and names too.
    let mut inputs: Vec<&str> = context.to_vec();
    inputs.extend(context.iter().flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric())).filter(|p| p.len() >= 3));
    if zxcvbn::zxcvbn(password, &inputs).score() < Score::Three {
        return Err(WeakPassword::Guessable);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_reject_and_are_standard_phc() {
        let pepper = [3u8; 32];
        let phc = hash_blocking(&pepper, "correct horse").unwrap_or_default();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert_eq!(verify_blocking(&pepper, "correct horse", &phc).ok().map(|v| v.matches), Some(true));
        assert_eq!(verify_blocking(&pepper, "wrong horse", &phc).ok().map(|v| v.matches), Some(false));
        assert_eq!(verify_blocking(&[4u8; 32], "correct horse", &phc).ok().map(|v| v.matches), Some(false), "pepper");
    }

    #[test]
    fn weaker_stored_parameters_ask_for_a_rehash() {
        use argon2::PasswordHasher as _;
        let pepper = [3u8; 32];
        let weak = Params::new(8 * 1024, 1, 1, None).unwrap_or_default();
        let argon2 = argon2(&pepper, weak).ok();
        let salt = SaltString::generate(&mut OsRng);
        let phc =
            argon2.and_then(|a| a.hash_password(b"old one", &salt).ok().map(|h| h.to_string())).unwrap_or_default();
        let verified = verify_blocking(&pepper, "old one", &phc).ok();
        assert_eq!(verified, Some(Verified { matches: true, needs_rehash: true }));
    }

    #[test]
    fn strength_rules() {
        assert_eq!(check_strength("short", &[]), Err(WeakPassword::TooShort));
        assert_eq!(check_strength("password1234", &[]), Err(WeakPassword::Guessable));
        assert_eq!(check_strength("ana@example.org1", &["ana@example.org"]), Err(WeakPassword::Guessable));
        assert_eq!(check_strength(&"x".repeat(129), &[]), Err(WeakPassword::TooLong));
        assert_eq!(check_strength("river lantern cobalt mango", &[]), Ok(()));
    }
}
