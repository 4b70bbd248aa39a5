//! The delivery worker. Each round it adds the e-mail and webhook deliveries of new notices,
//! then takes due deliveries with `FOR UPDATE SKIP LOCKED` and a lease (so two processes
//! never take the same one, and one left by a crashed process is taken again once its lease
//! ends), sends them, and records every attempt. A failure is retried with exponential
//! backoff until the delivery's give-up time, when it is listed for administrators.
//!
//! Non-urgent notices of people who chose a digest wait until the digest's hour; all of one
//! person's deliveries due then on one channel leave as one message that says how many.
//! A requester's news goes from the neutral sender to the address they left, opened with
//! their case's key.
//!
//! Sending and recording cannot be one atomic act: a process that dies after the SMTP
//! server accepted a message and before the row says so sends it again after the lease.
//! That copy carries the same Message-ID (and webhook delivery header), so it is known for
//! the same message.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use serde_json::json;
use uuid::Uuid;

use shelter_shared::language::Language;
use shelter_shared::notice::NewsChannel;

use super::Notify;
use super::content::{Rendered, Urgency, render, render_digest, render_news};
use super::email::Sender;
use super::preferences::open_address;
use crate::cases::crypto::CaseKey;

/// The sealed field of a case that holds the requester's address for news.
pub const NEWS_FIELD: &str = "news_contact";
/// How long a worker holds a delivery it took: longer than any send may take.
pub const LEASE: Duration = Duration::minutes(5);
/// Deliveries taken per round.
const BATCH: i64 = 64;
/// First retry after this; each further one waits twice as long, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::seconds(30);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::hours(1);

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Delivered.
    pub sent: usize,
    /// Failed, to be tried again.
    pub retrying: usize,
    /// Failed for good (past the give-up time).
    pub failed: usize,
}

struct Due {
    delivery_id: Uuid,
    channel: String,
    staff_user_id: Option<Uuid>,
    requester_case_id: Option<Uuid>,
    urgency: String,
    attempts: i32,
    digest: bool,
    /// The staff account is active and confirmed (always true for a requester).
    active: bool,
    /// The staff account's sign-in address.
    email: Option<String>,
    /// The staff account's preferred language.
    language: Option<Language>,
    address_sealed: Option<Vec<u8>>,
    handle_sealed: Option<Vec<u8>>,
    /// The requester's sealed address and language, and their case's sealed key.
    contact_sealed: Option<Vec<u8>>,
    contact_language: Option<Language>,
    case_key_sealed: Option<Vec<u8>>,
    /// The requester's case is in custody mode or under a duress alert: no news reaches them.
    requester_watched: Option<bool>,
    /// A voucher's invite: where its link goes (fixed when asking), in which language, until
    /// when, and whether it still waits for an answer (its case open, a partner voucher's
    /// account active).
    vouch_invite_id: Option<Uuid>,
    vouch_destination_sealed: Option<Vec<u8>>,
    vouch_language: Option<Language>,
    vouch_expires_at: Option<DateTime<Utc>>,
    vouch_open: Option<bool>,
}

/// Where one delivery goes, opened.
enum Recipient {
    Staff { id: Uuid, address: String, handle: Option<String>, language: Language },
    Requester { address: String, language: Language },
    Voucher { invite: Uuid, address: String, language: Language, expires_at: DateTime<Utc> },
}

/// The wait before the attempt after `attempts` failed ones.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.clamp(1, 16) - 1;
    let wait = FIRST_BACKOFF * 2_i32.pow(doublings as u32);
    wait.min(MAX_BACKOFF)
}

impl Notify {
    /// Adds the e-mail and webhook deliveries of notices not yet fanned out.
    pub async fn fan_out(&self) -> anyhow::Result<u64> {
        let now = self.clock.now();
        let channels = self.external_channels();
        let give_up_after = crate::db::interval(self.give_up_after)?;
        let mut tx = self.db.begin().await?;
        let notices: Vec<Uuid> = sqlx::query_scalar!(
            "update notice set fanned_out = true where notice_id in (
                 select notice_id from notice where not fanned_out order by created_at limit 500
                 for update skip locked)
             returning notice_id"
        )
        .fetch_all(&mut *tx)
        .await?;
        // Staff: the channels each person chose for the urgency; a digest waits for its hour.
        let staff = sqlx::query!(
            "insert into notice_delivery (delivery_id, notice_id, staff_user_id, channel, status,
                                          next_attempt_at, give_up_at, created_at, digest)
             select gen_random_uuid(), d.notice_id, d.staff_user_id, c.channel, 'pending', w.at, w.at + $3, $2, w.digest
             from notice_delivery d join notice n using (notice_id) cross join unnest($4::text[]) as c(channel)
                  left join notice_preference p on p.staff_user_id = d.staff_user_id
                  cross join lateral (
                      select n.urgency = 'normal' and coalesce(p.digest, 'none') <> 'none' as digest) g
                  cross join lateral (
                      select g.digest, case when g.digest then notice_digest_at($2, p.digest, p.utc_offset_minutes)
                                            else $2 end as at) w
             where d.notice_id = any($1) and d.channel = 'in_app'
               and case when c.channel = 'email' and n.urgency = 'urgent' then coalesce(p.email_urgent, true)
                        when c.channel = 'email' then coalesce(p.email_normal, true)
                        when n.urgency = 'urgent' then coalesce(p.webhook_urgent, true)
                        else coalesce(p.webhook_normal, true) end
             on conflict (notice_id, staff_user_id, channel) do nothing",
            &notices,
            now,
            give_up_after,
            &channels as &[&str]
        )
        .execute(&mut *tx)
        .await?;
        // Requesters who asked for news, on the channel they chose, if this installation runs it.
        let requesters = sqlx::query!(
            "insert into notice_delivery (delivery_id, notice_id, requester_case_id, channel, status,
                                          next_attempt_at, give_up_at, created_at)
             select gen_random_uuid(), n.notice_id, c.case_id, c.channel, 'pending', $2,
                    $2::timestamptz + $3::interval, $2
             from notice n join requester_notice_contact c on c.case_id = n.case_id
             where n.notice_id = any($1) and n.kind = 'requester_news' and c.channel = any($4)
               -- news queued before custody mode or a duress alert never reaches the phone
               and not exists (select 1 from case_custody k where k.case_id = n.case_id and k.lifted_at is null)
               and not exists (select 1 from cases x where x.case_id = n.case_id and x.duress_alert_at is not null)
             on conflict do nothing",
            &notices,
            now,
            give_up_after,
            &self.news_channels() as &[NewsChannel]
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(staff.rows_affected() + requesters.rows_affected())
    }

    /// Takes up to `limit` due deliveries for this worker, leasing them and counting the
    /// attempt, with what sending needs (sealed addresses are opened later, in memory).
    async fn take(&self, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<Due>> {
        let lease = crate::db::interval(LEASE)?;
        Ok(sqlx::query_as!(
            Due,
            r#"with due as (
                 select d.delivery_id from notice_delivery d join notice n using (notice_id)
                      left join notice_preference p on p.staff_user_id = d.staff_user_id
                      left join lateral (
                          select (extract(hour from t) * 60 + extract(minute from t))::int as m
                          from (select ($1 at time zone 'UTC') + make_interval(mins => p.utc_offset_minutes) as t) x
                      ) l on true
                 where d.status = 'pending' and d.channel <> 'in_app' and d.next_attempt_at <= $1
                   and (d.leased_until is null or d.leased_until <= $1)
                   -- non-urgent notices wait out the recipient's quiet hours
                   and not (n.urgency = 'normal' and p.quiet_from is not null and case
                        when p.quiet_from < p.quiet_until then l.m >= p.quiet_from and l.m < p.quiet_until
                        else l.m >= p.quiet_from or l.m < p.quiet_until end)
                 -- one person's digest deliveries sit together, so one batch takes them all
                 order by d.next_attempt_at, d.staff_user_id limit $2
                 for update of d skip locked),
             taken as (
                 update notice_delivery d set attempts = d.attempts + 1, leased_until = $1 + $3
                 from due where d.delivery_id = due.delivery_id
                 returning d.*)
             select d.delivery_id, d.channel, d.staff_user_id, d.requester_case_id, n.urgency, d.attempts, d.digest,
                    coalesce(u.status = 'active' and not u.pending_confirmation, true) as "active!",
                    -- the recipient's rows are outer joins: any of them may be missing
                    u.email as "email?", p.language as "language?: Language", p.address_sealed as "address_sealed?",
                    p.handle_sealed as "handle_sealed?", c.address_sealed as "contact_sealed?",
                    c.language as "contact_language?: Language", k.sealed_key as "case_key_sealed?",
                    (k.duress_alert_at is not null
                     or exists (select 1 from case_custody cc where cc.case_id = k.case_id and cc.lifted_at is null))
                        as "requester_watched?",
                    d.vouch_invite_id, v.destination_sealed as "vouch_destination_sealed?",
                    v.language as "vouch_language?: Language", r.expires_at as "vouch_expires_at?",
                    (v.answered_at is null and r.expires_at > $1 and vc.status <> 'closed' and vc.purged_at is null
                     and (v.partner_user_id is null
                          or coalesce(pu.status = 'active' and not pu.pending_confirmation, false))) as "vouch_open?"
             from taken d join notice n using (notice_id)
                  left join staff_user u on u.staff_user_id = d.staff_user_id
                  left join notice_preference p on p.staff_user_id = d.staff_user_id
                  left join requester_notice_contact c on c.case_id = d.requester_case_id
                  left join cases k on k.case_id = d.requester_case_id
                  left join vouch_invite v on v.invite_id = d.vouch_invite_id
                  left join vouch_request r on r.vouch_request_id = v.vouch_request_id
                  left join cases vc on vc.case_id = r.case_id
                  left join staff_user pu on pu.staff_user_id = v.partner_user_id"#,
            now,
            limit,
            lease
        )
        .fetch_all(&self.db)
        .await?)
    }

    /// Opens where `due` goes; an error says why it cannot go (never the address).
    fn recipient(&self, due: &Due) -> Result<Recipient, String> {
        if let Some(case_id) = due.requester_case_id {
            if due.requester_watched == Some(true) {
                return Err("the case is in custody mode or under a duress alert: no news leaves".to_owned());
            }
            let (Some(sealed), Some(key)) = (&due.contact_sealed, &due.case_key_sealed) else {
                return Err("the requester turned news off".to_owned());
            };
            let key = CaseKey::open(&self.keys, case_id, key).map_err(|_| "the case key does not open".to_owned())?;
            let address =
                key.open_text(NEWS_FIELD, sealed).map_err(|_| "the requester's address does not open".to_owned())?;
            return Ok(Recipient::Requester { address, language: due.contact_language.unwrap_or_default() });
        }
        if let Some(invite) = due.vouch_invite_id {
            return self.voucher(due, invite, due.vouch_language.unwrap_or_default());
        }
        let id = due.staff_user_id.ok_or("a delivery without a recipient")?;
        if !due.active {
            // Disabled or reset since the notice was queued: it stays unsent and is listed.
            return Err("the account is no longer active".to_owned());
        }
        let address = open_address(&self.keys, id, "address", due.address_sealed.as_deref())
            .or_else(|| due.email.clone())
            .ok_or("the account has no address")?;
        let handle = open_address(&self.keys, id, "handle", due.handle_sealed.as_deref());
        Ok(Recipient::Staff { id, address, handle, language: due.language.unwrap_or_default() })
    }

    /// Opens where a voucher's link goes: the address fixed when they were asked.
    fn voucher(&self, due: &Due, invite: Uuid, language: Language) -> Result<Recipient, String> {
        let expires_at = due.vouch_expires_at.ok_or("the invite is gone")?;
        if due.vouch_open != Some(true) {
            return Err("the question was answered, expired or closed before its link left".to_owned());
        }
        let sealed = due.vouch_destination_sealed.as_deref().ok_or("the invite is gone")?;
        let address = crate::keys::open(&self.keys.directory, sealed, &crate::vouch::destination_context(invite))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or("the voucher's address does not open")?;
        Ok(Recipient::Voucher { invite, address, language, expires_at })
    }

    /// Draws the secret of the link about to leave and stores its hash first, so the link
    /// works as soon as it arrives; a link sent before stops working.
    async fn issue_link(&self, invite: Uuid, language: Language) -> Result<String, String> {
        let (secret, hash) = crate::vouch::link::new_secret();
        let stored = sqlx::query!(
            "update vouch_invite set secret_hash = $2 where invite_id = $1 and answered_at is null",
            invite,
            hash
        )
        .execute(&self.db)
        .await
        .map_err(|e| format!("could not store the link: {e}"))?;
        if stored.rows_affected() == 0 {
            return Err("the question was answered before its link left".to_owned());
        }
        Ok(crate::vouch::link::url(&self.public_base, invite, &secret, language.tag()))
    }

    /// Sends one delivery (or one digest of `count`) on its channel.
    async fn send(&self, due: &Due, count: usize, now: DateTime<Utc>) -> Result<(), String> {
        let urgency = Urgency::parse(&due.urgency).unwrap_or(Urgency::Normal);
        let (sender, address, notice, body) = match self.recipient(due)? {
            Recipient::Requester { address, language } => {
                let notice = render_news(language, &self.neutral_name);
                // The bridge learns the handle and the words, never whose request it is.
                let body = json!({"delivery": due.delivery_id, "handle": address, "subject": notice.subject, "text": notice.text});
                (Sender::Neutral, address, notice, body)
            }
            Recipient::Voucher { invite, address, language, expires_at } => {
                let link = self.issue_link(invite, language).await?;
                let expires = expires_at.format("%Y-%m-%d %H:%M UTC").to_string();
                let notice = super::content::render_vouch(language, &self.neutral_name, &link, &expires);
                // The bridge learns the handle and the words, never whose request it is.
                let body = json!({"delivery": due.delivery_id, "handle": address, "subject": notice.subject, "text": notice.text});
                (Sender::Neutral, address, notice, body)
            }
            Recipient::Staff { id, address, handle, language } => {
                let notice: Rendered = if due.digest {
                    render_digest(count, &self.sign_in_url, language)
                } else {
                    render(urgency, &self.sign_in_url, language)
                };
                // Without a handle, the bridge maps the opaque account id to one it keeps.
                let body = json!({
                    "delivery": due.delivery_id, "recipient": id, "handle": handle, "urgency": urgency,
                    "subject": notice.subject, "text": notice.text,
                });
                (Sender::Network, address, notice, body)
            }
        };
        match (due.channel.as_str(), &self.mailer, &self.webhook) {
            ("email", Some(mailer), _) => mailer.send(sender, &address, due.delivery_id, &notice).await,
            ("webhook", _, Some(webhook)) => {
                webhook.send(due.delivery_id, now.timestamp(), body.to_string().into_bytes()).await
            }
            _ => Err("this channel is no longer configured".to_owned()),
        }
    }

    /// Records the outcomes of one batch of attempts in one statement: each attempt, and each
    /// delivery sent, due again after its backoff, or given up. Returns how many were given up.
    async fn finish(&self, taken: &[Due], outcomes: &[Result<(), String>]) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let ids: Vec<Uuid> = taken.iter().map(|d| d.delivery_id).collect();
        let errors: Vec<Option<String>> =
            outcomes.iter().map(|o| o.as_ref().err().map(|e| e.chars().take(500).collect())).collect();
        let waits: Vec<f64> = taken.iter().map(|d| backoff(d.attempts).num_seconds() as f64).collect();
        let statuses: Vec<String> = sqlx::query_scalar!(
            "with outcome as (
                 select * from unnest($1::uuid[], $2::text[], $3::float8[]) as o(delivery_id, error, wait_secs)),
             attempt as (
                 insert into notice_attempt (delivery_id, attempted_at, ok, error)
                 select delivery_id, $4, error is null, error from outcome)
             update notice_delivery d set
                 status = case when o.error is null then 'sent' when d.give_up_at <= $4 then 'failed' else 'pending' end,
                 sent_at = case when o.error is null then $4 end,
                 next_attempt_at = $4 + make_interval(secs => o.wait_secs), leased_until = null, last_error = o.error
             from outcome o
             where d.delivery_id = o.delivery_id and d.status = 'pending'
             returning d.status",
            &ids,
            &errors as &[Option<String>],
            &waits,
            now
        )
        .fetch_all(&self.db)
        .await?;
        Ok(statuses.iter().filter(|s| *s == "failed").count())
    }

    /// One round: fan out new notices, then send what is due, up to one batch.
    pub async fn deliver_due(&self) -> anyhow::Result<Round> {
        self.fan_out().await?;
        let now = self.clock.now();
        let taken = self.take(now, BATCH).await?;
        if taken.is_empty() {
            return Ok(Round::default());
        }
        let outcomes = self.send_all(&taken, now).await;
        for (due, outcome) in taken.iter().zip(&outcomes) {
            if let Err(error) = outcome {
                tracing::warn!(delivery.id = %due.delivery_id, channel = %due.channel, error = %error, "notice not delivered");
            }
        }
        let failed = self.finish(&taken, &outcomes).await?;
        let sent = outcomes.iter().filter(|o| o.is_ok()).count();
        Ok(Round { sent, retrying: outcomes.len() - sent - failed, failed })
    }

    /// Sends every taken delivery; one person's digest deliveries on one channel go as one
    /// message, and share its outcome.
    async fn send_all(&self, taken: &[Due], now: DateTime<Utc>) -> Vec<Result<(), String>> {
        // Each delivery points at the message it leaves with: its own, or its digest's.
        let mut messages: Vec<(usize, usize)> = Vec::new(); // (the delivery that leads it, how many)
        let mut digests: HashMap<(Option<Uuid>, &str), usize> = HashMap::new();
        let mut message_of = Vec::with_capacity(taken.len());
        for (i, due) in taken.iter().enumerate() {
            let joined = due.digest.then(|| digests.get(&(due.staff_user_id, due.channel.as_str())).copied()).flatten();
            let at = match joined {
                Some(at) => at,
                None => {
                    if due.digest {
                        digests.insert((due.staff_user_id, due.channel.as_str()), messages.len());
                    }
                    messages.push((i, 0));
                    messages.len() - 1
                }
            };
            messages[at].1 += 1;
            message_of.push(at);
        }
        let sent = join_all(messages.iter().map(|(i, count)| self.send(&taken[*i], *count, now))).await;
        message_of.into_iter().map(|at| sent[at].clone()).collect()
    }

    /// Rounds until nothing due is left (at most `max_rounds`); returns their sum.
    pub async fn drain(&self, max_rounds: usize) -> anyhow::Result<Round> {
        let mut total = Round::default();
        for _ in 0..max_rounds {
            let round = self.deliver_due().await?;
            total.sent += round.sent;
            total.retrying += round.retrying;
            total.failed += round.failed;
            if round == Round::default() {
                break;
            }
        }
        Ok(total)
    }

    /// Runs the escalation clock and delivery rounds every `every` until aborted.
    pub fn spawn(self: Arc<Self>, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(every);
            loop {
                ticker.tick().await;
                if let Err(error) = self.escalate().await {
                    tracing::warn!(error = format!("{error:#}"), "could not check unacknowledged urgent cases");
                }
                if let Err(error) = self.remind_due_soon().await {
                    tracing::warn!(error = format!("{error:#}"), "could not check deadlines due soon");
                }
                if let Err(error) = self.remind_unanswered_referrals().await {
                    tracing::warn!(error = format!("{error:#}"), "could not check unanswered referrals");
                }
                match self.drain(20).await {
                    Ok(Round { failed: 0, .. }) => {}
                    Ok(round) => tracing::warn!(failed = round.failed, "notices given up; see /staff/notices"),
                    Err(error) => tracing::warn!(error = format!("{error:#}"), "notice delivery round failed"),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(50), Duration::hours(1));
    }
}
