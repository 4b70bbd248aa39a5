//! Prometheus metrics: request counts and latencies by route, and the database pool,
//! served on their own loopback-only listener so counts never reach the public side.

use std::sync::OnceLock;
use std::time::Instant;

use anyhow::Context;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sqlx::PgPool;

/// Latency buckets in seconds, from a cached page to a slow grant decision.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// Buckets for counts of things done together: how many reads' access entries share one
/// group append (`shelter_audit_group_entries`), which latency buckets would misread.
const COUNT_BUCKETS: [f64; 9] = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// The histograms that count rather than time.
const COUNTED: [&str; 1] = ["shelter_audit_group_entries"];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process-wide recorder, installed on first use (tests build many apps in one process).
pub fn handle() -> anyhow::Result<PrometheusHandle> {
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let mut builder = PrometheusBuilder::new().set_buckets(&BUCKETS).context("Failed to configure metric buckets")?;
    for name in COUNTED {
        builder = builder
            .set_buckets_for_metric(Matcher::Full(name.into()), &COUNT_BUCKETS)
            .context("Failed to configure count buckets")?;
    }
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    if HANDLE.set(handle.clone()).is_ok() {
        metrics::set_global_recorder(recorder).context("Failed to install the metrics recorder")?;
        Ok(handle)
    } else {
        HANDLE.get().cloned().context("metrics recorder vanished")
    }
}

/// Counts each request and its latency under its route pattern (never the concrete path,
/// which would carry ids).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    response
}

#[derive(Clone)]
struct MetricsState {
    handle: PrometheusHandle,
    db: PgPool,
}

/// The router of the metrics listener.
pub fn router(handle: PrometheusHandle, db: PgPool) -> Router {
    Router::new().route("/metrics", get(render)).with_state(MetricsState { handle, db })
}

async fn render(State(state): State<MetricsState>) -> impl IntoResponse {
    metrics::gauge!("db_pool_connections").set(f64::from(state.db.size()));
    metrics::gauge!("db_pool_idle_connections").set(state.db.num_idle() as f64);
    super::domain_metrics::refresh(&state.db).await;
    state.handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.handle.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_sizes_are_counted_in_count_buckets_and_latencies_in_seconds() -> anyhow::Result<()> {
        let handle = handle()?;
        metrics::histogram!("shelter_audit_group_entries").record(3.0);
        metrics::histogram!("shelter_audit_append_seconds").record(0.002);
        let text = handle.render();
        assert!(text.contains("shelter_audit_group_entries_bucket{le=\"4\"}"), "{text}");
        assert!(!text.contains("shelter_audit_group_entries_bucket{le=\"0.001\"}"), "{text}");
        assert!(text.contains("shelter_audit_append_seconds_bucket{le=\"0.0025\"}"), "{text}");
        Ok(())
    }
}
