//! Waiting for the signal to stop: Ctrl-C (SIGINT) or SIGTERM from a service manager.

use tokio::signal::unix::{SignalKind, signal};

/// Resolves when the process is asked to stop.
pub async fn signal_received() {
    let mut terminate = match signal(SignalKind::terminate()) {
        Ok(stream) => stream,
        Err(error) => {
            tracing::error!(%error, "cannot listen for SIGTERM; only Ctrl-C will stop the server");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT received, shutting down"),
        _ = terminate.recv() => tracing::info!("SIGTERM received, shutting down"),
    }
}
