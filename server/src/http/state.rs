//! What every handler can reach.

use std::sync::Arc;

use sqlx::PgPool;

use crate::cases::Cases;
use crate::cases::attachments::AttachmentLimits;
use crate::grants::Grants;
use crate::identity::Identity;
use crate::identity::address_limit::AddressLimiter;
use crate::partners::Partners;
use crate::playbooks::Playbooks;

/// Settings the HTTP layer needs, fixed at start.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Served over TLS behind a proxy: send HSTS, mark cookies Secure.
    pub https: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Seconds before a request is answered 408.
    pub request_timeout_secs: u64,
    /// The origin (`scheme://host[:port]`) of `SHELTER_PUBLIC_URL`, which form posts must come from.
    pub public_origin: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy_headers: bool,
    /// Where "quick exit" leads.
    pub quick_exit_url: String,
    /// The onion service's origin (`SHELTER_ONION_URL`), if any.
    pub onion_origin: Option<String>,
    /// Attachment size and count limits.
    pub attachments: AttachmentLimits,
    /// Published figures hide counts below this.
    pub suppress_below: i64,
    /// Where the key and backups are, for the administrator's home.
    pub housekeeping: crate::homes::admin::Housekeeping,
}

/// Paths that take file uploads, which get the attachment size limit instead of the general one.
pub const UPLOAD_PATHS: [&str; 2] = ["/status/attachments", "/api/v1/requester/attachments"];

impl HttpConfig {
    /// The largest body accepted at `path`.
    pub fn body_limit(&self, path: &str) -> usize {
        if UPLOAD_PATHS.contains(&path) {
            // Room for the multipart envelope and the other form fields.
            self.attachments.max_bytes + 64 * 1024
        } else {
            self.max_body_bytes
        }
    }
}

/// The application state shared by all handlers.
#[derive(Clone)]
pub struct AppState {
    /// The database pool.
    pub db: PgPool,
    /// The dashboards being computed, shared by everyone who asks for the same figures.
    pub dashboards: Arc<crate::insights::flight::Flights>,
    /// HTTP settings.
    pub config: Arc<HttpConfig>,
    /// Staff identity: accounts, sign-in, sessions.
    pub identity: Identity,
    /// Sign-in and enrolment attempts per address (shared by every instance).
    pub sign_in_limiter: AddressLimiter,
    /// Cases: intake and the requester's portal.
    pub cases: Cases,
    /// Intake submissions per address (shared by every instance).
    pub intake_limiter: AddressLimiter,
    /// The playbooks, by incident kind.
    pub playbooks: Arc<Playbooks>,
    /// The partner directory.
    pub partners: Partners,
    /// The alumni registry.
    pub alumni: crate::alumni::Alumni,
    /// Funds and grants.
    pub grants: Grants,
    /// Notices: the in-app list, failed deliveries, the rota.
    pub notify: crate::notify::Notify,
    /// Retention: the schedule, purges, the requester's deletion.
    pub retention: crate::retention::Retention,
    /// Vouching: asking trusted people, and their answers.
    pub vouching: crate::vouch::Vouching,
    /// Requests to vouchers' links per address (shared by every instance).
    pub vouch_limiter: AddressLimiter,
}
