//! The alumni registry: the network's members, their status over time, and the payloads
//! of its API. Checks are here so the API, the pages and `shelter alumni import` refuse
//! the same things with the same words.

pub mod names;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::intake::{CountryCode, clean};

named! {
    /// Where a member stands, as one entry of their timeline says.
    MemberStatus {
        Active => "active",
        Inactive => "inactive",
        AtRisk => "at_risk",
        Detained => "detained",
        InExile => "in_exile",
        Deceased => "deceased",
        Unknown => "unknown",
    }
}

impl MemberStatus {
    /// Words for pages.
    pub fn label(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Inactive => "inactive",
            MemberStatus::AtRisk => "at risk",
            MemberStatus::Detained => "detained",
            MemberStatus::InExile => "in exile or relocated",
            MemberStatus::Deceased => "deceased",
            MemberStatus::Unknown => "unknown",
        }
    }
}

/// The first cohort the programmes trained, and the last year a cohort may name.
pub const COHORT_YEARS: std::ops::RangeInclusive<i32> = 1999..=2100;
/// At most this many names (spellings, scripts) per member.
pub const MAX_NAMES: usize = 10;
/// At most this many characters in a name.
pub const MAX_NAME_CHARS: usize = 200;
/// At most this many characters in a free-text field (organisation, focus, contact, notes).
pub const MAX_TEXT_CHARS: usize = 2000;

/// One entry of a member's timeline, as given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusEntryRequest {
    /// active, inactive, at_risk, detained, in_exile, deceased or unknown.
    pub status: String,
    /// The day it applies from, YYYY-MM-DD.
    pub date: String,
    /// Who or what says so (sealed).
    #[serde(default)]
    pub source: Option<String>,
    /// A note (sealed).
    #[serde(default)]
    pub note: Option<String>,
}

/// A status entry for the linked member, given when closing a case ("released on bail").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClosingStatusRequest {
    /// active, inactive, at_risk, detained, in_exile, deceased or unknown.
    pub status: String,
    /// The day it applies from, YYYY-MM-DD (default: the day the case closes, UTC).
    #[serde(default)]
    pub date: Option<String>,
    /// Who or what says so (sealed).
    #[serde(default)]
    pub source: Option<String>,
    /// A note (sealed).
    #[serde(default)]
    pub note: Option<String>,
}

impl ClosingStatusRequest {
    /// The timeline entry it asks for, dated `today` unless it names a day.
    pub fn entry(&self, today: NaiveDate) -> StatusEntryRequest {
        let date = self.date.as_deref().map(str::trim).filter(|d| !d.is_empty());
        StatusEntryRequest {
            status: self.status.clone(),
            date: date.map_or_else(|| today.format("%Y-%m-%d").to_string(), str::to_owned),
            source: self.source.clone(),
            note: self.note.clone(),
        }
    }
}

/// `POST /api/v1/alumni`: a member of the network.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMemberRequest {
    /// The training programme's own id (imports match on it).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Names: the usual one first, then other spellings and scripts (sealed; searchable).
    pub names: Vec<String>,
    /// ISO 3166-1 alpha-2 code of the member's country.
    pub country: String,
    /// The year of the cohort they trained with.
    pub cohort_year: i32,
    /// Organisation (sealed).
    #[serde(default)]
    pub organisation: Option<String>,
    /// What they work on (sealed).
    #[serde(default)]
    pub focus: Option<String>,
    /// Languages they speak (sealed).
    #[serde(default)]
    pub languages: Vec<String>,
    /// A safe way to reach them (sealed).
    #[serde(default)]
    pub contact: Option<String>,
    /// Their status now, as the first entry of the timeline.
    #[serde(default)]
    pub status: Option<StatusEntryRequest>,
}

/// The sealed part of a member, as stored (inside the seal) and shown to those who may.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Names, the usual one first.
    pub names: Vec<String>,
    /// Organisation.
    pub organisation: String,
    /// Focus of their work.
    pub focus: String,
    /// Languages.
    pub languages: Vec<String>,
    /// A safe contact.
    pub contact: String,
}

/// A checked timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// The status.
    pub status: MemberStatus,
    /// From when.
    pub date: NaiveDate,
    /// Who says so.
    pub source: String,
    /// A note.
    pub note: String,
}

/// A checked member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    /// The programme's id.
    pub external_id: Option<String>,
    /// Country.
    pub country: CountryCode,
    /// Cohort year.
    pub cohort_year: i32,
    /// The sealed part.
    pub profile: Profile,
    /// The first timeline entry.
    pub status: Option<StatusEntry>,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field (as named in the API and the CSV header).
    pub field: &'static str,
    /// What is wrong, in words.
    pub problem: String,
}

fn problem(field: &'static str, problem: impl Into<String>) -> FieldProblem {
    FieldProblem { field, problem: problem.into() }
}

fn text(field: &'static str, value: Option<&str>, problems: &mut Vec<FieldProblem>) -> String {
    let value = clean(value.unwrap_or_default());
    if value.chars().count() > MAX_TEXT_CHARS {
        problems.push(problem(field, format!("longer than {MAX_TEXT_CHARS} characters")));
    }
    value
}

/// Checks a timeline entry; every problem is named.
pub fn check_status(entry: &StatusEntryRequest, problems: &mut Vec<FieldProblem>) -> Option<StatusEntry> {
    let status = MemberStatus::from_str(entry.status.trim())
        .map_err(|_| {
            problems.push(problem("status", format!("{:?} is not one of {}", entry.status.trim(), status_names())))
        })
        .ok();
    let date = NaiveDate::parse_from_str(entry.date.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)));
    if date.is_none() {
        problems.push(problem("status_date", format!("{:?} is not a date YYYY-MM-DD", entry.date.trim())));
    }
    let source = text("status_source", entry.source.as_deref(), problems);
    let note = text("status_note", entry.note.as_deref(), problems);
    Some(StatusEntry { status: status?, date: date?, source, note })
}

impl StatusEntryRequest {
    /// Checks the entry on its own; every problem is named.
    pub fn check(&self) -> Result<StatusEntry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        match check_status(self, &mut problems) {
            Some(entry) if problems.is_empty() => Ok(entry),
            _ => Err(problems),
        }
    }
}

/// The status names, for messages.
pub fn status_names() -> String {
    MemberStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

impl NewMemberRequest {
    /// Checks the request; every problem is named, field by field.
    pub fn check(&self) -> Result<NewMember, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let names: Vec<String> = self.names.iter().map(|n| clean(n)).filter(|n| !n.is_empty()).collect();
        if names.is_empty() {
            problems.push(problem("names", "at least one name is needed"));
        } else if names.len() > MAX_NAMES {
            problems.push(problem("names", format!("at most {MAX_NAMES} names")));
        } else if names.iter().any(|n| n.chars().count() > MAX_NAME_CHARS) {
            problems.push(problem("names", format!("a name is longer than {MAX_NAME_CHARS} characters")));
        } else if names.iter().any(|n| names::query_tokens(n).is_empty()) {
            problems.push(problem("names", "a name has no letters"));
        }
        let external_id = self.external_id.as_deref().map(clean).filter(|e| !e.is_empty());
        if external_id.as_ref().is_some_and(|e| e.chars().count() > 100) {
            problems.push(problem("external_id", "longer than 100 characters"));
        }
        let country = CountryCode::parse(&self.country)
            .map_err(|_| {
                problems.push(problem("country", format!("{:?} is not an ISO 3166-1 country code", self.country)))
            })
            .ok();
        if !COHORT_YEARS.contains(&self.cohort_year) {
            problems.push(problem(
                "cohort_year",
                format!("{} is not a cohort year ({}-{})", self.cohort_year, COHORT_YEARS.start(), COHORT_YEARS.end()),
            ));
        }
        let languages: Vec<String> = self.languages.iter().map(|l| clean(l)).filter(|l| !l.is_empty()).collect();
        if languages.len() > 20 || languages.iter().any(|l| l.chars().count() > 50) {
            problems.push(problem("languages", "at most 20 languages of 50 characters each"));
        }
        let profile = Profile {
            names,
            organisation: text("organisation", self.organisation.as_deref(), &mut problems),
            focus: text("focus", self.focus.as_deref(), &mut problems),
            languages,
            contact: text("contact", self.contact.as_deref(), &mut problems),
        };
        let status = self.status.as_ref().map(|s| check_status(s, &mut problems));
        match (problems.is_empty(), country) {
            (true, Some(country)) => {
                Ok(NewMember { external_id, country, cohort_year: self.cohort_year, profile, status: status.flatten() })
            }
            _ => Err(problems),
        }
    }
}

/// A member as a search lists them: the minimal fields every reader may see.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSummary {
    /// Id.
    pub id: String,
    /// Names, the usual one first.
    pub names: Vec<String>,
    /// Country.
    pub country: String,
    /// Cohort year.
    pub cohort_year: i32,
}

/// One timeline entry as shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// The status.
    pub status: MemberStatus,
    /// From when (YYYY-MM-DD).
    pub date: String,
    /// Who says so.
    pub source: String,
    /// A note.
    pub note: String,
    /// The case it was recorded from, when it was.
    pub case_id: Option<String>,
}

/// A case linked to a member, shown only to those who may see the case.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedCase {
    /// Case id.
    pub case_id: String,
    /// Its reference.
    pub reference: String,
    /// Its state.
    pub status: String,
}

/// Everything about a member, for those who may see it all.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDetails {
    /// The programme's id.
    pub external_id: Option<String>,
    /// The sealed fields, opened.
    pub profile: Profile,
    /// The timeline, newest first.
    pub timeline: Vec<TimelineEntry>,
    /// Linked cases the reader may see.
    pub cases: Vec<LinkedCase>,
}

/// `GET /api/v1/alumni/{id}`: the minimal fields, and the rest when the reader may see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    /// The minimal fields.
    #[serde(flatten)]
    pub summary: MemberSummary,
    /// Absent for a handler with no case linked to this member.
    pub details: Option<MemberDetails>,
}

/// `POST /api/v1/cases/{id}/alumni`: link a case to a member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The member's id.
    pub member_id: String,
    /// Why this case concerns this member (sealed in the audit trail).
    pub rationale: String,
}

/// What a case page shows of its linked member.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMember {
    /// The member's id.
    pub member_id: String,
    /// Cohort year.
    pub cohort_year: i32,
    /// Country.
    pub country: String,
    /// The newest timeline entry's status.
    pub status: Option<MemberStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> NewMemberRequest {
        NewMemberRequest {
            names: vec!["Sok Phea".into(), "សុខ ភា".into()],
            country: "kh".into(),
            cohort_year: 2014,
            status: Some(StatusEntryRequest {
                status: "at_risk".into(),
                date: "2026-01-02".into(),
                source: None,
                note: None,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_member_passes_and_every_bad_field_is_named() {
        let member = good().check();
        assert_eq!(member.map(|m| m.country.to_string()), Ok("KH".to_owned()));
        let bad = NewMemberRequest {
            names: vec![" ".into()],
            country: "XX".into(),
            cohort_year: 1850,
            status: Some(StatusEntryRequest {
                status: "missing".into(),
                date: "2026-13-01".into(),
                source: None,
                note: None,
            }),
            ..good()
        };
        let fields: Vec<&str> = bad.check().err().unwrap_or_default().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["names", "country", "cohort_year", "status", "status_date"]);
    }
}
