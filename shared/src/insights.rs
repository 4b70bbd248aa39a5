//! The figures of the insights dashboard and the donor report, as published: every table
//! already suppressed (see [`crate::suppress`]).

use serde::{Deserialize, Serialize};

use crate::suppress::Published;

/// What a figure's numbers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// How many.
    Count,
    /// Minutes (a median or 90th percentile).
    Minutes,
    /// A share in whole percent.
    Percent,
    /// Money in minor units of the currency each column or row names.
    MinorUnits,
}

/// One figure: a titled, described table (a chart draws the same numbers).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figure {
    /// A stable id, e.g. `requests_by_kind`.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it shows, in a sentence (also the chart's description).
    pub description: String,
    /// What the numbers are.
    pub unit: Unit,
    /// Whether rows and columns add up (counts, amounts): then totals are published too.
    pub additive: bool,
    /// The table, suppressed; counts (unit `count`) and their totals are also moved by up to
    /// 2 either way, the same way for the same records, so totals need not add up exactly.
    pub table: Published,
}

/// The dashboard or the donor report for one period and filter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insights {
    /// First day (inclusive), `YYYY-MM-DD`.
    pub from: String,
    /// Last day (inclusive), `YYYY-MM-DD`.
    pub to: String,
    /// The suppression threshold: counts below it are shown as "< k".
    pub k: i64,
    /// The figures, in reading order.
    pub figures: Vec<Figure>,
}
