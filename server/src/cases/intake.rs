//! Filing a request: a new case with its reference, passphrase and sealed content.

use rand::Rng;
use rand::rngs::OsRng;
use secrecy::SecretString;
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::intake::{NewIntake, Reference};
use shelter_shared::passphrase::{DIGIT_GROUPS, GROUP_LEN, PassphraseStyle, group_digits, normalise};
use uuid::Uuid;

use super::crypto::CaseKey;
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, Subject};

/// Words in a passphrase: 6 from the EFF long list, about 77 bits.
pub const PASSPHRASE_WORDS: usize = 6;

/// A filed request.
#[derive(Debug)]
pub struct Filed {
    /// The case.
    pub case_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// The passphrase, shown once.
    pub passphrase: String,
}

/// The EFF long word list (bundled by a well-kept crate) without any word that holds one the
/// glossary keeps off requester pages ("activist"): the passphrase is shown on a phone that
/// may be read at a checkpoint.
fn passphrase_words() -> &'static [&'static str] {
    static WORDS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let kept_off: Vec<String> = shelter_frontend::glossary::kept_off()
            .iter()
            .filter(|k| k.language == shelter_shared::language::Language::English)
            .map(|k| k.word.to_lowercase())
            .collect();
        diceware_wordlists::Wordlist::EffLong
            .get_list()
            .iter()
            .copied()
            .filter(|word| !kept_off.iter().any(|k| word.contains(k.as_str())))
            .collect()
    });
    &WORDS
}

/// A new passphrase of six words from the EFF long word list (less any word kept off
/// requester pages), or of six groups of four digits, as shown to the requester.
pub fn new_passphrase(style: PassphraseStyle) -> String {
    let mut rng = OsRng;
    match style {
        PassphraseStyle::Words => {
            let words = passphrase_words();
            (0..PASSPHRASE_WORDS).map(|_| words[rng.gen_range(0..words.len())]).collect::<Vec<_>>().join(" ")
        }
        PassphraseStyle::Digits => {
            let digits: String =
                (0..DIGIT_GROUPS * GROUP_LEN).filter_map(|_| char::from_digit(rng.gen_range(0..10), 10)).collect();
            group_digits(&digits)
        }
    }
}

fn new_reference() -> Reference {
    let mut rng = OsRng;
    Reference::from_indices(std::array::from_fn(|_| rng.gen_range(0..32u8)))
}

/// The sensitive fields of an intake, by the name each is sealed under.
fn sensitive_fields(intake: &NewIntake) -> Vec<(&'static str, &str)> {
    let mut fields = vec![("narrative", intake.narrative.as_str())];
    let optional = [
        ("when", &intake.when),
        ("place", &intake.place),
        ("at_risk", &intake.at_risk),
        ("contact", &intake.contact),
        ("contact_time", &intake.contact_time),
    ];
    fields.extend(optional.into_iter().filter_map(|(name, value)| value.as_deref().map(|v| (name, v))));
    fields
}

impl Cases {
    fn idempotency_hash(&self, token: &str) -> Vec<u8> {
        self.keys.lookup_hash("intake-idempotency", token.as_bytes())
    }

    /// Creates the case: one argon2 hash, one transaction with its audit entry. With an
    /// idempotency token seen before, nothing is created (and nothing about the first case
    /// is said).
    pub async fn file(&self, intake: NewIntake, idempotency: Option<&str>) -> Result<Filed, CaseError> {
        self.file_with_duress(intake, idempotency, None).await
    }

    /// Like [`Cases::file`], with a second (duress) passphrase the requester chose (already
    /// parsed by `passphrase::parse_duress`): one more argon2 hash, run beside the first.
    ///
    /// The hashes are the cost of an intake: the two run at once, the case key and the sealed
    /// fields are made while they run, and the writes that need them are few statements in
    /// one transaction: the case with its fields in one, any notice, then its audit entry,
    /// which holds the chain lock until the commit. No connection is held while hashing: a
    /// flood of intakes must not starve the staff of connections. What an intake costs
    /// beside its hashes is measured in docs/SCALING.md.
    pub async fn file_with_duress(
        &self,
        intake: NewIntake,
        idempotency: Option<&str>,
        duress: Option<String>,
    ) -> Result<Filed, CaseError> {
        let idempotency =
            idempotency.map(str::trim).filter(|t| !t.is_empty() && t.len() <= 100).map(|t| self.idempotency_hash(t));
        let passphrase = new_passphrase(PassphraseStyle::for_language(intake.language));
        // Six random words cannot be what someone chose, but never let the two be one.
        let duress = duress.filter(|d| *d != normalise(&passphrase));
        // Hashed as sign-in compares it: digits without their spaces, words as shown.
        let normalised = SecretString::from(normalise(&passphrase));
        let hashes = async {
            let passphrase_hash = self.passwords.hash(&normalised);
            let duress_hash = async {
                match &duress {
                    Some(phrase) => self.hash_duress(phrase).await.map(Some),
                    None => Ok(None),
                }
            };
            tokio::try_join!(passphrase_hash, duress_hash)
        };
        // A duplicate costs no hash: it is refused before any starts.
        if let Some(hash) = &idempotency {
            let existing = sqlx::query_scalar!(
                r#"select exists (select 1 from cases where idempotency_hash = $1) as "exists!""#,
                hash,
            )
            .fetch_one(&self.db)
            .await?;
            if existing {
                return Err(CaseError::Duplicate);
            }
        }
        let case_id = Uuid::new_v4();
        let seal = async {
            let (key, sealed_key) = CaseKey::generate(&self.keys, case_id)?;
            let sealed: Vec<(&str, Vec<u8>)> = sensitive_fields(&intake)
                .into_iter()
                .map(|(name, value)| key.seal(name, value.as_bytes()).map(|c| (name, c)))
                .collect::<anyhow::Result<_>>()?;
            Ok((key, sealed_key, sealed))
        };
        // The hashes first: polling them queues their jobs, then the sealing runs meanwhile.
        let ((passphrase_hash, duress_hash), (key, sealed_key, sealed)) =
            tokio::try_join!(hashes, seal).map_err(CaseError::Internal)?;
        let now = self.clock.now();
        let needs: Vec<&str> = intake.needs.iter().map(|n| n.as_str()).collect();
        // SLA clocks run from intake: the requester's urgency (or the playbook's default) sets them until triage.
        let severity = intake
            .severity_hint
            .or_else(|| self.playbooks.get(intake.kind).map(|p| p.default_severity))
            .unwrap_or(shelter_shared::intake::Severity::Medium);
        let deadlines = self.playbooks.deadlines(intake.kind, severity);
        let (names, ciphertexts): (Vec<&str>, Vec<Vec<u8>>) = sealed.into_iter().unzip();
        let mut tx = self.db.begin().await?;
        // A fresh reference collides with an existing one about once in 10^12 filings: the
        // insert then does nothing, and is tried again with another.
        let mut reference = new_reference();
        let mut inserted = false;
        for _ in 0..5 {
            // The case and its sealed fields in one statement: the fields only with the case.
            inserted = sqlx::query_scalar!(
                r#"with filed as (
                       insert into cases (case_id, reference, passphrase_hash, kind, severity_hint, country, language,
                                          needs, contact_allowed, sealed_key, idempotency_hash, created_at, updated_at,
                                          acknowledge_due_at, decide_due_at, disburse_due_at, next_due_at, duress_hash)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $13, $16)
                       on conflict do nothing
                       returning case_id),
                   fields as (
                       insert into case_field (case_id, field, ciphertext)
                       select filed.case_id, f.field, f.ciphertext
                       from filed cross join unnest($17::text[], $18::bytea[]) as f (field, ciphertext))
                   select exists (select 1 from filed) as "inserted!""#,
                case_id,
                reference.as_str(),
                passphrase_hash,
                intake.kind as _,
                intake.severity_hint as _,
                intake.country.as_str(),
                intake.language as _,
                intake.needs.as_slice() as _,
                intake.contact.is_some(),
                sealed_key,
                idempotency.as_deref(),
                now,
                now + deadlines.acknowledge,
                now + deadlines.decide,
                now + deadlines.disburse,
                duress_hash,
                &names as &[&str],
                &ciphertexts,
            )
            .fetch_one(&mut *tx)
            .await?;
            if inserted {
                break;
            }
            if let Some(hash) = &idempotency {
                let raced = sqlx::query_scalar!(
                    r#"select exists (select 1 from cases where idempotency_hash = $1) as "exists!""#,
                    hash,
                )
                .fetch_one(&mut *tx)
                .await?;
                if raced {
                    // Two clicks raced: the other one created the case.
                    return Err(CaseError::Duplicate);
                }
            }
            reference = new_reference();
        }
        if !inserted {
            return Err(CaseError::Internal(anyhow::anyhow!("no free case reference after five tries")));
        }
        if let Some((channel, address)) = &intake.news {
            super::news::store(&mut tx, &key, *channel, address, intake.language, now).await?;
        }
        let entry = NewEntry::new(Actor::Requester(reference.to_string()), AuditAction::CaseCreated)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({
                "kind": intake.kind, "country": intake.country.as_str(), "language": intake.language.tag(),
                "severity_hint": intake.severity_hint, "needs": needs, "news": intake.news.as_ref().map(|(channel, _)| *channel),
                "duress_passphrase": duress.is_some(),
            }));
        crate::notify::hooks::case_filed(&mut tx, case_id, severity, now).await?;
        // Last before the commit: the append holds the chain lock until then.
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Filed { case_id, reference: reference.to_string(), passphrase })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_six_distinct_looking_words() {
        let phrase = new_passphrase(PassphraseStyle::Words);
        assert_eq!(phrase.split(' ').count(), PASSPHRASE_WORDS);
        assert_ne!(phrase, new_passphrase(PassphraseStyle::Words));
        assert_eq!(normalise(&phrase), phrase, "words are hashed as shown, as before digits");
        assert!(passphrase_words().len() > 7700, "still about 12.9 bits a word: {}", passphrase_words().len());
    }

    #[test]
    fn no_passphrase_word_is_one_kept_off_requester_pages() {
        assert!(!passphrase_words().contains(&"activist"));
        for word in passphrase_words() {
            let found = shelter_frontend::glossary::kept_off_in(shelter_shared::language::Language::English, word);
            assert!(found.is_empty(), "{word}: {found:?}");
        }
    }

    #[test]
    fn digit_passphrases_are_six_groups_of_four() {
        let phrase = new_passphrase(PassphraseStyle::Digits);
        let groups: Vec<&str> = phrase.split(' ').collect();
        assert_eq!(groups.len(), DIGIT_GROUPS);
        assert!(groups.iter().all(|g| g.len() == GROUP_LEN && g.chars().all(|c| c.is_ascii_digit())), "{phrase}");
        assert_ne!(phrase, new_passphrase(PassphraseStyle::Digits));
        assert_eq!(normalise(&phrase), phrase.replace(' ', ""));
    }
}
