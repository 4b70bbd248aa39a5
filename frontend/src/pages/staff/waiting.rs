//! "Waiting on you": one list per person, whatever their roles, each item a direct link.
//! The server decides what waits (from the policy that authorises each act); this only
//! says it in the reader's language.

use leptos::prelude::*;

use crate::reader::Reader;

/// What waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitingKind {
    /// A grant to approve, ratify or reject.
    DecideGrant,
    /// An approved grant to pay.
    PayGrant,
    /// A paid grant whose receipt went unconfirmed.
    GrantReceipt,
    /// A grant whose report on its use is due.
    GrantReport,
    /// Referrals of a case to approve.
    ApproveReferral,
    /// Decisions by others to review.
    ReviewDecisions,
    /// An account to confirm (created).
    ConfirmNewAccount,
    /// An account to confirm (second factor reset).
    ConfirmResetAccount,
    /// A privileged account created or reset lately (someone else confirms it): worth a look.
    AccountChanged,
    /// Overdue checklist tasks on a case one holds.
    OverdueTasks,
    /// Requester messages not read yet on a case one holds.
    UnreadMessages,
}

impl WaitingKind {
    fn message(self) -> &'static str {
        match self {
            WaitingKind::DecideGrant => "hw-decide-grant",
            WaitingKind::PayGrant => "hw-pay-grant",
            WaitingKind::GrantReceipt => "hw-grant-receipt",
            WaitingKind::GrantReport => "hw-grant-report",
            WaitingKind::ApproveReferral => "hw-approve-referral",
            WaitingKind::ReviewDecisions => "hw-review-decisions",
            WaitingKind::ConfirmNewAccount => "hw-confirm-new-account",
            WaitingKind::ConfirmResetAccount => "hw-confirm-reset-account",
            WaitingKind::AccountChanged => "hw-account-changed",
            WaitingKind::OverdueTasks => "hw-overdue-tasks",
            WaitingKind::UnreadMessages => "hw-unread-messages",
        }
    }
}

/// One thing waiting on the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingItem {
    /// What waits.
    pub kind: WaitingKind,
    /// Where to act on it.
    pub href: String,
    /// What it is about: a case reference, a person's name (none for a grant finance pays,
    /// whose case finance does not see).
    pub label: Option<String>,
    /// How many (tasks, messages, referrals, decisions); 1 for one grant or account.
    pub count: usize,
}

/// The "waiting on you" section: the items, or "nothing waiting".
pub fn section(r: Reader, items: Vec<WaitingItem>) -> impl IntoView + use<> {
    let body = if items.is_empty() {
        view! { <p class="quiet" id="waiting-nothing">{r.t("hw-nothing")}</p> }.into_any()
    } else {
        let lines = items
            .into_iter()
            .map(|item| {
                let text = r.t_num(item.kind.message(), "count", item.count);
                let label = item.label.map(|label| view! { <strong>{label}</strong>": " });
                view! { <li><a href=item.href>{label}{text}</a></li> }
            })
            .collect_view();
        view! { <ul class="waiting">{lines}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">{r.t("hw-title")}</h2>
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use shelter_shared::language::Language;

    use super::*;

    #[test]
    fn each_item_links_and_counts_in_the_readers_language_and_nothing_says_so() {
        let item = |kind, count| WaitingItem {
            kind,
            href: "/staff/cases/1".into(),
            label: Some("SH-AB12-CD34".into()),
            count,
        };
        let html = view! { {section(Reader::default(), vec![item(WaitingKind::OverdueTasks, 1), item(WaitingKind::OverdueTasks, 3)])} }.to_html();
        assert!(html.contains("one checklist task is overdue"), "{html}");
        assert!(html.contains("3 checklist tasks are overdue"), "{html}");
        assert!(html.contains("href=\"/staff/cases/1\"") && html.contains("<strong>SH-AB12-CD34</strong>"), "{html}");
        let empty = view! { {section(Reader::new(Language::Burmese, 390), vec![])} }.to_html();
        let nothing = Reader::new(Language::Burmese, 390).t("hw-nothing");
        assert!(empty.contains(&nothing) && !nothing.is_empty(), "{empty}");
    }
}
