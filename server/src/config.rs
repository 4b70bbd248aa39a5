//! Settings, from flags and the environment (see the README's configuration table).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

/// Settings shared by every command that touches the database.
#[derive(Debug, Clone, Args)]
pub struct DatabaseSettings {
    /// PostgreSQL connection URL; when unset, Shelter runs its own private cluster under the data dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where Shelter keeps its files: the embedded cluster, keys.
    #[arg(long, env = "SHELTER_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// The master key file (64 hex characters); default `<data dir>/master.key`, created on first run.
    #[arg(long, env = "SHELTER_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
}

impl DatabaseSettings {
    /// Where the master key file is.
    pub fn master_key_path(&self) -> PathBuf {
        self.master_key_file.clone().unwrap_or_else(|| self.data_dir.join("master.key"))
    }
}

/// Settings of `shelter serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    /// Database and data directory.
    #[command(flatten)]
    pub database: DatabaseSettings,

    /// Address of the public listener.
    #[arg(long, env = "SHELTER_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// The URL people reach Shelter at (behind the TLS proxy); https turns on HSTS and secure cookies.
    #[arg(long, env = "SHELTER_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Address of the Prometheus listener; must be a loopback address.
    #[arg(long, env = "SHELTER_METRICS_BIND", default_value = "127.0.0.1:9464")]
    pub metrics_bind: SocketAddr,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "SHELTER_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "SHELTER_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Take the client address from X-Forwarded-For; only behind a proxy that sets it.
    #[arg(long, env = "SHELTER_TRUST_PROXY_HEADERS", default_value_t = false)]
    pub trust_proxy_headers: bool,

    /// Sign-in and enrolment attempts allowed per client address per minute.
    #[arg(long, env = "SHELTER_SIGN_IN_PER_MINUTE", default_value_t = 30)]
    pub sign_in_per_minute: u32,

    /// Requests (intake forms and API) accepted per client address per hour.
    #[arg(long, env = "SHELTER_INTAKE_PER_HOUR", default_value_t = 60)]
    pub intake_per_hour: u32,

    /// Requests one address may send at once before the hourly rate applies.
    #[arg(long, env = "SHELTER_INTAKE_BURST", default_value_t = 20)]
    pub intake_burst: u32,

    /// Where "quick exit" leads: a neutral site.
    #[arg(long, env = "SHELTER_QUICK_EXIT_URL", default_value = "https://www.wikipedia.org/")]
    pub quick_exit_url: String,

    /// The onion service's address (`http://<56 letters>.onion`), when Shelter is also an
    /// onion service: requester pages then send `Onion-Location` and name it.
    #[arg(long, env = "SHELTER_ONION_URL")]
    pub onion_url: Option<String>,

    /// The folder of playbooks (one TOML file per incident kind).
    #[arg(long, env = "SHELTER_PLAYBOOKS_DIR", default_value = "./playbooks")]
    pub playbooks_dir: PathBuf,

    /// Seconds between checks of the SLA clocks.
    #[arg(long, env = "SHELTER_SLA_CHECK_SECS", default_value_t = 60)]
    pub sla_check_secs: u64,

    /// Largest attachment, in megabytes.
    #[arg(long, env = "SHELTER_ATTACHMENT_MAX_MB", default_value_t = 10)]
    pub attachment_max_mb: usize,

    /// Most attachments per case.
    #[arg(long, env = "SHELTER_ATTACHMENTS_PER_CASE", default_value_t = 5)]
    pub attachments_per_case: i64,

    /// Highest tier A grant in US dollars: one supervisor approves.
    #[arg(long, env = "SHELTER_GRANT_TIER_A_USD", default_value = "2000")]
    pub grant_tier_a_usd: String,

    /// Highest tier B grant in US dollars: two distinct supervisors approve (above: three).
    #[arg(long, env = "SHELTER_GRANT_TIER_B_USD", default_value = "8000")]
    pub grant_tier_b_usd: String,

    /// Highest grant of all, in US dollars.
    #[arg(long, env = "SHELTER_GRANT_HARD_CAP_USD", default_value = "10000")]
    pub grant_hard_cap_usd: String,

    /// Days after receipt when the report on a grant's use is due.
    #[arg(long, env = "SHELTER_GRANT_USE_WINDOW_DAYS", default_value_t = 90)]
    pub grant_use_window_days: u32,

    /// Hours after an account is created or its second factor reset before its approvals
    /// count toward a tier B or C grant (aliases made for the occasion do not count).
    #[arg(long, env = "SHELTER_NEW_APPROVER_WAIT_HOURS", default_value_t = 72)]
    pub new_approver_wait_hours: u32,

    /// Distinct vouchers who must confirm the requester before a tier A grant is approved
    /// (0 turns verification off for the tier: only for a fund that verifies otherwise).
    #[arg(long, env = "SHELTER_GRANT_VOUCHES_TIER_A", default_value_t = 1, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub grant_vouches_tier_a: u8,

    /// Distinct vouchers who must confirm the requester before a tier B or C grant is approved.
    #[arg(long, env = "SHELTER_GRANT_VOUCHES_TIER_BC", default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub grant_vouches_tier_bc: u8,
    /// Days a partner keeps a referral packet after reporting its outcome.
    #[arg(long, env = "SHELTER_REFERRAL_ACCESS_DAYS", default_value_t = shelter_shared::referral::CONCLUDED_ACCESS_DAYS)]
    pub referral_access_days: u32,

    /// Published figures (insights, donor report) hide every count below this, and amounts
    /// behind fewer grants than this.
    #[arg(long, env = "SHELTER_SUPPRESS_BELOW", default_value_t = 5, value_parser = clap::value_parser!(i64).range(2..=100))]
    pub suppress_below: i64,

    /// Most database connections the server holds.
    #[arg(long, env = "SHELTER_DB_POOL_SIZE", default_value_t = 16)]
    pub db_pool_size: u32,

    /// Notice channels and the delivery worker.
    #[command(flatten)]
    pub notify: crate::notify::NotifySettings,

    /// The retention schedule and the purge job.
    #[command(flatten)]
    pub retention: RetentionSettings,

    /// Where backups are written: `shelter doctor` and the administrator's home check them.
    #[command(flatten)]
    pub backups: BackupSettings,
}

/// Where backups are written and how old the newest may be.
#[derive(Debug, Clone, Args)]
pub struct BackupSettings {
    /// The folder `shelter backup create --out` writes to; the newest file's age is checked.
    #[arg(long, env = "SHELTER_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Hours after which the newest backup counts as too old.
    #[arg(long, env = "SHELTER_BACKUP_MAX_AGE_HOURS", default_value_t = 26)]
    pub backup_max_age_hours: u64,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings { backup_dir: None, backup_max_age_hours: 26 }
    }
}

/// How long personal data is kept, and where the purge log lives (see `crate::retention`).
#[derive(Debug, Clone, Args)]
pub struct RetentionSettings {
    /// Days a case closed as declined, duplicate or withdrawn keeps its personal data.
    #[arg(long, env = "SHELTER_RETAIN_DECLINED_DAYS", default_value_t = 90)]
    pub retain_declined_days: u32,

    /// Months a case closed otherwise (resolved, referred out, unreachable) keeps its personal data.
    #[arg(long, env = "SHELTER_RETAIN_CLOSED_MONTHS", default_value_t = 24)]
    pub retain_closed_months: u32,

    /// Years a purged case's payments keep their external reference (the accounting period).
    #[arg(long, env = "SHELTER_RETAIN_ACCOUNTS_YEARS", default_value_t = 7)]
    pub retain_accounts_years: u32,

    /// Days between a requester's deletion request and the purge; they may cancel meanwhile.
    #[arg(long, env = "SHELTER_DELETION_COOLING_DAYS", default_value_t = 7)]
    pub deletion_cooling_days: u32,

    /// Seconds between runs of the purge job.
    #[arg(long, env = "SHELTER_RETENTION_CHECK_SECS", default_value_t = 3600)]
    pub retention_check_secs: u64,

    /// The append-only purge log; default `purged.log` beside the master key file.
    #[arg(long, env = "SHELTER_PURGE_LOG")]
    pub purge_log: Option<PathBuf>,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        RetentionSettings {
            retain_declined_days: 90,
            retain_closed_months: 24,
            retain_accounts_years: 7,
            deletion_cooling_days: 7,
            retention_check_secs: 3600,
            purge_log: None,
        }
    }
}

impl RetentionSettings {
    /// Where the purge log is: the setting, else `purged.log` beside `master_key`.
    pub fn purge_log_path(&self, master_key: &std::path::Path) -> PathBuf {
        self.purge_log.clone().unwrap_or_else(|| {
            master_key.parent().map(|dir| dir.join("purged.log")).unwrap_or_else(|| PathBuf::from("purged.log"))
        })
    }
}

impl ServeSettings {
    /// The grant rules these settings give, or why they are inconsistent.
    pub fn grant_rules(&self) -> anyhow::Result<crate::grants::GrantRules> {
        use shelter_shared::grant::{Currency, Money, Tiers};
        let usd = |text: &str, name: &str| {
            Money::parse(text, Currency::USD).map(|m| m.minor).map_err(|e| anyhow::anyhow!("{name}: {e}"))
        };
        let tiers = Tiers {
            a_max: usd(&self.grant_tier_a_usd, "SHELTER_GRANT_TIER_A_USD")?,
            b_max: usd(&self.grant_tier_b_usd, "SHELTER_GRANT_TIER_B_USD")?,
            hard_cap: usd(&self.grant_hard_cap_usd, "SHELTER_GRANT_HARD_CAP_USD")?,
        };
        if !tiers.is_ordered() {
            anyhow::bail!("grant tiers must rise: tier A < tier B < hard cap");
        }
        if self.grant_use_window_days == 0 {
            anyhow::bail!("SHELTER_GRANT_USE_WINDOW_DAYS must be at least 1");
        }
        Ok(crate::grants::GrantRules {
            tiers,
            use_window: chrono::Duration::days(i64::from(self.grant_use_window_days)),
            new_approver_wait: chrono::Duration::hours(i64::from(self.new_approver_wait_hours)),
            vouches: crate::grants::Vouches {
                tier_a: usize::from(self.grant_vouches_tier_a),
                tier_bc: usize::from(self.grant_vouches_tier_bc),
            },
            ..Default::default()
        })
    }

    /// The origin (`scheme://host[:port]`) of the public URL, which form posts must come from.
    pub fn public_origin(&self) -> Option<String> {
        let url = url::Url::parse(self.public_url.as_deref()?).ok()?;
        Some(url.origin().ascii_serialization())
    }

    /// Where notices send people: the public URL, or the bound address when it is unset.
    pub fn public_base(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.bind))
    }

    /// The onion address as an origin (`http://x.onion`), checked: a v3 onion name (56
    /// base32 letters) over http or https, nothing after the host.
    pub fn onion_origin(&self) -> anyhow::Result<Option<String>> {
        let Some(text) = self.onion_url.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
        let bad = || anyhow::anyhow!("SHELTER_ONION_URL must look like http://<56 letters and digits 2-7>.onion");
        let url = url::Url::parse(text).map_err(|_| bad())?;
        let host = url.host_str().ok_or_else(bad)?.to_ascii_lowercase();
        let name = host.strip_suffix(".onion").ok_or_else(bad)?;
        let v3 = name.len() == 56 && name.chars().all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c));
        let plain = matches!(url.scheme(), "http" | "https")
            && url.path().trim_end_matches('/').is_empty()
            && url.query().is_none()
            && url.username().is_empty();
        if !v3 || !plain {
            return Err(bad());
        }
        Ok(Some(url.origin().ascii_serialization()))
    }

    /// Whether Shelter is served over TLS (behind a proxy), per the public URL.
    pub fn is_https(&self) -> bool {
        self.public_url.as_deref().is_some_and(|url| url.to_ascii_lowercase().starts_with("https://"))
    }
}
