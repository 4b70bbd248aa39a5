//! Shelter's server: the HTTP edge, the domain services, the database and the CLI.
//!
//! `main.rs` only calls [`cli::main`]; the integration tests build the same
//! [`app::Application`] on port 0.

/// mimalloc rather than glibc's malloc: glibc keeps freed memory in per-thread arenas and
/// raises its mmap threshold after each large free, so a server that once built large
/// responses or hashed on several threads stays large; mimalloc returns freed pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod alumni;
pub mod app;
pub mod audit;
pub mod backup;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod custody;
pub mod db;
pub mod doctor;
pub mod grants;
pub mod homes;
pub mod http;
pub mod identity;
pub mod insights;
pub mod keyring;
pub mod keys;
pub mod notify;
pub mod partners;
pub mod playbooks;
pub mod policy;
pub mod referrals;
pub mod retention;
pub mod rotation;
pub mod shutdown;
pub mod telemetry;
pub mod vouch;
