//! The partner directory's payloads.

use serde::{Deserialize, Serialize};

use crate::referral::{Capacity, Expertise};

/// `POST /api/v1/partners`: a lawyer or organisation outside the network.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPartnerRequest {
    /// Display name, shown to requesters when they are asked to consent.
    pub name: String,
    /// `lawyer` or `organisation`.
    pub kind: String,
    /// ISO 3166-1 alpha-2 codes of the jurisdictions they work in (at least one).
    pub countries: Vec<String>,
    /// Languages they work in (en, my, th, km, lo, vi, zh-Hans).
    #[serde(default)]
    pub languages: Vec<String>,
    /// What they practise.
    #[serde(default)]
    pub expertise: Vec<Expertise>,
    /// Current capacity (default available).
    #[serde(default)]
    pub capacity: Option<Capacity>,
    /// How the network reaches them (sealed at rest; shown to administrators only).
    #[serde(default)]
    pub contact: Option<String>,
}

/// A partner as the directory lists it; contact details are never included.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `lawyer` or `organisation`.
    pub kind: String,
    /// Jurisdictions.
    pub countries: Vec<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Expertise.
    pub expertise: Vec<String>,
    /// Capacity.
    pub capacity: String,
}

/// `GET /api/v1/cases/{id}/partners`: a partner offered for a case's referral. Those working
/// in the case's country come first, so a Cambodian case is not sent to a Yangon office by a
/// slip of the hand; the others follow, marked, for when nobody local can act.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerOffer {
    /// The partner.
    #[serde(flatten)]
    pub partner: PartnerSummary,
    /// Works in the case's country.
    pub in_country: bool,
    /// Works in the requester's language.
    pub speaks_language: bool,
}

/// `POST /api/v1/partners/{id}/capacity`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    /// The new capacity.
    pub capacity: Capacity,
}
