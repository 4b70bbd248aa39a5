//! The content rule, in one place: what a notice may say. A notice names only its urgency
//! and a sign-in link; its kind is shown only in the in-app list, behind sign-in. Nothing a
//! notice renders is taken from a case, a grant, a referral or anything a person wrote.

use serde::Serialize;

/// What happened, as far as a notice may tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A new critical or high case: whoever is on call.
    UrgentCaseArrived,
    /// An urgent case nobody acknowledged within half its target: every supervisor.
    UrgentCaseUnacknowledged,
    /// An SLA deadline falls within the hour.
    SlaDueSoon,
    /// An SLA deadline passed unmet.
    SlaBreached,
    /// A grant waits for an approval the recipient may give.
    GrantAwaitsApproval,
    /// A grant is approved and waits for payment.
    GrantAwaitsPayment,
    /// A provisional approval was not ratified in time: payment is frozen.
    GrantFrozen,
    /// A receipt or a report on a grant's use is overdue.
    GrantFollowUpOverdue,
    /// A referral was sent to the recipient's organisation.
    ReferralReceived,
    /// A referral the recipient's case sent has gone unanswered for 48 hours.
    ReferralUnanswered,
    /// The requester wrote a message.
    RequesterMessage,
    /// A privileged account was created, reset or waits for confirmation.
    PrivilegedAccountChanged,
}

/// How soon a notice should reach its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Now, whatever the hour.
    Urgent,
    /// Soon; may wait for working hours.
    Normal,
}

impl Urgency {
    /// The database form.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Urgent => "urgent",
            Urgency::Normal => "normal",
        }
    }

    /// Parses the database form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "urgent" => Some(Urgency::Urgent),
            "normal" => Some(Urgency::Normal),
            _ => None,
        }
    }
}

impl NoticeKind {
    /// Every kind, for the content test and the parser.
    pub const ALL: [NoticeKind; 12] = [
        NoticeKind::UrgentCaseArrived,
        NoticeKind::UrgentCaseUnacknowledged,
        NoticeKind::SlaDueSoon,
        NoticeKind::SlaBreached,
        NoticeKind::GrantAwaitsApproval,
        NoticeKind::GrantAwaitsPayment,
        NoticeKind::GrantFrozen,
        NoticeKind::GrantFollowUpOverdue,
        NoticeKind::ReferralReceived,
        NoticeKind::ReferralUnanswered,
        NoticeKind::RequesterMessage,
        NoticeKind::PrivilegedAccountChanged,
    ];

    /// The database form.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::UrgentCaseArrived => "urgent_case_arrived",
            NoticeKind::UrgentCaseUnacknowledged => "urgent_case_unacknowledged",
            NoticeKind::SlaDueSoon => "sla_due_soon",
            NoticeKind::SlaBreached => "sla_breached",
            NoticeKind::GrantAwaitsApproval => "grant_awaits_approval",
            NoticeKind::GrantAwaitsPayment => "grant_awaits_payment",
            NoticeKind::GrantFrozen => "grant_frozen",
            NoticeKind::GrantFollowUpOverdue => "grant_follow_up_overdue",
            NoticeKind::ReferralReceived => "referral_received",
            NoticeKind::ReferralUnanswered => "referral_unanswered",
            NoticeKind::RequesterMessage => "requester_message",
            NoticeKind::PrivilegedAccountChanged => "privileged_account_changed",
        }
    }

    /// Parses the database form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The default urgency of this kind.
    pub fn urgency(self) -> Urgency {
        match self {
            NoticeKind::UrgentCaseArrived
            | NoticeKind::UrgentCaseUnacknowledged
            | NoticeKind::SlaDueSoon
            | NoticeKind::SlaBreached
            | NoticeKind::GrantFrozen => Urgency::Urgent,
            _ => Urgency::Normal,
        }
    }

    /// One line for the in-app list, shown only to the signed-in recipient.
    pub fn in_app_line(self) -> &'static str {
        match self {
            NoticeKind::UrgentCaseArrived => "A new urgent case arrived while you are on call.",
            NoticeKind::UrgentCaseUnacknowledged => "An urgent case is still not acknowledged.",
            NoticeKind::SlaDueSoon => "A case reaches one of its deadlines within the hour.",
            NoticeKind::SlaBreached => "A case passed one of its deadlines.",
            NoticeKind::GrantAwaitsApproval => "A grant waits for your approval.",
            NoticeKind::GrantAwaitsPayment => "An approved grant waits for payment.",
            NoticeKind::GrantFrozen => "A grant's payment froze: its provisional approval was not ratified.",
            NoticeKind::GrantFollowUpOverdue => "A grant's receipt or report is overdue.",
            NoticeKind::ReferralReceived => "A referral was sent to your organisation.",
            NoticeKind::ReferralUnanswered => "A referral from one of your cases has gone unanswered for 48 hours.",
            NoticeKind::RequesterMessage => "A requester wrote a message.",
            NoticeKind::PrivilegedAccountChanged => "A privileged staff account changed.",
        }
    }
}

/// A notice as it leaves Shelter by e-mail or webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The e-mail subject.
    pub subject: String,
    /// The plain text.
    pub text: String,
}

/// Renders what leaves Shelter: urgency and the sign-in link, nothing else. Taking no case
/// data as input is what keeps case data out.
pub fn render(urgency: Urgency, sign_in_url: &str) -> Rendered {
    let (subject, opening) = match urgency {
        Urgency::Urgent => ("Shelter: urgent, something needs you", "Something urgent in Shelter needs you."),
        Urgency::Normal => ("Shelter: something needs you", "Something in Shelter needs you."),
    };
    Rendered {
        subject: subject.to_owned(),
        text: format!("{opening}\n\nSign in to see it: {sign_in_url}\n\nThis message says nothing more on purpose.\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_database_form() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NoticeKind::parse("nonsense"), None);
    }

    #[test]
    fn a_rendered_notice_holds_only_urgency_and_the_link() {
        let urgent = render(Urgency::Urgent, "https://shelter.example/staff");
        assert!(urgent.subject.contains("urgent"));
        assert!(urgent.text.contains("https://shelter.example/staff"));
        let normal = render(Urgency::Normal, "https://shelter.example/staff");
        assert!(!normal.subject.contains("urgent"));
    }
}
