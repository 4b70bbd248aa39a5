//! Domain types shared by Shelter's server and pages: no I/O lives here.

pub mod api;
pub mod audit;
pub mod case;
pub mod grant;
pub mod intake;
pub mod language;
pub mod partner;
pub mod referral;
pub mod staff;
