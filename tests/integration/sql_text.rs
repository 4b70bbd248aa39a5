//! The server's SQL is text the compiler checks: every query is a `sqlx::query!` family
//! macro over a literal (checked against the schema, offline data in `.sqlx/`), or a
//! `QueryBuilder` whose parameters are bound. This scan fails when SQL is assembled with
//! `format!`, or when a runtime query appears outside the few places listed here with the
//! reason a macro cannot serve.

use std::path::{Path, PathBuf};

/// Runtime queries that stay, by file, with how many and why.
const RUNTIME_QUERIES: &[(&str, usize, &str)] = &[
    (
        "db/mod.rs",
        2,
        "the application role's grants are a multi-statement script (a macro prepares one \
         statement); `create database` takes an identifier, which cannot be bound: the name is \
         checked beside it (lower-case letters, digits, underscores, at most 63 bytes) and quoted",
    ),
    ("backup/mod.rs", 1, "ensuring the application role before a restore is a multi-statement `do $$` script"),
];

/// Calls that run SQL text unchecked. `build_query_as::<` (a `QueryBuilder`'s) is not one.
const RUNTIME_CALLS: &[&str] = &[
    "sqlx::query(",
    "sqlx::query_as(",
    "sqlx::query_scalar(",
    " query_as::<",
    "(query_as::<",
    "sqlx::query_as::<",
    "sqlx::query_scalar::<",
    "sqlx::query_with(",
    "raw_sql(",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read server/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first string literal after `at` (plain or raw), lowercased, if it starts the call.
fn first_literal(text: &str) -> Option<String> {
    let text = text.trim_start();
    let (body, end) = if let Some(rest) = text.strip_prefix("r#\"") {
        (rest, "\"#")
    } else if let Some(rest) = text.strip_prefix("r\"") {
        (rest, "\"")
    } else if let Some(rest) = text.strip_prefix('"') {
        (rest, "\"")
    } else {
        return None;
    };
    body.find(end).map(|i| body[..i].to_lowercase())
}

fn looks_like_sql(literal: &str) -> bool {
    let after = |a: &str, b: &str| literal.find(a).is_some_and(|i| literal[i + a.len()..].contains(b));
    after("select ", " from ")
        || literal.contains("insert into ")
        || literal.contains("delete from ")
        || after("update ", " set ")
        || literal.contains("order by ")
        // A tail pasted after a shared select list: `"{SELECT} where g.id = $1"`.
        || (literal.contains("where ") && literal.contains('$'))
}

#[test]
fn no_sql_is_built_from_strings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read source");
        let name = file.strip_prefix(&root).expect("under server/src").to_string_lossy().into_owned();
        for (at, _) in text.match_indices("format!(") {
            if first_literal(&text[at + "format!(".len()..]).is_some_and(|l| looks_like_sql(&l)) {
                let line = text[..at].lines().count();
                problems.push(format!("{name}:{line}: SQL built with format!"));
            }
        }
        for (at, _) in text.match_indices("QueryBuilder::new(") {
            if first_literal(&text[at + "QueryBuilder::new(".len()..]).is_none() {
                let line = text[..at].lines().count();
                problems.push(format!("{name}:{line}: QueryBuilder must start from a literal"));
            }
        }
        let runtime = RUNTIME_CALLS.iter().map(|call| text.matches(call).count()).sum::<usize>();
        let allowed = RUNTIME_QUERIES.iter().find(|(f, ..)| *f == name).map_or(0, |(_, n, _)| *n);
        if runtime != allowed {
            problems
                .push(format!("{name}: {runtime} runtime queries, {allowed} allowed (use sqlx::query! and friends)"));
        }
    }
    assert!(problems.is_empty(), "SQL that the compiler does not check:\n{}", problems.join("\n"));
}

#[test]
fn the_scan_sees_what_it_looks_for() {
    assert!(looks_like_sql("select a from b where c = $1"));
    assert!(looks_like_sql("update grants set status = $1"));
    assert!(looks_like_sql("{select} where r.case_id = $1"));
    assert!(!looks_like_sql("could not update the rota: {e}"));
    assert!(!looks_like_sql("where to go next"));
    assert_eq!(first_literal(r##" r#"select 1"#, x"##).as_deref(), Some("select 1"));
    assert_eq!(first_literal(" SELECT"), None);
}
