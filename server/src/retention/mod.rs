//! Retention: personal data has a life. A closed case keeps its personal data for as long
//! as the schedule says ([`schedule`]), then the purge ([`purge`]) destroys its data key
//! and deletes every ciphertext (crypto-shredding), keeping the skeleton statistics need
//! and the audit trail. A legal hold ([`hold`]) keeps a case; a requester may ask for their
//! own request to be deleted ([`deletion`]). Every purge is written to an append-only log
//! beside the master key ([`log`]), so that restoring an older backup does not bring a
//! purged case back ([`reapply_purge_log`]).

pub mod accounts;
pub mod deletion;
pub mod hold;
pub mod job;
pub mod log;
pub mod overview;
pub mod purge;
pub mod schedule;

use std::sync::Arc;

use sqlx::PgPool;

pub use log::PurgeLog;
pub use purge::reapply_purge_log;
pub use schedule::Schedule;

use crate::clock::Clock;

/// The retention service: the schedule, the purge log and the database.
#[derive(Clone)]
pub struct Retention {
    /// The database.
    pub db: PgPool,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// How long what is kept.
    pub schedule: Schedule,
    /// The append-only list of purged cases beside the master key.
    pub log: PurgeLog,
}

impl Retention {
    /// The service for `settings`, with the purge log beside `master_key` unless set.
    pub fn new(
        db: PgPool,
        clock: Arc<dyn Clock>,
        settings: &crate::config::RetentionSettings,
        master_key: &std::path::Path,
    ) -> Self {
        Retention {
            db,
            clock,
            schedule: Schedule::from_settings(settings),
            log: PurgeLog::new(settings.purge_log_path(master_key)),
        }
    }
}
