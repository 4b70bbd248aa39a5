//! What a requester sends: the intake form and `POST /api/v1/intake`, parsed and checked.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::language::Language;
use crate::notice::{InvalidAddress, NewsChannel, parse_address};

// `$tag:tt`, not `literal`: a `literal` fragment reaches derives wrapped in an invisible
// group, and utoipa then misses `serde(rename)` and documents the Rust variant names.
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $tag:tt),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $(#[doc = $tag] #[serde(rename = $tag)] $variant,)* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The stable name used in forms, the API and the database.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $tag,)* } }
        }

        impl FromStr for $name {
            type Err = FieldError;
            fn from_str(text: &str) -> Result<Self, FieldError> {
                $name::ALL.iter().copied().find(|v| v.as_str() == text).ok_or(FieldError::InvalidChoice)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

choice! {
    /// What kind of incident, in the requester's words; one playbook each.
    IncidentKind {
        ArrestDetention => "arrest_detention",
        CriminalCharges => "criminal_charges",
        ThreatAttack => "threat_attack",
        DigitalAttack => "digital_attack",
        Relocation => "relocation",
        Medical => "medical",
        NotSure => "not_sure",
    }
}

choice! {
    /// How urgent, in plain choices.
    Urgency {
        Immediate => "immediate",
        Days => "days",
        Weeks => "weeks",
        Information => "information",
    }
}

choice! {
    /// The help asked for.
    Need {
        Legal => "legal",
        Money => "money",
        Relocation => "relocation",
        Medical => "medical",
        DigitalSecurity => "digital_security",
        Other => "other",
    }
}

choice! {
    /// How severe a case is; triage sets it, intake only hints at it.
    Severity {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Low => "low",
    }
}

impl Urgency {
    /// The severity this urgency suggests to triage.
    pub fn severity_hint(self) -> Severity {
        match self {
            Urgency::Immediate => Severity::Critical,
            Urgency::Days => Severity::High,
            Urgency::Weeks => Severity::Medium,
            Urgency::Information => Severity::Low,
        }
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses a code that ISO 3166-1 assigns (`mm`, `TH`); anything else is refused.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let upper = text.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = upper.as_bytes().try_into().map_err(|_| FieldError::InvalidCountry)?;
        celes::Country::from_alpha2(&upper).map_err(|_| FieldError::InvalidCountry)?;
        Ok(CountryCode(bytes))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }

    /// The Mekong countries the network serves, offered first in forms.
    pub const MEKONG: [&'static str; 6] = ["KH", "CN", "LA", "MM", "TH", "VN"];
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a field; each names a message in the requester's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// The narrative is empty.
    #[error("describe what happened")]
    NarrativeRequired,
    /// The narrative is too long.
    #[error("the description is longer than {max} characters")]
    NarrativeTooLong {
        /// The limit.
        max: usize,
    },
    /// No country.
    #[error("the country is required")]
    CountryRequired,
    /// Not an ISO 3166-1 alpha-2 code.
    #[error("not an ISO 3166-1 alpha-2 country code")]
    InvalidCountry,
    /// A text is too long.
    #[error("longer than {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Not one of the allowed values.
    #[error("not one of the allowed values")]
    InvalidChoice,
    /// An address for news that is not one.
    #[error("{0}")]
    NewsAddress(InvalidAddress),
}

impl FieldError {
    /// The message id in the requester catalogue.
    pub fn message_id(self) -> &'static str {
        match self {
            FieldError::NarrativeRequired => "error-narrative-required",
            FieldError::NarrativeTooLong { .. } => "error-narrative-too-long",
            FieldError::CountryRequired => "error-country-required",
            FieldError::InvalidCountry => "error-country-invalid",
            FieldError::TooLong { .. } => "error-field-too-long",
            FieldError::InvalidChoice => "error-invalid-choice",
            FieldError::NewsAddress(error) => error.message_id(),
        }
    }

    /// The limit to show, if the message has one.
    pub fn max(self) -> Option<usize> {
        match self {
            FieldError::NarrativeTooLong { max } | FieldError::TooLong { max } => Some(max),
            _ => None,
        }
    }
}

/// Longest narrative, in characters.
pub const NARRATIVE_MAX: usize = 10_000;
/// Longest short answer (when, place, contact time).
pub const SHORT_MAX: usize = 200;
/// Longest medium answer (who is at risk, contact).
pub const MEDIUM_MAX: usize = 1_000;

/// `POST /api/v1/intake` and the intake form, before checking.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    /// What happened, in the requester's words (required).
    pub narrative: String,
    /// ISO 3166-1 alpha-2 code of the country where it happens (required).
    pub country: String,
    /// The requester's language: en, my, th, km, lo, vi, zh-Hans.
    #[serde(default)]
    pub language: Option<String>,
    /// The kind of incident.
    #[serde(default)]
    pub kind: Option<String>,
    /// How urgent: immediate, days, weeks, information.
    #[serde(default)]
    pub urgency: Option<String>,
    /// Help needed: legal, money, relocation, medical, digital_security, other.
    #[serde(default)]
    pub needs: Option<Vec<String>>,
    /// A safe way to contact the requester.
    #[serde(default)]
    pub contact: Option<String>,
    /// When it is safe to contact them.
    #[serde(default)]
    pub contact_time: Option<String>,
    /// When it happened.
    #[serde(default)]
    pub when: Option<String>,
    /// Town or area.
    #[serde(default)]
    pub place: Option<String>,
    /// Who is at risk.
    #[serde(default)]
    pub at_risk: Option<String>,
    /// To be told when there is news (off unless set): `email` or `webhook` (a messenger
    /// handle the network's bridge delivers to); `none` or absent: off.
    #[serde(default)]
    pub news_channel: Option<String>,
    /// The e-mail address or messenger handle for news; required when `news_channel` is set.
    #[serde(default)]
    pub news_address: Option<String>,
    /// A second passphrase the requester chooses (8 to 200 characters), optional: signing in
    /// with it shows a calm view of a closed request and quietly warns the network.
    #[serde(default)]
    pub duress_passphrase: Option<String>,
}

/// The answer to a successful intake: shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntakeResponse {
    /// The case reference, e.g. `SH-7K3M-Q9TD`.
    pub reference: String,
    /// Six words; never stored in plain, never shown again.
    pub passphrase: String,
}

/// A checked intake, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntake {
    /// Narrative (sensitive).
    pub narrative: String,
    /// Country.
    pub country: CountryCode,
    /// Language.
    pub language: Language,
    /// Kind.
    pub kind: IncidentKind,
    /// Severity hint from the urgency.
    pub severity_hint: Option<Severity>,
    /// Needs, without repeats.
    pub needs: Vec<Need>,
    /// Contact (sensitive).
    pub contact: Option<String>,
    /// Contact time (sensitive).
    pub contact_time: Option<String>,
    /// When (sensitive).
    pub when: Option<String>,
    /// Place (sensitive).
    pub place: Option<String>,
    /// Who is at risk (sensitive).
    pub at_risk: Option<String>,
    /// Where to tell the requester there is news, if they asked (sensitive).
    pub news: Option<(NewsChannel, String)>,
}

/// Trims and drops control characters other than line breaks and tabs, and bidirectional
/// controls ([`is_bidi_control`]).
pub fn clean(text: &str) -> String {
    text.chars()
        .filter(|&c| (!c.is_control() || matches!(c, '\n' | '\t')) && !is_bidi_control(c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The invisible characters that reorder text (embeddings, overrides, isolates and the
/// directional marks): in a name or an amount they make staff read it backwards. None of
/// the network's seven languages needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// `text` without bidirectional controls; borrowed when it has none.
pub fn strip_bidi(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_bidi_control) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !is_bidi_control(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn optional(text: &Option<String>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(text) = text.as_deref().map(clean).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > max { Err(FieldError::TooLong { max }) } else { Ok(Some(text)) }
}

impl IntakeRequest {
    /// Checks every field; returns all problems at once, each with its field's name.
    pub fn parse(&self) -> Result<NewIntake, Vec<(&'static str, FieldError)>> {
        let mut errors = vec![];
        let mut check = |field: &'static str, result: Result<(), FieldError>| {
            if let Err(error) = result {
                errors.push((field, error));
            }
        };
        let narrative = clean(&self.narrative);
        check(
            "narrative",
            if narrative.is_empty() {
                Err(FieldError::NarrativeRequired)
            } else if narrative.chars().count() > NARRATIVE_MAX {
                Err(FieldError::NarrativeTooLong { max: NARRATIVE_MAX })
            } else {
                Ok(())
            },
        );
        let country = if self.country.trim().is_empty() {
            Err(FieldError::CountryRequired)
        } else {
            CountryCode::parse(&self.country)
        };
        check("country", country.map(|_| ()));
        let language = match self.language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => Ok(Language::English),
            Some(tag) => tag.parse::<Language>().map_err(|_| FieldError::InvalidChoice),
        };
        check("language", language.map(|_| ()));
        let pick =
            |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let kind = pick(&self.kind).map(|k| k.parse::<IncidentKind>()).transpose();
        check("kind", kind.map(|_| ()));
        let urgency = pick(&self.urgency).map(|u| u.parse::<Urgency>()).transpose();
        check("urgency", urgency.map(|_| ()));
        let needs: Result<Vec<Need>, FieldError> =
            self.needs.iter().flatten().filter(|n| !n.trim().is_empty()).map(|n| n.trim().parse::<Need>()).collect();
        check("needs", needs.as_ref().map(|_| ()).map_err(|e| *e));
        let texts = [
            ("contact", optional(&self.contact, MEDIUM_MAX)),
            ("contact_time", optional(&self.contact_time, SHORT_MAX)),
            ("when", optional(&self.when, SHORT_MAX)),
            ("place", optional(&self.place, SHORT_MAX)),
            ("at_risk", optional(&self.at_risk, MEDIUM_MAX)),
        ];
        for (field, result) in &texts {
            check(field, result.as_ref().map(|_| ()).map_err(|e| *e));
        }
        let news = news_choice(&self.news_channel, &self.news_address);
        check("news_address", news.as_ref().map(|_| ()).map_err(|e| *e));
        if !errors.is_empty() {
            return Err(errors);
        }
        let [contact, contact_time, when, place, at_risk] = texts.map(|(_, r)| r.ok().flatten());
        let mut needs = needs.unwrap_or_default();
        needs.sort_by_key(|n| n.as_str());
        needs.dedup();
        Ok(NewIntake {
            narrative,
            country: country.map_err(|e| vec![("country", e)])?,
            language: language.map_err(|e| vec![("language", e)])?,
            kind: kind.map_err(|e| vec![("kind", e)])?.unwrap_or(IncidentKind::NotSure),
            severity_hint: urgency.map_err(|e| vec![("urgency", e)])?.map(Urgency::severity_hint),
            needs,
            contact,
            contact_time,
            when,
            place,
            at_risk,
            news: news.map_err(|e| vec![("news_address", e)])?,
        })
    }
}

/// The requester's choice to be told about news: off unless a channel is chosen, and then
/// with an address that fits it.
pub fn news_choice(
    channel: &Option<String>,
    address: &Option<String>,
) -> Result<Option<(NewsChannel, String)>, FieldError> {
    let channel = match channel.as_deref().map(str::trim) {
        None | Some("" | "none") => return Ok(None),
        Some(tag) => tag.parse::<NewsChannel>().map_err(|_| FieldError::InvalidChoice)?,
    };
    let address = parse_address(channel, address.as_deref().unwrap_or_default()).map_err(FieldError::NewsAddress)?;
    Ok(Some((channel, address)))
}

/// A case reference: `SH-` and two groups of four Crockford base32 characters (40 bits),
/// easy to read aloud over a phone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference(String);

impl Reference {
    /// Crockford's base32: no I, L, O or U.
    pub const ALPHABET: &'static [u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// Builds a reference from eight alphabet indices (the server supplies the randomness).
    pub fn from_indices(indices: [u8; 8]) -> Self {
        let c = |i: u8| Reference::ALPHABET[usize::from(i) % 32] as char;
        let text: String = indices.iter().map(|i| c(*i)).collect();
        Reference(format!("SH-{}-{}", &text[..4], &text[4..]))
    }

    /// Parses what a person typed: any case, with or without `SH-` and dashes; O→0, I/L→1.
    pub fn parse(typed: &str) -> Option<Self> {
        let body: String = typed
            .trim()
            .to_ascii_uppercase()
            .trim_start_matches("SH")
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if body.len() != 8 || !body.bytes().all(|b| Reference::ALPHABET.contains(&b)) {
            return None;
        }
        Some(Reference(format!("SH-{}-{}", &body[..4], &body[4..])))
    }

    /// The reference.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bidi_controls_are_stripped() {
        let spoofed = "pay \u{202E}0001\u{202C} USD \u{2066}x\u{2069}\u{200F}";
        assert_eq!(super::clean(spoofed), "pay 0001 USD x");
        assert_eq!(super::strip_bidi(spoofed), "pay 0001 USD x");
        assert!(matches!(super::strip_bidi("ဗမာ ไทย"), std::borrow::Cow::Borrowed(_)));
    }

    use super::*;

    fn request() -> IntakeRequest {
        IntakeRequest { narrative: "They took my brother.".into(), country: "mm".into(), ..Default::default() }
    }

    #[test]
    fn only_the_narrative_and_country_are_required() {
        let intake = request().parse().unwrap_or_else(unreachable);
        assert_eq!(intake.country.as_str(), "MM");
        assert_eq!(intake.kind, IncidentKind::NotSure);
        assert_eq!(intake.language, Language::English);
    }

    fn unreachable<T>(errors: Vec<(&'static str, FieldError)>) -> T {
        #[expect(clippy::panic, reason = "a test fails by panicking")]
        {
            panic!("{errors:?}")
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let bad = IntakeRequest {
            narrative: "  \u{0} ".into(),
            country: "XX".into(),
            language: Some("fr".into()),
            kind: Some("war".into()),
            urgency: Some("yesterday".into()),
            needs: Some(vec!["legal".into(), "pony".into()]),
            place: Some("x".repeat(SHORT_MAX + 1)),
            ..Default::default()
        };
        let errors = bad.parse().err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["narrative", "country", "language", "kind", "urgency", "needs", "place"]);
    }

    #[test]
    fn urgency_hints_severity() {
        let mut r = request();
        r.urgency = Some("immediate".into());
        assert_eq!(r.parse().ok().and_then(|i| i.severity_hint), Some(Severity::Critical));
    }

    #[test]
    fn references_parse_as_read_aloud() {
        let reference = Reference::from_indices([7, 19, 3, 20, 23, 9, 25, 13]);
        assert_eq!(Reference::parse(&reference.as_str().to_lowercase()), Some(reference.clone()));
        assert_eq!(Reference::parse("sh 7k3m q9td").map(|r| r.0), Some("SH-7K3M-Q9TD".into()));
        assert_eq!(Reference::parse("SH-7K3M-Q9T"), None);
        assert_eq!(Reference::parse("SH-7K3M-Q9TU"), None);
    }

    #[test]
    fn countries_are_iso_3166() {
        assert!(CountryCode::parse("kh").is_ok());
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("KHM").is_err());
    }
}
