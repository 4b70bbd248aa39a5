//! Playbooks: one TOML file per incident kind under `playbooks/`, read and checked at
//! start-up and by `shelter playbooks check`. A bad playbook is an error naming its file,
//! line and field; the server does not start half-configured.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::Duration;
use serde::{Deserialize, Deserializer};
use shelter_shared::grant::{Currency, GrantCategory};
use shelter_shared::intake::{IncidentKind, Severity};
use shelter_shared::language::Language;
use shelter_shared::staff::Role;

/// A time offset written as `30m`, `4h` or `3d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offset(pub Duration);

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_offset(&text).map(Offset).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a duration: write a whole number and m, h or d, up to a year, e.g. \"4h\""
            ))
        })
    }
}

/// No playbook clock runs longer than a year.
const MAX_OFFSET_DAYS: i64 = 366;

fn parse_offset(text: &str) -> Option<Duration> {
    // The unit is the last character, which may be several bytes long ("3日").
    let (at, unit) = text.char_indices().next_back()?;
    let number = &text[..at];
    let number: i64 = number.parse().ok().filter(|n| *n > 0 && !number.starts_with('+'))?;
    let duration = match unit {
        'm' => Duration::try_minutes(number),
        'h' => Duration::try_hours(number),
        'd' => Duration::try_days(number),
        _ => None,
    }?;
    (duration <= Duration::days(MAX_OFFSET_DAYS)).then_some(duration)
}

/// Targets for one severity, counted from intake.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// Acknowledge within.
    pub acknowledge: Offset,
    /// Decide (triage, grant decision) within.
    pub decide: Offset,
    /// Pay within.
    pub disburse: Offset,
}

/// Targets per severity.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTable {
    /// Critical.
    pub critical: Sla,
    /// High.
    pub high: Sla,
    /// Medium.
    pub medium: Sla,
    /// Low.
    pub low: Sla,
}

impl SlaTable {
    /// The targets for `severity`.
    pub fn for_severity(&self, severity: Severity) -> &Sla {
        match severity {
            Severity::Critical => &self.critical,
            Severity::High => &self.high,
            Severity::Medium => &self.medium,
            Severity::Low => &self.low,
        }
    }
}

/// One checklist item.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// What to do.
    pub title: String,
    /// Who does it.
    pub role: Role,
    /// Due this long after intake.
    pub due: Offset,
    /// How.
    pub guidance: String,
    /// The real action that ticks it, if any (a referral approved, a grant decided or paid).
    #[serde(default)]
    pub ticked_by: Option<TaskAction>,
}

/// A real action a checklist task can be tied to: when it happens, the task ticks itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    /// A supervisor approved a referral of the case.
    ReferralApproved,
    /// A grant of the case was decided (approved, provisionally approved or rejected).
    GrantDecided,
    /// Finance paid a grant of the case.
    GrantPaid,
}

impl TaskAction {
    /// The database form (`case_task.ticked_by`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaskAction::ReferralApproved => "referral_approved",
            TaskAction::GrantDecided => "grant_decided",
            TaskAction::GrantPaid => "grant_paid",
        }
    }
}

/// A grant category this incident kind may fund, with its cap.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantCap {
    /// Category.
    pub category: GrantCategory,
    /// Cap in minor units.
    pub cap_minor: i64,
    /// Currency of the cap.
    pub currency: Currency,
}

/// A playbook as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// The incident kind it serves.
    pub kind: IncidentKind,
    /// Version; a case records the version it was triaged under.
    pub version: u32,
    /// Title.
    pub title: String,
    /// When it applies.
    pub description: String,
    /// Severity suggested at triage.
    pub default_severity: Severity,
    /// Whether a supervisor approves a referral before it goes out.
    pub referral_requires_approval: bool,
    /// Guidance for the handler.
    pub guidance: String,
    /// SLA targets.
    pub sla: SlaTable,
    /// The checklist.
    pub tasks: Vec<TaskSpec>,
    /// Grants allowed.
    pub grants: Vec<GrantCap>,
    /// The title and guidance in other languages (`[translations.my]`); English is the rest.
    #[serde(default)]
    pub translations: HashMap<Language, PlaybookWords>,
}

/// A playbook's title and guidance in one language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaybookWords {
    /// Title.
    pub title: String,
    /// Guidance for the handler.
    pub guidance: String,
}

impl Playbook {
    /// The title and guidance in `language` when the playbook has them, else in English;
    /// with the language they are in.
    pub fn words(&self, language: Language) -> (&str, &str, Language) {
        match self.translations.get(&language) {
            Some(words) => (&words.title, &words.guidance, language),
            None => (&self.title, &self.guidance, Language::English),
        }
    }
}

/// A problem in a playbook file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookError {
    /// The file.
    pub file: PathBuf,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// What is wrong, naming the field.
    pub message: String,
}

impl fmt::Display for PlaybookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// Every playbook, by kind.
#[derive(Debug, Clone, Default)]
pub struct Playbooks {
    by_kind: HashMap<IncidentKind, Playbook>,
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line where `key = ` first appears, for errors found after parsing.
fn line_of_key(source: &str, key: &str) -> Option<usize> {
    source.lines().position(|l| l.trim_start().starts_with(key) && l.contains('=')).map(|i| i + 1)
}

/// Parses and checks one playbook file's text.
pub fn parse(file: &Path, source: &str) -> Result<Playbook, Vec<PlaybookError>> {
    let error = |line: Option<usize>, message: String| PlaybookError { file: file.to_path_buf(), line, message };
    let playbook: Playbook = toml::from_str(source).map_err(|e| {
        let line = e.span().map(|span| line_of(source, span.start));
        vec![error(line, e.message().trim().to_owned())]
    })?;
    let mut problems = vec![];
    if playbook.kind == IncidentKind::NotSure {
        problems.push(error(
            line_of_key(source, "kind"),
            "field `kind`: \"not_sure\" is not an incident kind a playbook can serve".into(),
        ));
    }
    if playbook.version == 0 {
        problems.push(error(line_of_key(source, "version"), "field `version`: must be 1 or more".into()));
    }
    for (field, value) in
        [("title", &playbook.title), ("description", &playbook.description), ("guidance", &playbook.guidance)]
    {
        if value.trim().is_empty() {
            problems.push(error(line_of_key(source, field), format!("field `{field}`: must not be empty")));
        }
    }
    for (language, words) in &playbook.translations {
        for (field, value) in [("title", &words.title), ("guidance", &words.guidance)] {
            if value.trim().is_empty() {
                problems.push(error(
                    line_of_key(source, field),
                    format!("field `translations.{}.{field}`: must not be empty", language.tag()),
                ));
            }
        }
    }
    if playbook.tasks.is_empty() {
        problems.push(error(None, "field `tasks`: a playbook needs at least one task".into()));
    }
    for task in &playbook.tasks {
        if !matches!(task.role, Role::Handler | Role::Supervisor | Role::Finance) {
            problems.push(error(
                line_of_key(source, "role"),
                format!("field `tasks.role`: {} cannot be given case tasks", task.role),
            ));
        }
        if task.title.trim().is_empty() {
            problems.push(error(line_of_key(source, "title"), "field `tasks.title`: must not be empty".into()));
        }
    }
    for grant in &playbook.grants {
        if grant.cap_minor <= 0 {
            problems.push(error(
                line_of_key(source, "cap_minor"),
                "field `grants.cap_minor`: must be more than zero".into(),
            ));
        }
    }
    if problems.is_empty() { Ok(playbook) } else { Err(problems) }
}

/// Deadlines counted from intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// Acknowledge by.
    pub acknowledge: Duration,
    /// Decide by.
    pub decide: Duration,
    /// Pay by.
    pub disburse: Duration,
}

/// The programme defaults when no playbook applies yet (DESIGN.md).
pub fn default_deadlines(severity: Severity) -> Deadlines {
    let (acknowledge, decide, disburse) = match severity {
        Severity::Critical => (Duration::hours(2), Duration::hours(24), Duration::hours(48)),
        Severity::High => (Duration::hours(12), Duration::hours(72), Duration::days(7)),
        Severity::Medium => (Duration::hours(24), Duration::days(7), Duration::days(14)),
        Severity::Low => (Duration::hours(72), Duration::days(14), Duration::days(30)),
    };
    Deadlines { acknowledge, decide, disburse }
}

impl Playbooks {
    /// The deadlines for a case of `kind` (if it has a playbook) at `severity`.
    pub fn deadlines(&self, kind: IncidentKind, severity: Severity) -> Deadlines {
        match self.get(kind) {
            Some(playbook) => {
                let sla = playbook.sla.for_severity(severity);
                Deadlines { acknowledge: sla.acknowledge.0, decide: sla.decide.0, disburse: sla.disburse.0 }
            }
            None => default_deadlines(severity),
        }
    }

    /// Reads every `*.toml` in `dir`; all problems in all files are reported together.
    pub fn load(dir: &Path) -> Result<Playbooks, Vec<PlaybookError>> {
        let read_error = |message: String| vec![PlaybookError { file: dir.to_path_buf(), line: None, message }];
        let entries =
            std::fs::read_dir(dir).map_err(|e| read_error(format!("cannot read the playbooks folder: {e}")))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(read_error("no playbooks (*.toml) found".into()));
        }
        let mut problems = vec![];
        let mut by_kind: HashMap<IncidentKind, (PathBuf, Playbook)> = HashMap::new();
        for file in files {
            let source = match std::fs::read_to_string(&file) {
                Ok(source) => source,
                Err(e) => {
                    problems.push(PlaybookError {
                        file: file.clone(),
                        line: None,
                        message: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            match parse(&file, &source) {
                Ok(playbook) => {
                    if let Some((first, _)) = by_kind.get(&playbook.kind) {
                        problems.push(PlaybookError {
                            file: file.clone(),
                            line: line_of_key(&source, "kind"),
                            message: format!(
                                "field `kind`: {} is already served by {}",
                                playbook.kind,
                                first.display()
                            ),
                        });
                    } else {
                        by_kind.insert(playbook.kind, (file, playbook));
                    }
                }
                Err(errors) => problems.extend(errors),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Playbooks { by_kind: by_kind.into_iter().map(|(kind, (_, playbook))| (kind, playbook)).collect() })
    }

    /// The playbook for `kind`.
    pub fn get(&self, kind: IncidentKind) -> Option<&Playbook> {
        self.by_kind.get(&kind)
    }

    /// Every playbook, ordered by kind name.
    pub fn all(&self) -> Vec<&Playbook> {
        let mut all: Vec<&Playbook> = self.by_kind.values().collect();
        all.sort_by_key(|p| p.kind.as_str());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_playbooks_tie_tasks_to_actions_and_speak_burmese_where_translated() -> Result<(), String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks");
        let playbooks = Playbooks::load(&dir).map_err(|e| format!("{e:?}"))?;
        let arrest = playbooks.get(IncidentKind::ArrestDetention).ok_or("no arrest playbook")?;
        let (title, advice, language) = arrest.words(Language::Burmese);
        assert_eq!(language, Language::Burmese);
        assert!(!title.is_ascii() && advice.contains("Signal"), "{title}: {advice}");
        let (title, _, language) = arrest.words(Language::Thai);
        assert_eq!((title, language), ("Arrest or detention", Language::English), "no Thai version: English");
        let tied =
            |action| arrest.tasks.iter().filter(|t| t.ticked_by == Some(action)).map(|t| t.role).collect::<Vec<_>>();
        assert_eq!(tied(TaskAction::ReferralApproved), [Role::Supervisor]);
        assert_eq!(tied(TaskAction::GrantDecided), [Role::Supervisor]);
        assert_eq!(tied(TaskAction::GrantPaid), [Role::Finance]);
        Ok(())
    }

    #[test]
    fn an_empty_translation_or_unknown_action_is_an_error_with_its_line() -> Result<(), String> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks/medical.toml");
        let source = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let empty = format!("{source}\n[translations.th]\ntitle = \"\"\nguidance = \"x\"\n");
        let errors = parse(Path::new("medical.toml"), &empty).err().ok_or("an empty title passed")?;
        assert!(errors.iter().any(|e| e.message.contains("translations.th.title")), "{errors:?}");
        let unknown = source.replacen("ticked_by = \"grant_paid\"", "ticked_by = \"grant_wished\"", 1);
        let errors = parse(Path::new("medical.toml"), &unknown).err().ok_or("an unknown action passed")?;
        assert!(errors[0].line.is_some() && errors[0].message.contains("grant_wished"), "{errors:?}");
        Ok(())
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("30m"), Some(Duration::minutes(30)));
        assert_eq!(parse_offset("7d"), Some(Duration::days(7)));
        for bad in ["", "h", "0h", "-2h", "+2h", "2 h", "2w", "1d12h", "2.5h"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
        for bad in ["3日", "日", "9223372036854775807d", "999999999999h", "367d"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }
}
