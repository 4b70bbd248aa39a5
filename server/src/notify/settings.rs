//! Notice settings (see the README's configuration table).

use std::path::PathBuf;

use clap::Args;

/// Settings of the notice channels and the delivery worker.
#[derive(Debug, Clone, Args)]
pub struct NotifySettings {
    /// SMTP server for e-mail notices: `smtp://host:25?tls=required` (STARTTLS),
    /// `smtps://user:password@host:465` (TLS); unset, no e-mail is sent.
    #[arg(long, env = "SHELTER_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of e-mail notices, e.g. `Shelter <notices@example.org>`.
    #[arg(long, env = "SHELTER_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// The sender name of the news requesters asked for: a plain name that says nothing
    /// about the network (the address comes from SHELTER_NOTIFY_NEUTRAL_FROM, else SHELTER_MAIL_FROM).
    #[arg(long, env = "SHELTER_NOTIFY_NEUTRAL_NAME", default_value = "Mai")]
    pub neutral_name: String,

    /// The sender of requesters' news, e.g. `Mai <mai@example.net>`: an address on a domain
    /// that names neither Shelter nor the network. Unset: SHELTER_MAIL_FROM's address.
    #[arg(long, env = "SHELTER_NOTIFY_NEUTRAL_FROM")]
    pub neutral_from: Option<String>,

    /// The network's messenger bridge: signed notices are posted here (https only).
    #[arg(long, env = "SHELTER_WEBHOOK_URL")]
    pub webhook_url: Option<String>,

    /// File holding the webhook signing secret (at least 32 characters).
    #[arg(long, env = "SHELTER_WEBHOOK_SECRET_FILE")]
    pub webhook_secret_file: Option<PathBuf>,

    /// Allow a webhook on a private or loopback address, over plain http (a bridge on the same host).
    #[arg(long, env = "SHELTER_WEBHOOK_ALLOW_PRIVATE", default_value_t = false)]
    pub webhook_allow_private: bool,

    /// Hours the worker keeps retrying a delivery before listing it as failed.
    #[arg(long, env = "SHELTER_NOTIFY_GIVE_UP_HOURS", default_value_t = 24)]
    pub give_up_hours: u32,

    /// Seconds between the worker's rounds.
    #[arg(long, env = "SHELTER_NOTIFY_EVERY_SECS", default_value_t = 5)]
    pub every_secs: u64,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            smtp_url: None,
            mail_from: None,
            neutral_name: "Mai".to_owned(),
            neutral_from: None,
            webhook_url: None,
            webhook_secret_file: None,
            webhook_allow_private: false,
            give_up_hours: 24,
            every_secs: 5,
        }
    }
}
