//! Grant vocabulary shared by playbooks and the grants workflow.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a grant pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantCategory {
    /// Lawyers' fees.
    LegalFees,
    /// Bail.
    Bail,
    /// Moving to safety.
    Relocation,
    /// Medical care.
    Medical,
    /// Locks, cameras, guards.
    SecurityMeasures,
    /// Living costs while unable to work.
    Subsistence,
    /// Devices and digital protection.
    DigitalSecurity,
    /// Anything else.
    Other,
}

/// The currencies Shelter handles, with their ISO 4217 minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// US dollar.
    USD,
    /// Euro.
    EUR,
    /// Thai baht.
    THB,
    /// Myanmar kyat.
    MMK,
    /// Cambodian riel.
    KHR,
    /// Lao kip.
    LAK,
    /// Vietnamese dong.
    VND,
    /// Chinese yuan.
    CNY,
}

impl Currency {
    /// Digits after the decimal point, as ISO 4217 defines them (VND has none; MMK, KHR
    /// and LAK officially two, though cash is counted without).
    pub fn minor_digits(self) -> u32 {
        match self {
            Currency::VND => 0,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}
