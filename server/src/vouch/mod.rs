//! Vouching: a handler asks trusted people — registry members, partner organisations'
//! accounts — one question about the requester ([`ask`]). Each gets a content-free notice
//! with a link of their own ([`link`]) to a page that shows the question and nothing else
//! of the case; they answer once, before the link expires ([`answer`]). The answers are
//! attestations: a grant is approved only once enough distinct people confirmed
//! ([`crate::policy::grant_move`]), and the approver reads them ([`view`]).
//!
//! The question and the comments are sealed with the case key: they go with the case when
//! it is purged. Vouchers never see each other, nor who else was asked.

pub mod answer;
pub mod ask;
pub mod link;
pub mod standing;
pub mod view;

use crate::cases::Cases;
use crate::notify::Notify;

/// The vouching service.
#[derive(Clone)]
pub struct Vouching {
    /// Cases: database, keys, clock, access.
    pub cases: Cases,
    /// Notices: which channels run, and the public address links point to.
    pub notify: Notify,
    /// A registry member created or changed more recently than this is not asked: a contact
    /// changed for the occasion would receive the link (`SHELTER_NEW_APPROVER_WAIT_HOURS`).
    pub fresh_record_wait: chrono::Duration,
}

impl Vouching {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.cases.clock.now()
    }
}

/// The sealed field of a request's question.
pub fn question_field(request: uuid::Uuid) -> String {
    format!("vouch:{request}:question")
}

/// The context an invite's destination is sealed with under the directory key.
pub fn destination_context(invite: uuid::Uuid) -> Vec<u8> {
    format!("vouch_invite.destination:{invite}").into_bytes()
}

/// The sealed field of an invite's comment.
pub fn comment_field(invite: uuid::Uuid) -> String {
    format!("vouch:{invite}:comment")
}
