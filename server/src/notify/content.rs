//! The content rule, in one place: what a notice may say. A staff notice names only its
//! urgency (or, in a digest, how many) and a sign-in link; its kind is shown only in the
//! in-app list, behind sign-in. A requester's news says only that there is something new,
//! from a neutral sender, without the service's name. Nothing a notice renders is taken
//! from a case, a grant, a referral or anything a person wrote: the render functions take
//! no such input. The words are in the Fluent catalogues (`frontend/locales/*/notices.ftl`).

use serde::Serialize;
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;

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
    /// The network wrote to a requester who asked to be told, or their request moved on.
    RequesterNews,
    /// Someone outside the staff was asked to vouch: their link.
    VouchRequested,
    /// A voucher answered the question the recipient asked.
    VouchAnswered,
    /// A requester may be forced: a duress sign-in or a wrong safe word.
    DuressSignal,
    /// Someone signed in, or tried to, to a case in custody mode.
    CustodySignIn,
    /// A check-in was missed past its grace period.
    CheckInMissed,
    /// A partner wrote about a referral (without answering it).
    PartnerWrote,
    /// A supervisor handed a case to the recipient.
    CaseAssignedToYou,
    /// A supervisor handed a case the recipient held to someone else.
    CaseTakenFromYou,
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
    pub const ALL: [NoticeKind; 21] = [
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
        NoticeKind::RequesterNews,
        NoticeKind::VouchRequested,
        NoticeKind::VouchAnswered,
        NoticeKind::DuressSignal,
        NoticeKind::CustodySignIn,
        NoticeKind::CheckInMissed,
        NoticeKind::PartnerWrote,
        NoticeKind::CaseAssignedToYou,
        NoticeKind::CaseTakenFromYou,
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
            NoticeKind::RequesterNews => "requester_news",
            NoticeKind::VouchRequested => "vouch_requested",
            NoticeKind::VouchAnswered => "vouch_answered",
            NoticeKind::DuressSignal => "duress_signal",
            NoticeKind::CustodySignIn => "custody_sign_in",
            NoticeKind::CheckInMissed => "check_in_missed",
            NoticeKind::PartnerWrote => "partner_wrote",
            NoticeKind::CaseAssignedToYou => "case_assigned_to_you",
            NoticeKind::CaseTakenFromYou => "case_taken_from_you",
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
            | NoticeKind::GrantFrozen
            | NoticeKind::DuressSignal
            | NoticeKind::CustodySignIn
            | NoticeKind::CheckInMissed => Urgency::Urgent,
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
            // Never in a staff list: it goes to the requester only.
            NoticeKind::RequesterNews => "A requester was told there is news.",
            // Never in a staff list: it goes to the voucher only.
            NoticeKind::VouchRequested => "Someone was asked to vouch.",
            NoticeKind::VouchAnswered => "A voucher answered your question.",
            NoticeKind::DuressSignal => "A requester may be in danger: open your cases to see which.",
            NoticeKind::CustodySignIn => "Someone tried to open a case in custody mode.",
            NoticeKind::CheckInMissed => "A requester missed a check-in.",
            NoticeKind::PartnerWrote => "A partner wrote about a referral from one of your cases.",
            NoticeKind::CaseAssignedToYou => "A supervisor assigned a case to you.",
            NoticeKind::CaseTakenFromYou => "A supervisor reassigned one of your cases to another handler.",
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

/// Renders a staff notice as it leaves Shelter: urgency and the sign-in link, nothing else.
pub fn render(urgency: Urgency, sign_in_url: &str, language: Language) -> Rendered {
    let t = Translator::new(language);
    let (subject, opening) = match urgency {
        Urgency::Urgent => ("notice-subject-urgent", "notice-opening-urgent"),
        Urgency::Normal => ("notice-subject", "notice-opening"),
    };
    Rendered { subject: t.t(subject), text: staff_text(&t, &t.t(opening), sign_in_url) }
}

/// Renders a digest of `count` non-urgent notices: how many, and the sign-in link.
pub fn render_digest(count: usize, sign_in_url: &str, language: Language) -> Rendered {
    let t = Translator::new(language);
    Rendered {
        subject: t.t_num("notice-digest-subject", "count", count),
        text: staff_text(&t, &t.t_num("notice-digest-opening", "count", count), sign_in_url),
    }
}

fn staff_text(t: &Translator, opening: &str, sign_in_url: &str) -> String {
    format!("{opening}\n\n{}\n\n{}\n", t.t_text("notice-sign-in", "link", sign_in_url), t.t("notice-says-nothing"))
}

/// Renders a requester's news: a greeting that there is something new, signed with the
/// neutral sender name. No link: an address on a seized phone would name the service.
pub fn render_news(language: Language, neutral_name: &str) -> Rendered {
    let t = Translator::new(language);
    Rendered { subject: t.t("news-subject"), text: format!("{}\n\n{neutral_name}\n", t.t("news-text")) }
}

/// Renders a voucher's notice: that a question waits, the link, until when it works, and
/// the neutral signature. Nothing of the case, nor who asked, nor who else was asked.
pub fn render_vouch(language: Language, neutral_name: &str, link: &str, expires_utc: &str) -> Rendered {
    let t = Translator::new(language);
    let text = format!(
        "{}\n\n{link}\n\n{}\n\n{}\n\n{neutral_name}\n",
        t.t("vouch-notice-opening"),
        t.t_text("vouch-notice-expires", "expires", expires_utc),
        t.t("vouch-notice-ignore"),
    );
    Rendered { subject: t.t("vouch-notice-subject"), text }
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
    fn every_kind_has_its_line_on_the_notices_page_in_every_language() {
        for kind in NoticeKind::ALL {
            let id = format!("not-kind-{}", kind.as_str().replace('_', "-"));
            for language in shelter_shared::language::Language::ALL {
                assert!(Translator::has(language, &id), "{id} missing in {}", language.tag());
            }
        }
    }

    #[test]
    fn a_rendered_notice_holds_only_urgency_and_the_link() {
        for language in Language::ALL {
            let urgent = render(Urgency::Urgent, "https://shelter.example/staff", language);
            let normal = render(Urgency::Normal, "https://shelter.example/staff", language);
            assert!(urgent.text.contains("https://shelter.example/staff"), "{}", language.tag());
            assert_ne!(urgent.subject, normal.subject, "{}: urgency is said", language.tag());
            assert!(!urgent.text.contains('{') && !urgent.subject.is_empty(), "{}: {urgent:?}", language.tag());
        }
        assert!(render(Urgency::Urgent, "x", Language::English).subject.contains("urgent"));
    }

    #[test]
    fn a_digest_says_how_many_in_every_language() {
        for language in Language::ALL {
            let digest = render_digest(7, "https://shelter.example/staff", language);
            assert!(digest.subject.contains('7') && digest.text.contains('7'), "{}: {digest:?}", language.tag());
            assert!(digest.text.contains("https://shelter.example/staff"), "{}", language.tag());
        }
    }

    #[test]
    fn a_vouch_notice_holds_the_link_and_the_expiry_only() {
        for language in Language::ALL {
            let notice = render_vouch(language, "Mai", "https://s.example/vouch/abc?lang=en", "2026-12-03 10:00 UTC");
            let all = format!("{} {}", notice.subject, notice.text);
            assert!(
                all.contains("https://s.example/vouch/abc?lang=en") && all.contains("2026-12-03 10:00 UTC"),
                "{all}"
            );
            assert!(
                all.contains("Mai") && !all.contains('{') && !notice.subject.is_empty(),
                "{}: {all}",
                language.tag()
            );
            assert!(!all.contains("Shelter"), "{}: the service is not named", language.tag());
        }
    }

    #[test]
    fn news_for_a_requester_names_neither_the_service_nor_a_link() {
        for language in Language::ALL {
            let news = render_news(language, "Mai");
            let all = format!("{} {}", news.subject, news.text);
            assert!(!news.subject.is_empty() && all.contains("Mai"), "{}: {news:?}", language.tag());
            for word in ["Shelter", "shelter", "http", "://", "www", "@"] {
                assert!(!all.contains(word), "{}: {word} in {all}", language.tag());
            }
        }
    }
}
