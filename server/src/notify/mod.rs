//! Notices that carry no case content: an outbox written with the change that causes it
//! ([`outbox`]), a worker that delivers by e-mail and signed webhook with retries
//! ([`worker`]), the in-app list ([`inbox`]), the on-call rota ([`rota`]) and escalation
//! ([`escalation`]), each person's [`preferences`] and the news requesters asked for
//! ([`hooks::requester_news`]). What a notice may say is decided in [`content`] alone.

pub mod content;
pub mod email;
pub mod escalation;
pub mod hooks;
pub mod inbox;
pub mod outbox;
pub mod preferences;
pub mod rota;
pub mod settings;
pub mod webhook;
pub mod worker;

use std::sync::Arc;

use shelter_shared::api::ErrorCode;
use sqlx::PgPool;

use crate::clock::Clock;
use crate::keys::Keys;
pub use outbox::{Audience, NewNotice, enqueue};
pub use settings::NotifySettings;

/// The notice service: delivery, the in-app list, the rota.
#[derive(Clone)]
pub struct Notify {
    /// The database.
    pub db: PgPool,
    /// The clock (tests move it).
    pub clock: Arc<dyn Clock>,
    /// Opens notice addresses (directory key) and requesters' case keys.
    pub keys: Arc<Keys>,
    /// The e-mail channel, when `SHELTER_SMTP_URL` is set.
    pub mailer: Option<Arc<email::Mailer>>,
    /// The webhook channel, when `SHELTER_WEBHOOK_URL` is set.
    pub webhook: Option<Arc<webhook::Webhook>>,
    /// Where notices send people: the staff sign-in page.
    pub sign_in_url: String,
    /// The public address, which vouchers' links start with.
    pub public_base: String,
    /// How long the worker keeps trying one delivery.
    pub give_up_after: chrono::Duration,
    /// The name a requester's news is signed with.
    pub neutral_name: String,
    /// News by e-mail is offered only with a neutral sender of its own: the network's own
    /// notice address on a seized phone would name the network.
    pub news_email: bool,
}

impl Notify {
    /// Builds the service from its settings, refusing bad ones with a clear message.
    pub fn new(
        settings: &NotifySettings,
        db: PgPool,
        clock: Arc<dyn Clock>,
        keys: Arc<Keys>,
        public_base: &str,
    ) -> anyhow::Result<Self> {
        let mailer = match &settings.smtp_url {
            Some(url) => Some(Arc::new(email::Mailer::new(
                url,
                settings.mail_from.as_deref(),
                &settings.neutral_name,
                settings.neutral_from.as_deref(),
            )?)),
            None => None,
        };
        let neutral_name = settings.neutral_name.trim();
        if neutral_name.is_empty() || neutral_name.chars().count() > 60 || neutral_name.chars().any(char::is_control) {
            anyhow::bail!("SHELTER_NOTIFY_NEUTRAL_NAME must be a plain name of 1 to 60 characters");
        }
        let webhook = match &settings.webhook_url {
            Some(url) => Some(Arc::new(webhook::Webhook::new(
                url,
                settings.webhook_secret_file.as_deref(),
                settings.webhook_allow_private,
            )?)),
            None => None,
        };
        if settings.give_up_hours == 0 {
            anyhow::bail!("SHELTER_NOTIFY_GIVE_UP_HOURS must be at least 1");
        }
        Ok(Notify {
            db,
            clock,
            keys,
            mailer,
            webhook,
            sign_in_url: format!("{}/staff", public_base.trim_end_matches('/')),
            public_base: public_base.trim_end_matches('/').to_owned(),
            give_up_after: chrono::Duration::hours(i64::from(settings.give_up_hours)),
            neutral_name: neutral_name.to_owned(),
            news_email: settings.neutral_from.is_some(),
        })
    }

    /// The channels a requester may choose for news here: e-mail with a neutral sender of its
    /// own, the messenger bridge when one runs.
    pub fn news_channels(&self) -> Vec<shelter_shared::notice::NewsChannel> {
        use shelter_shared::notice::NewsChannel;
        let mut channels = Vec::new();
        if self.mailer.is_some() && self.news_email {
            channels.push(NewsChannel::Email);
        }
        if self.webhook.is_some() {
            channels.push(NewsChannel::Messenger);
        }
        channels
    }

    /// Refuses a requester's choice of a channel this installation does not offer for news.
    pub fn check_news_choice(
        &self,
        choice: &Option<(shelter_shared::notice::NewsChannel, String)>,
    ) -> Result<(), shelter_shared::intake::FieldError> {
        match choice {
            Some((channel, _)) if !self.news_channels().contains(channel) => {
                Err(shelter_shared::intake::FieldError::InvalidChoice)
            }
            _ => Ok(()),
        }
    }

    /// The channels beyond the in-app list that this installation runs.
    pub fn external_channels(&self) -> Vec<&'static str> {
        let mut channels = Vec::new();
        if self.mailer.is_some() {
            channels.push("email");
        }
        if self.webhook.is_some() {
            channels.push("webhook");
        }
        channels
    }
}

/// What can go wrong with a notice operation.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    /// Bad input: its kind, and a sentence saying it plainly.
    #[error("{message}")]
    Invalid {
        /// The kind of invalid input, answered as the error's code.
        code: ErrorCode,
        /// What is wrong.
        message: &'static str,
    },
    /// The change needs a fresh second factor first.
    #[error("{}", crate::policy::STEP_UP_NEEDED)]
    StepUpNeeded,
    /// No such delivery or shift (or not one that can be retried).
    #[error("not found")]
    NotFound,
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for NotifyError {
    fn from(error: sqlx::Error) -> Self {
        NotifyError::Internal(error.into())
    }
}
