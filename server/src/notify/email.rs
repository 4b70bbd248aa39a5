//! The e-mail channel: SMTP through `lettre`, STARTTLS, TLS and authentication set by the URL.

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::content::Rendered;

/// How long one SMTP exchange may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Sends notices by e-mail.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `url` (`smtp://`, `smtp://…?tls=required`, `smtps://`) sending as `from`.
    pub fn new(url: &str, from: Option<&str>) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("SHELTER_SMTP_URL is not an SMTP URL (smtp://host:port, smtps://user:password@host:465)")?
            .timeout(Some(TIMEOUT))
            .build();
        let from = from
            .context("SHELTER_MAIL_FROM must be set when SHELTER_SMTP_URL is")?
            .parse::<Mailbox>()
            .context("SHELTER_MAIL_FROM is not an e-mail address")?;
        Ok(Mailer { transport, from })
    }

    /// Sends one notice. The Message-ID is the delivery's, so a copy sent again after a
    /// crash is recognisably the same message. Errors never name the address.
    pub async fn send(&self, to: &str, delivery_id: Uuid, notice: &Rendered) -> Result<(), String> {
        let to = to.parse::<Mailbox>().map_err(|_| "the account's e-mail address is not deliverable".to_owned())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(notice.subject.clone())
            .message_id(Some(format!("<{delivery_id}@shelter.notice>")))
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
