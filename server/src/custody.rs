//! Key custody: the master key split into shares for trustees (`shelter keys split`), any
//! `threshold` of which rebuild it (`shelter keys recover`).
//!
//! Shamir's scheme over GF(256) comes from the `blahaj` crate. Each share is its number and
//! 32 bytes, written as the 24 words of a BIP-39 English mnemonic (the `bip39` crate's list,
//! whose last word carries a checksum), with a check value of its own over number and
//! words, and the id of the key it belongs to: a mistyped share is named, not just refused.

use std::fmt::Write as _;

use anyhow::bail;
use bip39::{Language, Mnemonic};
use blahaj::{Share, Sharks};
use secrecy::{ExposeSecret, SecretBox};
use sha2::{Digest, Sha256};

use crate::keys::{self, Secret32};

/// Words per printed line.
const WORDS_PER_LINE: usize = 8;

/// One trustee's share, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedShare {
    /// Its number (1..=shares).
    pub number: u8,
    /// The text to hand over.
    pub text: String,
}

/// The id printed on every share: the start of the key's check value.
pub fn key_id(master: &Secret32) -> String {
    hex::encode(&keys::master_check(master)[..4])
}

fn share_check(number: u8, words: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"shelter-share");
    hash.update([number]);
    for word in words {
        hash.update(word.as_bytes());
        hash.update(b" ");
    }
    hex::encode(&hash.finalize()[..2])
}

/// Splits `master` into `shares` shares, any `threshold` of which rebuild it.
pub fn split(master: &Secret32, shares: u8, threshold: u8) -> anyhow::Result<Vec<PrintedShare>> {
    if threshold < 2 || threshold > shares {
        bail!("the threshold must be at least 2 and at most the number of shares ({shares})");
    }
    let id = key_id(master);
    Sharks(threshold)
        .dealer(master.expose_secret())
        .take(usize::from(shares))
        .map(|share| {
            let bytes = Vec::from(&share);
            let (number, y) = bytes.split_first().ok_or_else(|| anyhow::anyhow!("an empty share"))?;
            let mnemonic = Mnemonic::from_entropy_in(Language::English, y)?;
            let words: Vec<&str> = mnemonic.words().collect();
            let mut text = format!(
                "Shelter master key, share {number} of {shares} (any {threshold} of them rebuild the key)\n\
                 key id {id}  check {}\n",
                share_check(*number, &words)
            );
            for (i, line) in words.chunks(WORDS_PER_LINE).enumerate() {
                let label = if i == 0 { format!("share {number}:") } else { String::new() };
                let _ = writeln!(text, "{label:<10}{}", line.join(" "));
            }
            Ok(PrintedShare { number: *number, text })
        })
        .collect()
}

/// A share read back, before the key is rebuilt.
#[derive(Debug, Default)]
struct ReadShare {
    number: u8,
    threshold: Option<u8>,
    key_id: Option<String>,
    check: Option<String>,
    words: Vec<String>,
}

/// Reads every share in `text` (blocks as [`split`] prints them; spacing and case are free).
fn parse(text: &str) -> anyhow::Result<Vec<ReadShare>> {
    let mut shares: Vec<ReadShare> = Vec::new();
    let mut header = ReadShare::default();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim().to_lowercase();
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("shelter master key") {
            open = false;
            header = ReadShare::default();
            header.threshold = tokens.iter().position(|t| *t == "(any").and_then(|i| tokens.get(i + 1)?.parse().ok());
        } else if line.starts_with("key id") {
            header.key_id = tokens.get(2).map(|t| (*t).to_owned());
            header.check =
                tokens.iter().position(|t| *t == "check").and_then(|i| tokens.get(i + 1)).map(|t| (*t).to_owned());
        } else if let Some(rest) = line.strip_prefix("share ").filter(|r| r.contains(':')) {
            let (number, words) = rest.split_once(':').unwrap_or_default();
            let Ok(number) = number.trim().parse::<u8>() else {
                bail!("cannot read the share number in {line:?}");
            };
            shares.push(ReadShare {
                number,
                threshold: header.threshold,
                key_id: header.key_id.clone(),
                check: header.check.clone(),
                words: words.split_whitespace().map(str::to_owned).collect(),
            });
            open = true;
        } else if open
            && !tokens.is_empty()
            && let Some(share) = shares.last_mut()
        {
            share.words.extend(tokens.iter().map(|t| (*t).to_owned()));
        }
    }
    Ok(shares)
}

/// Checks one share's words and check value; the error names the share and what is wrong.
fn decode(share: &ReadShare) -> anyhow::Result<Share> {
    let n = share.number;
    if share.words.len() != 24 {
        bail!("share {n}: {} words where 24 were printed", share.words.len());
    }
    let list = Language::English.word_list();
    if let Some((i, word)) = share.words.iter().enumerate().find(|(_, w)| !list.contains(&w.as_str())) {
        bail!("share {n}: word {} ({word:?}) is not in the word list: it was mistyped", i + 1);
    }
    let words: Vec<&str> = share.words.iter().map(String::as_str).collect();
    if let Some(check) = &share.check
        && *check != share_check(n, &words)
    {
        bail!("share {n}: its words do not match its check value {check}: a word (or the check) was mistyped");
    }
    let mnemonic = Mnemonic::parse_in_normalized(Language::English, &share.words.join(" "))
        .map_err(|_| anyhow::anyhow!("share {n}: its words do not add up (checksum): a word was mistyped"))?;
    let mut bytes = vec![n];
    bytes.extend(mnemonic.to_entropy());
    Share::try_from(bytes.as_slice()).map_err(|e| anyhow::anyhow!("share {n}: {e}"))
}

/// Rebuilds the master key from the shares in `text`.
pub fn recover(text: &str) -> anyhow::Result<Secret32> {
    let read = parse(text)?;
    if read.is_empty() {
        bail!(
            "no share found: paste the shares as printed (each starting with its \"Shelter master key, share N\" line)"
        );
    }
    let mut numbers: Vec<u8> = read.iter().map(|s| s.number).collect();
    numbers.sort_unstable();
    if let Some(twice) = numbers.windows(2).find(|w| w[0] == w[1]) {
        bail!("share {} was given twice", twice[0]);
    }
    let ids: Vec<&String> = read.iter().filter_map(|s| s.key_id.as_ref()).collect();
    if let Some(other) = read.iter().find(|s| s.key_id.is_some() && s.key_id.as_ref() != ids.first().copied()) {
        bail!(
            "share {} belongs to key {}, the others to key {}: they do not go together",
            other.number,
            other.key_id.as_deref().unwrap_or_default(),
            ids.first().map(|s| s.as_str()).unwrap_or_default()
        );
    }
    let decoded = read.iter().map(decode).collect::<anyhow::Result<Vec<_>>>()?;
    let threshold = read.iter().find_map(|s| s.threshold).unwrap_or(u8::try_from(read.len()).unwrap_or(u8::MAX));
    if read.len() < usize::from(threshold) {
        bail!("{} shares given, {threshold} needed: this key needs any {threshold} of its shares", read.len());
    }
    let secret = Sharks(threshold).recover(&decoded).map_err(|e| anyhow::anyhow!("{e}"))?;
    let secret: [u8; 32] = secret.try_into().map_err(|_| anyhow::anyhow!("the shares do not hold a 32-byte key"))?;
    let key = SecretBox::new(Box::new(secret));
    if let Some(id) = ids.first()
        && **id != key_id(&key)
    {
        bail!("the shares rebuilt a key other than {id}: one of them is from another split or was altered");
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> Secret32 {
        SecretBox::new(Box::new([42u8; 32]))
    }

    fn texts(shares: &[PrintedShare], pick: &[usize]) -> String {
        pick.iter().map(|i| shares[*i].text.as_str()).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn any_three_of_five_rebuild_the_key_and_two_do_not() {
        let shares = split(&master(), 5, 3).unwrap_or_default();
        assert_eq!(shares.len(), 5);
        for pick in [[0, 1, 2], [0, 2, 4], [1, 3, 4], [4, 3, 0]] {
            let key = recover(&texts(&shares, &pick)).map(|k| *k.expose_secret()).ok();
            assert_eq!(key, Some([42u8; 32]), "shares {pick:?}");
        }
        let short = recover(&texts(&shares, &[0, 3])).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(short.contains("2 shares given, 3 needed"), "{short}");
    }

    #[test]
    fn a_mistyped_word_names_its_share() {
        let shares = split(&master(), 3, 2).unwrap_or_default();
        let lines: Vec<String> = shares[1].text.lines().map(str::to_owned).collect();
        let word = lines[2].split_whitespace().nth(4).unwrap_or_default().to_owned();
        let with = |replacement: &str| {
            let mut changed = lines.clone();
            let mut tokens: Vec<&str> = lines[2].split_whitespace().collect();
            tokens[4] = replacement;
            changed[2] = tokens.join(" ");
            format!("{}\n{}", shares[0].text, changed.join("\n"))
        };
        // The third word of the share's first line turned into no word at all.
        let error = recover(&with("zzzz")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.starts_with("share 2: word 3 (\"zzzz\") is not in the word list"), "{error}");
        // A real word in its place: the check value tells.
        let other = if word == "abandon" { "ability" } else { "abandon" };
        let error = recover(&with(other)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.starts_with("share 2: its words do not match its check value"), "{error}");
    }
}
