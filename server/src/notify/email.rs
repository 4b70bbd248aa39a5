//! The e-mail channel: SMTP through `lettre`, STARTTLS, TLS and authentication set by the URL.
//! Staff notices come from `SHELTER_MAIL_FROM`; a requester's news from a neutral sender
//! whose name and Message-ID domain say nothing about the network.

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::content::Rendered;

/// How long one SMTP exchange may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Who a message is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// The network's notice address, for staff.
    Network,
    /// The neutral sender, for requesters.
    Neutral,
}

/// Sends notices by e-mail.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    neutral: Mailbox,
}

impl Mailer {
    /// Connects to the SMTP server and says EHLO (and STARTTLS or TLS, as the URL asks),
    /// sending nothing: whether it answers.
    pub async fn test_connection(&self) -> anyhow::Result<bool> {
        Ok(self.transport.test_connection().await?)
    }

    /// A mailer for `url` (`smtp://`, `smtp://…?tls=required`, `smtps://`) sending as `from`,
    /// and requesters' news as `neutral_from` (else `from`'s address) named `neutral_name`.
    pub fn new(url: &str, from: Option<&str>, neutral_name: &str, neutral_from: Option<&str>) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SHELTER_SMTP_URL is not an SMTP URL (smtp://host:port, smtps://user:password@host:465)")?
            .timeout(Some(TIMEOUT))
            .build();
        let from = from
            .context("SHELTER_MAIL_FROM must be set when SHELTER_SMTP_URL is")?
            .parse::<Mailbox>()
            .context("SHELTER_MAIL_FROM is not an e-mail address")?;
        let neutral_address = match neutral_from {
            Some(neutral) => {
                neutral.parse::<Mailbox>().context("SHELTER_NOTIFY_NEUTRAL_FROM is not an e-mail address")?.email
            }
            None => from.email.clone(),
        };
        let neutral = Mailbox::new(Some(neutral_name.trim().to_owned()), neutral_address);
        Ok(Mailer { transport, from, neutral })
    }

    /// Sends one notice. The Message-ID is the delivery's, on the sender's own domain, so a
    /// copy sent again after a crash is recognisably the same message. Errors never name
    /// the address.
    pub async fn send(&self, sender: Sender, to: &str, delivery_id: Uuid, notice: &Rendered) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|_| "the recipient's e-mail address is not deliverable".to_owned())?;
        let from = match sender {
            Sender::Network => &self.from,
            Sender::Neutral => &self.neutral,
        };
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(notice.subject.clone())
            .message_id(Some(format!("<{delivery_id}@{}>", from.email.domain())))
            .header(ContentType::TEXT_PLAIN)
            .body(notice.text.clone())
            .map_err(|_| "the notice could not be built".to_owned())?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(error) => Err(match error.status() {
                Some(code) if error.is_permanent() => format!("smtp refused permanently ({code})"),
                Some(code) => format!("smtp refused for now ({code})"),
                None if error.is_timeout() => "smtp timed out".to_owned(),
                None => "smtp connection failed".to_owned(),
            }),
        }
    }
}
