//! Playbooks: the real ones pass; each kind of mistake names its file, line and field.

use std::path::{Path, PathBuf};

use shelter_server::playbooks::Playbooks;
use shelter_shared::intake::IncidentKind;

fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../playbooks")
}

/// A copy of the real playbooks in a scratch folder, with `file` replaced by `text`.
fn with_file(file: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(real_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join(file), text).unwrap();
    dir
}

fn real(kind: &str) -> String {
    std::fs::read_to_string(real_dir().join(format!("{kind}.toml"))).unwrap()
}

fn errors(dir: &Path) -> Vec<String> {
    Playbooks::load(dir).expect_err("refused").iter().map(|e| e.to_string()).collect()
}

#[test]
fn the_real_playbooks_cover_every_incident_kind() {
    let playbooks = Playbooks::load(&real_dir()).unwrap_or_else(|e| panic!("{e:?}"));
    for kind in IncidentKind::ALL.iter().filter(|k| **k != IncidentKind::NotSure) {
        let playbook = playbooks.get(*kind).unwrap_or_else(|| panic!("no playbook for {kind}"));
        assert!(playbook.tasks.len() >= 5, "{kind}");
        assert!(!playbook.grants.is_empty(), "{kind}");
    }
}

#[test]
fn a_missing_field_is_named_with_file_and_line() {
    let text = real("medical").replace("title = \"Medical or psychosocial emergency\"\n", "");
    let dir = with_file("medical.toml", &text);
    let errors = errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("medical.toml:") && errors[0].contains("title"), "{errors:?}");
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let text = real("medical").replacen("version = 1\n", "version = 1\ncolour = \"red\"\n", 1);
    let dir = with_file("medical.toml", &text);
    let errors = errors(dir.path());
    assert!(errors[0].contains("medical.toml:3:") && errors[0].contains("colour"), "{errors:?}");
}

#[test]
fn a_bad_duration_is_named_with_its_line() {
    let source = real("digital_attack");
    let line = source.lines().position(|l| l.starts_with("due = ")).unwrap() + 1;
    let text = source.replacen(source.lines().nth(line - 1).unwrap(), "due = \"soon\"", 1);
    let dir = with_file("digital_attack.toml", &text);
    let errors = errors(dir.path());
    assert!(
        errors[0].contains(&format!("digital_attack.toml:{line}:")) && errors[0].contains("\"soon\" is not a duration"),
        "{errors:?}"
    );
}

#[test]
fn a_multibyte_or_huge_duration_is_named_with_its_line_not_a_panic() {
    let source = real("digital_attack");
    let line = source.lines().position(|l| l.starts_with("due = ")).unwrap() + 1;
    for bad in ["3日", "9223372036854775807d"] {
        let text = source.replacen(source.lines().nth(line - 1).unwrap(), &format!("due = \"{bad}\""), 1);
        let dir = with_file("digital_attack.toml", &text);
        let errors = errors(dir.path());
        assert!(
            errors[0].contains(&format!("digital_attack.toml:{line}:")) && errors[0].contains("is not a duration"),
            "{errors:?}"
        );
    }
}

#[test]
fn a_duplicate_kind_names_both_files() {
    let text = real("medical").replace("kind = \"medical\"", "kind = \"relocation\"");
    let dir = with_file("medical.toml", &text);
    let errors = errors(dir.path());
    assert!(errors.iter().any(|e| e.contains("relocation is already served by") && e.contains(":1:")), "{errors:?}");
}

#[test]
fn an_unknown_role_or_severity_is_refused() {
    let dir = with_file("medical.toml", &real("medical").replacen("role = \"handler\"", "role = \"janitor\"", 1));
    assert!(errors(dir.path())[0].contains("janitor"));
    let dir = with_file(
        "medical.toml",
        &real("medical").replace("default_severity = \"high\"", "default_severity = \"apocalyptic\""),
    );
    assert!(errors(dir.path())[0].contains("apocalyptic"));
}

#[tokio::test]
async fn the_check_command_and_the_server_refuse_a_bad_playbook() {
    let dir = with_file("medical.toml", "kind = \"medical\"\nversion = 1\n");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_shelter-under-test"))
        .args(["playbooks", "check"])
        .arg(dir.path())
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("medical.toml") && stderr.contains("missing field"), "{stderr}");
    let ok = tokio::process::Command::new(env!("CARGO_BIN_EXE_shelter-under-test"))
        .args(["playbooks", "check"])
        .arg(real_dir())
        .output()
        .await
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    let mut settings = crate::helpers::test_settings();
    settings.playbooks_dir = dir.path().to_path_buf();
    let (options, _db) = crate::helpers::fresh_database().await;
    let refused = shelter_server::app::Application::build(&settings, options).await.err().expect("refused to start");
    assert!(refused.to_string().contains("medical.toml"), "{refused}");
}
