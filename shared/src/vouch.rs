//! Vouching: a handler asks trusted people one question about the requester; each answers
//! once. The vocabulary, the checks the API, the pages and the services share, and the
//! payloads of the API.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::intake::clean;

named! {
    /// What a voucher answered.
    VouchAnswer {
        Confirm => "confirm",
        CannotConfirm => "cannot_confirm",
        Concerned => "concerned",
    }
}

impl VouchAnswer {
    /// Words for staff pages.
    pub fn label(self) -> &'static str {
        match self {
            VouchAnswer::Confirm => "confirms",
            VouchAnswer::CannotConfirm => "cannot confirm",
            VouchAnswer::Concerned => "is concerned",
        }
    }
}

/// The shortest question worth sending.
pub const QUESTION_MIN_CHARS: usize = 10;
/// The longest question: it is read on a phone.
pub const QUESTION_MAX_CHARS: usize = 500;
/// The longest comment a voucher may leave.
pub const COMMENT_MAX_CHARS: usize = 1000;
/// At most this many people asked at once.
pub const MAX_VOUCHERS: usize = 10;
/// How long a link works.
pub const LINK_HOURS: i64 = 72;
/// An answer counts for grants of its case for this many days after the question was asked.
pub const ANSWER_STANDS_DAYS: i64 = 90;

/// Why a question or an answer is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VouchProblem {
    /// The question is too short or too long.
    #[error("Write a question of {QUESTION_MIN_CHARS} to {QUESTION_MAX_CHARS} characters.")]
    Question,
    /// Nobody, or too many, chosen.
    #[error("Choose one to {MAX_VOUCHERS} people to ask.")]
    Vouchers,
    /// No answer chosen, or an unknown one.
    #[error("Choose an answer.")]
    Answer,
    /// The comment is too long.
    #[error("The comment is too long (at most {COMMENT_MAX_CHARS} characters).")]
    Comment,
}

impl VouchProblem {
    /// The Fluent message id of the problem, for the voucher's page.
    pub fn message_id(self) -> &'static str {
        match self {
            VouchProblem::Comment => "vouch-error-comment",
            // The voucher never writes the question or chooses people.
            VouchProblem::Question | VouchProblem::Vouchers | VouchProblem::Answer => "vouch-error-answer",
        }
    }
}

/// The question as it will be sealed: cleaned and within its limits.
pub fn question(text: &str) -> Result<String, VouchProblem> {
    let text = clean(text);
    if (QUESTION_MIN_CHARS..=QUESTION_MAX_CHARS).contains(&text.chars().count()) {
        Ok(text)
    } else {
        Err(VouchProblem::Question)
    }
}

/// A voucher's answer and comment, checked.
pub fn answer(choice: Option<&str>, comment: Option<&str>) -> Result<(VouchAnswer, Option<String>), VouchProblem> {
    let answer = choice.and_then(|c| c.parse::<VouchAnswer>().ok()).ok_or(VouchProblem::Answer)?;
    let comment = comment.map(clean).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > COMMENT_MAX_CHARS) {
        return Err(VouchProblem::Comment);
    }
    Ok((answer, comment))
}

/// `POST /api/v1/cases/{id}/vouch-requests`: ask people to vouch for the requester.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AskVouchersRequest {
    /// The one question every voucher reads, and nothing else of the case
    /// (10 to 500 characters), e.g. "Do you know this person from the 2014 cohort and can you
    /// confirm they need urgent help?".
    pub question: String,
    /// Registry members to ask (their safe contact receives the link).
    #[serde(default)]
    pub members: Vec<String>,
    /// Partner organisation accounts to ask (their notice address receives the link).
    #[serde(default)]
    pub partners: Vec<String>,
}

/// Confirmations that stand: each concern cancels one confirmation, so a single concerned
/// voucher outweighs a single confirming one.
pub fn standing(confirmations: usize, concerns: usize) -> usize {
    confirmations.saturating_sub(concerns)
}

/// One person asked, as the case's readers see them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherView {
    /// `member` or `partner`.
    pub kind: String,
    /// The member's usual name and cohort, or the partner account's name and organisation.
    pub name: String,
    /// The answer, once given.
    pub answer: Option<VouchAnswer>,
    /// When.
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The comment (to those who see the case in full).
    pub comment: Option<String>,
    /// Whether the answer counts: not when the voucher is the person the case concerns, a
    /// partner account that is disabled or now holds a role inside the network, or the
    /// request is older than the days an answer stands.
    pub counts: bool,
}

/// One request: the question and the people asked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VouchRequestView {
    /// Its id.
    pub id: String,
    /// The question (to those who see the case in full).
    pub question: Option<String>,
    /// Who asked.
    pub asked_by: String,
    /// When.
    pub asked_at: chrono::DateTime<chrono::Utc>,
    /// When the links stop working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// The people asked, each with their answer.
    pub vouchers: Vec<VoucherView>,
}

/// A case's verification: every request and the distinct confirmations they gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// Distinct people (by the address their link went to) whose confirmation counts.
    pub confirmations: usize,
    /// Distinct people whose concern counts.
    pub concerns: usize,
    /// Confirmations that stand for approval: each concern cancels one.
    pub standing: usize,
    /// The requests, newest first.
    pub requests: Vec<VouchRequestView>,
}

/// Counts distinct people who confirmed and who are concerned among answers `(person, answer)`.
pub fn tally<K: Ord>(answers: impl IntoIterator<Item = (K, VouchAnswer)>) -> (usize, usize) {
    let mut confirmed = std::collections::BTreeSet::new();
    let mut concerned = std::collections::BTreeSet::new();
    for (voucher, answer) in answers {
        match answer {
            VouchAnswer::Confirm => confirmed.insert(voucher),
            VouchAnswer::Concerned => concerned.insert(voucher),
            VouchAnswer::CannotConfirm => false,
        };
    }
    (confirmed.len(), concerned.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_is_cleaned_and_bounded() {
        assert_eq!(question("  Do you know them?\u{202E} ").as_deref(), Ok("Do you know them?"));
        assert_eq!(question("Short"), Err(VouchProblem::Question));
        assert_eq!(question(&"x".repeat(QUESTION_MAX_CHARS + 1)), Err(VouchProblem::Question));
    }

    #[test]
    fn an_answer_must_be_one_of_three_and_a_comment_is_optional() {
        assert_eq!(answer(Some("confirm"), Some("  ")), Ok((VouchAnswer::Confirm, None)));
        assert_eq!(
            answer(Some("concerned"), Some("I met her")),
            Ok((VouchAnswer::Concerned, Some("I met her".into())))
        );
        assert_eq!(answer(None, None), Err(VouchProblem::Answer));
        assert_eq!(answer(Some("yes"), None), Err(VouchProblem::Answer));
        assert_eq!(answer(Some("confirm"), Some(&"x".repeat(COMMENT_MAX_CHARS + 1))), Err(VouchProblem::Comment));
    }

    #[test]
    fn one_person_confirming_twice_counts_once() {
        let answers = [
            ("member:1", VouchAnswer::Confirm),
            ("member:1", VouchAnswer::Confirm),
            ("partner:2", VouchAnswer::CannotConfirm),
            ("member:3", VouchAnswer::Concerned),
        ];
        assert_eq!(tally(answers), (1, 1));
        assert_eq!(standing(2, 1), 1, "a concern cancels a confirmation");
        assert_eq!(standing(1, 3), 0);
    }
}
