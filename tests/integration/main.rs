//! Shelter's integration tests: one binary, the real application, a real PostgreSQL.
//!
//! Each test gets a database of its own on `DATABASE_URL`'s server, or, when that is
//! unset, on an embedded cluster under `target/test-postgres`.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests fail by panicking")]

mod admin_browser;
mod alumni;
mod attachments;
mod audit;
mod browser;
mod case_features;
mod cases;
mod cli;
mod danger;
mod deploy;
mod doctor;
mod edges;
mod embedded;
mod error_codes;
mod four_eyes;
mod grant_pages;
mod grants;
mod health;
mod helpers;
mod homes;
mod http_edge;
mod identity;
mod insights;
mod instances;
mod intake;
mod keys;
mod money_pages;
mod notify;
mod observability;
mod partner_writing;
mod partners;
mod playbooks;
mod queue_work;
mod read_group;
mod referrals;
mod requester_side;
mod retention;
mod sql_text;
mod staff;
mod staff_words;
mod typed_work;
mod vouch_browser;
mod vouching;
mod words;
