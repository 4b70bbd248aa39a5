//! The playbook's guidance where the handler works: beside the checklist, what is next for
//! the reader and what waits for others, and the playbook's advice for this kind of case in
//! the reader's language when the playbook has it (else said to be English).

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use super::case_words::word;
use crate::reader::Reader;

/// An open checklist task.
#[derive(Debug, Clone)]
pub struct NextTask {
    /// Title, as the playbook writes it.
    pub title: String,
    /// How, as the playbook writes it.
    pub guidance: String,
    /// Who does it (`handler`, `supervisor`, `finance`).
    pub role: String,
    /// Due.
    pub due_at: DateTime<Utc>,
}

/// The guidance section's data.
#[derive(Debug, Clone)]
pub struct Guidance {
    /// The playbook's title, in `language`.
    pub title: String,
    /// Its guidance, one piece of advice a line, in `language`.
    pub lines: Vec<String>,
    /// The language title and lines are in: the reader's, or English when the playbook has
    /// no version in theirs.
    pub language: shelter_shared::language::Language,
    /// Open tasks the reader may do now, soonest first.
    pub mine: Vec<NextTask>,
    /// Open tasks waiting for someone else, soonest first.
    pub others: Vec<NextTask>,
    /// The time now.
    pub now: DateTime<Utc>,
}

/// How many open tasks each list shows: the next few, not the whole checklist again.
const SHOWN: usize = 3;

fn due(r: Reader, task: &NextTask, now: DateTime<Utc>) -> String {
    let at = r.time(task.due_at);
    if task.due_at < now {
        r.t_text("cf-guidance-overdue", "time", &at)
    } else {
        r.t_text("cf-guidance-due", "time", &at)
    }
}

/// The section, to sit just above the checklist.
pub fn section(r: Reader, g: Guidance) -> impl IntoView {
    let english = g.language.tag() == "en";
    let in_english = english && r.language.tag() != "en";
    // Task titles are the playbook's words (English); say so to a reader of another language.
    let task_lang = (r.language.tag() != "en").then_some("en");
    let now = g.now;
    let mine = if g.mine.is_empty() {
        view! { <p>{r.t("cf-guidance-nothing-yours")}</p> }.into_any()
    } else {
        let items = g
            .mine
            .iter()
            .take(SHOWN)
            .map(|t| {
                let overdue = t.due_at < now;
                view! {
                    <li class={overdue.then_some("overdue")}><strong lang=task_lang>{t.title.clone()}</strong>" — " {due(r, t, now)}
                        <br /><span class="quiet" lang=task_lang>{t.guidance.clone()}</span></li>
                }
            })
            .collect_view();
        view! { <p><strong>{r.t("cf-guidance-yours")}</strong></p><ul class="next">{items}</ul> }.into_any()
    };
    let others = (!g.others.is_empty()).then(|| {
        let items = g
            .others
            .iter()
            .take(SHOWN)
            .map(|t| {
                let who = word(r, "role", &t.role);
                view! { <li><span lang=task_lang>{t.title.clone()}</span>" — " {who}", " {due(r, t, now)}</li> }
            })
            .collect_view();
        view! { <p>{r.t("cf-guidance-others")}</p><ul class="next">{items}</ul> }
    });
    let lines = g.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
    let note = in_english.then(|| view! { <p class="quiet">{r.t("cf-guidance-in-english")}</p> });
    let tasks_note = task_lang.map(|_| view! { <p class="quiet">{r.t("cf-guidance-tasks-in-english")}</p> });
    let advice_lang = g.language.tag();
    view! {
        <section class="guidance" aria-labelledby="cf-guidance">
            <h2 id="cf-guidance">{r.t("cf-guidance-heading")}</h2>
            {mine}
            {others}
            {tasks_note}
            <details>
                <summary>{r.t_text("cf-guidance-playbook", "title", &g.title)}</summary>
                {note}
                <ul lang=advice_lang>{lines}</ul>
            </details>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use shelter_shared::language::Language;

    use super::*;

    fn guidance(language: Language) -> Guidance {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let task = |title: &str, role: &str, hours: i64| NextTask {
            title: title.into(),
            guidance: format!("How to {title}"),
            role: role.into(),
            due_at: now + chrono::Duration::hours(hours),
        };
        Guidance {
            title: "Arrest or detention".into(),
            lines: vec!["Act within hours.".into()],
            language,
            mine: vec![task("Confirm where the person is held", "handler", -1)],
            others: vec![task("Approve referral to a local lawyer", "supervisor", 4)],
            now,
        }
    }

    #[test]
    fn the_next_task_and_the_advice_show_and_english_is_said_to_be_english() {
        let html = section(Reader::new(Language::Burmese, 390), guidance(Language::English)).to_html();
        assert!(html.contains("Confirm where the person is held") && html.contains("Act within hours."), "{html}");
        let note = Reader::new(Language::Burmese, 0).t("cf-guidance-in-english");
        assert!(!note.is_empty() && html.contains(&note), "{html}");
        assert!(html.contains(r#"<ul lang="en">"#), "the English advice is marked as English: {html}");
        let english = section(Reader::default(), guidance(Language::English)).to_html();
        assert!(!english.contains(&Reader::default().t("cf-guidance-in-english")), "{english}");
        let burmese = section(Reader::new(Language::Burmese, 0), guidance(Language::Burmese)).to_html();
        assert!(!burmese.contains(&note), "a translated playbook is not called English: {burmese}");
    }
}
