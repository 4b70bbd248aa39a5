//! The purge job in the server: a run every so often. Several server processes may run
//! it at once; the row locks in [`super::purge`] give each case to one of them.

use std::sync::Arc;

use super::Retention;

impl Retention {
    /// Runs the purge every `every` until the task is aborted.
    pub fn spawn(self: Arc<Self>, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                match self.run().await {
                    Ok(report) if report.purged + report.payment_references_erased == 0 => {}
                    Ok(report) => tracing::info!(
                        purged = report.purged,
                        payment_references_erased = report.payment_references_erased,
                        "retention run finished"
                    ),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "the retention run failed"),
                }
            }
        })
    }
}
