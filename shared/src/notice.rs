//! Where notices go and how often: the choices people make, checked without I/O.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::staff::Email;

named! {
    /// How non-urgent notices travel by e-mail and messenger (urgent ones always go at once).
    Digest { Immediately => "none", Hourly => "hourly", Daily => "daily" }
}

named! {
    /// The channel a requester chose to be told about news on.
    NewsChannel { Email => "email", Messenger => "webhook" }
}

/// The longest messenger handle: Signal numbers, Telegram names, Matrix ids all fit.
pub const HANDLE_MAX: usize = 100;

/// Why an address for notices was refused; each names the message the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidAddress {
    /// Not an e-mail address.
    #[error("not a valid e-mail address")]
    Email,
    /// Not a messenger handle.
    #[error("a messenger handle has 2 to 100 letters, numbers and + @ . _ : - only")]
    Handle,
}

impl InvalidAddress {
    /// The requester-side message id (Fluent) for this refusal.
    pub fn message_id(self) -> &'static str {
        match self {
            InvalidAddress::Email => "error-news-address",
            InvalidAddress::Handle => "error-news-handle",
        }
    }
}

/// A messenger handle for the network's bridge: a Signal number, `@name`, `@user:server`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle(String);

impl Handle {
    /// Parses a handle; spaces people type inside phone numbers are dropped.
    pub fn parse(raw: &str) -> Result<Self, InvalidAddress> {
        let handle: String = raw.chars().filter(|c| *c != ' ').collect();
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '+' | '@' | '.' | '_' | ':' | '-');
        let count = handle.chars().count();
        if (2..=HANDLE_MAX).contains(&count) && handle.chars().all(allowed) {
            Ok(Handle(handle))
        } else {
            Err(InvalidAddress::Handle)
        }
    }

    /// The handle.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Parses `raw` as an address on `channel`: an e-mail address or a messenger handle.
pub fn parse_address(channel: NewsChannel, raw: &str) -> Result<String, InvalidAddress> {
    match channel {
        NewsChannel::Email => Email::parse(raw).map(String::from).map_err(|_| InvalidAddress::Email),
        NewsChannel::Messenger => Handle::parse(raw).map(|h| h.0),
    }
}

/// One of one's notices, as the API lists it: a generic line, never case data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeItem {
    /// The notice kind, e.g. `urgent_case_arrived`, `grant_awaits_approval`.
    pub kind: String,
    /// One generic line saying what needs the reader.
    pub line: String,
    /// Whether it is urgent.
    pub urgent: bool,
    /// When it was queued.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Whether it was read.
    pub read: bool,
}

/// One's notices, newest first (at most 100), and how many are unread.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeList {
    /// The notices.
    pub notices: Vec<NoticeItem>,
    /// How many of all one's notices are unread.
    pub unread: i64,
}

/// Where, when and how one's notices come. Addresses are stored encrypted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticePreferences {
    /// Urgent notices by e-mail.
    pub email_urgent: bool,
    /// Other notices by e-mail.
    pub email_normal: bool,
    /// Urgent notices through the messenger bridge.
    pub webhook_urgent: bool,
    /// Other notices through the messenger bridge.
    pub webhook_normal: bool,
    /// Quiet hours start, `HH:MM` local time; both or neither.
    pub quiet_from: Option<String>,
    /// Quiet hours end, `HH:MM` local time.
    pub quiet_until: Option<String>,
    /// The local offset from UTC, `+07:00`.
    pub utc_offset: String,
    /// Other notices at once (`none`), or gathered `hourly` or `daily` (08:00 local).
    pub digest: Digest,
    /// The language of e-mail and messenger notices: en, my, th, km, lo, vi, zh-Hans.
    pub language: String,
    /// The e-mail address for notices; absent: the sign-in address.
    pub address: Option<String>,
    /// The messenger handle for the bridge; absent: the bridge's own mapping.
    pub handle: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_take_numbers_names_and_matrix_ids() {
        assert_eq!(Handle::parse("+66 81 234 5678").map(|h| h.0), Ok("+66812345678".to_owned()));
        assert!(Handle::parse("@someone:matrix.org").is_ok());
        assert!(Handle::parse("@name_1").is_ok());
        for bad in ["", "x", "a b\n", "<script>", "name;drop", &"a".repeat(101)] {
            assert_eq!(Handle::parse(bad), Err(InvalidAddress::Handle), "{bad:?}");
        }
    }

    #[test]
    fn an_address_is_parsed_for_its_channel() {
        assert_eq!(parse_address(NewsChannel::Email, " Name@Example.org "), Ok("name@example.org".to_owned()));
        assert_eq!(parse_address(NewsChannel::Email, "+66812345678"), Err(InvalidAddress::Email));
        assert_eq!(parse_address(NewsChannel::Messenger, "+66812345678"), Ok("+66812345678".to_owned()));
    }

    #[test]
    fn digests_have_stable_names() {
        assert_eq!("hourly".parse::<Digest>(), Ok(Digest::Hourly));
        assert_eq!(Digest::Immediately.as_str(), "none");
        assert!("weekly".parse::<Digest>().is_err());
    }
}
