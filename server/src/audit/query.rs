//! Reading the trail: filters, pages, CSV export.

use chrono::{DateTime, Utc};
use serde::Serialize;
use shelter_shared::audit::AuditAction;
use shelter_shared::staff::Role;
use sqlx::{FromRow, PgPool, Postgres, QueryBuilder};
use uuid::Uuid;

use shelter_frontend::reader::Reader;

use super::words::{Names, summary};
use crate::keys::Keys;
use crate::policy::{CaseAccess, CaseFacts, case_access};

/// Which entries to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Entries about this case (its id or reference).
    pub case: Option<String>,
    /// Entries by this actor (staff id or case reference).
    pub actor: Option<String>,
    /// Entries of this action.
    pub action: Option<AuditAction>,
    /// From this time on.
    pub from: Option<DateTime<Utc>>,
    /// Before this time.
    pub to: Option<DateTime<Utc>>,
    /// Only entries older than this sequence number (the next page).
    pub before_seq: Option<i64>,
    /// Only entries about this subject.
    pub subject: Option<(String, String)>,
    /// Only decisions by others than the reader that nobody has reviewed yet.
    pub unreviewed: bool,
}

/// Filter parameters as they arrive in a query string.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterParams {
    /// Case id or reference (typed in any case, with or without dashes); anything that can be
    /// neither is refused as an invalid filter.
    pub case: Option<String>,
    /// Staff id or case reference of the actor.
    pub actor: Option<String>,
    /// Dotted action name, e.g. `auth.sign_in`.
    pub action: Option<String>,
    /// From this time (RFC 3339) or day (YYYY-MM-DD), inclusive.
    pub from: Option<String>,
    /// Until this time or day, exclusive (a day means its end).
    pub to: Option<String>,
    /// Entries older than this sequence number (next page).
    pub before: Option<i64>,
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// `true`: only decisions by others than the reader that nobody has reviewed yet.
    pub unreviewed: Option<String>,
}

fn parse_time(text: &str, end_of_day: bool) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD) or an RFC 3339 time"))?;
    let day = if end_of_day { day.succ_opt().unwrap_or(day) } else { day };
    Ok(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

impl FilterParams {
    /// Checks every value: unknown actions, bad dates and bad limits are refused.
    pub fn parse(&self) -> Result<(Filter, i64), String> {
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let action = blank(&self.action).map(|a| a.parse::<AuditAction>()).transpose().map_err(|e| e.to_string())?;
        let limit = self.limit.unwrap_or(100);
        if !(1..=500).contains(&limit) {
            return Err("limit must be between 1 and 500".into());
        }
        // A NUL byte reaches PostgreSQL as an encoding error: refuse it (and other control
        // characters and very long text) here, with a message, rather than as a failure.
        let searchable = |name: &str, value: Option<String>| match value {
            Some(v) if v.chars().any(char::is_control) || v.chars().count() > 254 => {
                Err(format!("{name}: write a name, e-mail or reference of at most 254 ordinary characters"))
            }
            other => Ok(other),
        };
        // A case filter that can be neither a case id nor a reference finds nothing: say so,
        // rather than show an empty trail as if nothing had happened.
        let case = searchable("case", blank(&self.case))?;
        if let Some(case) = &case
            && case.parse::<Uuid>().is_err()
            && shelter_shared::intake::Reference::parse(case).is_none()
        {
            return Err(format!("case: {case:?} is not a case reference (such as SH-7K3M-Q9TX) or a case id"));
        }
        let filter = Filter {
            case,
            actor: searchable("actor", blank(&self.actor))?,
            action,
            from: blank(&self.from).map(|t| parse_time(&t, false)).transpose()?,
            to: blank(&self.to).map(|t| parse_time(&t, true)).transpose()?,
            before_seq: self.before,
            subject: None,
            unreviewed: match blank(&self.unreviewed).as_deref() {
                None | Some("false") => false,
                Some("true" | "on" | "yes") => true,
                Some(other) => return Err(format!("unreviewed must be true or false, not {other:?}")),
            },
        };
        Ok((filter, limit))
    }
}

/// One entry as shown to supervisors.
#[derive(Debug, Clone, Serialize, FromRow, utoipa::ToSchema)]
pub struct Entry {
    /// Sequence number.
    pub seq: i64,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// `staff`, `requester` or `system`.
    pub actor_kind: String,
    /// Staff id or case reference.
    pub actor_id: Option<String>,
    /// Dotted action name.
    pub action: String,
    /// Subject kind.
    pub subject_kind: Option<String>,
    /// Subject id.
    pub subject_id: Option<String>,
    /// Rationale (opened from its sealed form for the reader).
    pub rationale: Option<String>,
    /// Details (ids, states, amounts).
    pub details: serde_json::Value,
    /// The staff actor's name, when a staff member acted.
    pub actor_name: Option<String>,
    /// The subject in words: a case's reference, a staff member's name.
    pub subject_label: Option<String>,
    /// Reviews recorded on this entry: "name: verdict", in order.
    pub reviews: Option<String>,
    /// The details in words (a sentence, or a "key: value" list), staff ids replaced by names.
    #[sqlx(skip)]
    pub summary: Option<String>,
    /// The entry's hash, hex.
    #[sqlx(skip)]
    pub hash: String,
}

#[derive(FromRow)]
struct Row {
    #[sqlx(flatten)]
    entry: Entry,
    rationale_sealed: Option<Vec<u8>>,
    rationale_case: Option<Uuid>,
    hash_bytes: Vec<u8>,
    /// The reader declared a conflict on the case this entry is about.
    subject_conflicted: bool,
    /// The reader holds the case this entry is about.
    subject_assigned: bool,
    /// Staff and partner ids among the details' values → display names.
    staff_names: Option<serde_json::Value>,
}

/// Entries about cases `reader` declared a conflict on are left out of everything they read.
fn push_filter(builder: &mut QueryBuilder<'_, Postgres>, filter: &Filter, reader: Uuid) {
    builder.push(" where not (subject_kind = 'case' and subject_id in (select case_id::text from case_conflict where staff_user_id = ")
        .push_bind(reader)
        .push("))");
    // Reviews of a hidden case's decisions are hidden with them.
    builder
        .push(
            " and not (subject_kind = 'audit_entry' and subject_id in (select r.seq::text from audit_log r
              where r.subject_kind = 'case' and r.subject_id in (select case_id::text from case_conflict where staff_user_id = ",
        )
        .push_bind(reader)
        .push(")))");
    if let Some(case) = &filter.case {
        // A case id, or its reference as the requester knows it (typed in any case, with or
        // without dashes).
        let reference = shelter_shared::intake::Reference::parse(case).map(|r| r.as_str().to_owned());
        builder
            .push(" and subject_kind = 'case' and (subject_id = ")
            .push_bind(case.clone())
            .push(" or subject_id = (select case_id::text from cases where reference = ")
            .push_bind(reference)
            .push("))");
    }
    if let Some((kind, id)) = &filter.subject {
        builder.push(" and subject_kind = ").push_bind(kind.clone()).push(" and subject_id = ").push_bind(id.clone());
    }
    if let Some(actor) = &filter.actor {
        // A staff id, a case reference (however typed), an e-mail or part of a name; an entry
        // matches when that person acted, or when it is about them: their account (disabled,
        // reset, linked), or a detail naming them (a case reassigned or triaged to them).
        let reference = shelter_shared::intake::Reference::parse(actor).map(|r| r.as_str().to_owned());
        builder
            .push(" and (actor_id = ")
            .push_bind(actor.clone())
            .push(" or actor_id = ")
            .push_bind(reference)
            .push(
                " or exists (select 1 from staff_user who
                   where (who.staff_user_id::text = ",
            )
            .push_bind(actor.clone())
            .push(" or lower(who.email) = lower(")
            .push_bind(actor.clone())
            .push(") or strpos(lower(who.display_name), lower(")
            .push_bind(actor.clone())
            .push(
                ")) > 0)
                   and ((actor_kind = 'staff' and actor_id = who.staff_user_id::text)
                        or (subject_kind = 'staff_user' and subject_id = who.staff_user_id::text)
                        or (jsonb_typeof(details) = 'object'
                            and exists (select 1 from jsonb_each(details) d
                                         where d.value = to_jsonb(who.staff_user_id::text)
                                            or (jsonb_typeof(d.value) = 'array'
                                                and d.value @> jsonb_build_array(who.staff_user_id::text)))))))",
            );
    }
    if filter.unreviewed {
        let decisions: Vec<AuditAction> = AuditAction::ALL.iter().copied().filter(|a| a.is_decision()).collect();
        builder
            .push(" and (action = any(")
            .push_bind(decisions)
            .push(") or rationale is not null or rationale_sealed is not null)")
            .push(" and actor_id is distinct from ")
            .push_bind(reader.to_string())
            .push(
                " and not exists (select 1 from audit_log r where r.subject_kind = 'audit_entry'
                  and r.subject_id = audit_log.seq::text and r.action = ",
            )
            .push_bind(AuditAction::AuditReviewed)
            .push(")");
    }
    if let Some(action) = &filter.action {
        builder.push(" and action = ").push_bind(*action);
    }
    if let Some(from) = filter.from {
        builder.push(" and occurred_at >= ").push_bind(from);
    }
    if let Some(to) = filter.to {
        builder.push(" and occurred_at < ").push_bind(to);
    }
    if let Some(before) = filter.before_seq {
        builder.push(" and seq < ").push_bind(before);
    }
}

/// Up to `limit` entries matching `filter` that `reader` may see, newest first, their
/// rationales opened, their details in `words`' language.
pub async fn page(
    pool: &PgPool,
    keys: &Keys,
    filter: &Filter,
    limit: i64,
    (reader, roles): (Uuid, &[Role]),
    words: Reader,
) -> anyhow::Result<Vec<Entry>> {
    let mut conn = pool.acquire().await?;
    let mut builder = QueryBuilder::new(
        "select seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale, rationale_sealed,
                rationale_case, details, hash as hash_bytes,
                (select u.display_name from staff_user u
                  where audit_log.actor_kind = 'staff' and u.staff_user_id::text = audit_log.actor_id) as actor_name,
                case when audit_log.subject_kind = 'case' and audit_log.subject_id ~ '^[0-9a-fA-F-]{36}$'
                       then (select c.reference from cases c where c.case_id = audit_log.subject_id::uuid)
                     when audit_log.subject_kind = 'staff_user'
                       then (select u.display_name from staff_user u where u.staff_user_id::text = audit_log.subject_id)
                end as subject_label,
                (select jsonb_object_agg(n.id, n.name)
                   from (select u.staff_user_id::text as id, u.display_name as name from staff_user u
                         union all select p.partner_id::text, p.name from partner p) n
                  where jsonb_typeof(audit_log.details) = 'object'
                    and n.id in (select value from jsonb_each_text(audit_log.details))) as staff_names,
                (select string_agg(coalesce(u.display_name, r.actor_kind) || ': ' || coalesce(r.details->>'verdict', ''), '; '
                                   order by r.seq)
                   from audit_log r left join staff_user u on u.staff_user_id::text = r.actor_id
                  where r.subject_kind = 'audit_entry' and r.subject_id = audit_log.seq::text
                    and r.action = ",
    );
    builder.push_bind(AuditAction::AuditReviewed).push(") as reviews,");
    // The facts the case pages' access rule needs, for the case an entry is about (looked up
    // by key: `case` guards the cast, as for the label above).
    builder
        .push(
            " case when audit_log.subject_kind = 'case' and audit_log.subject_id ~ '^[0-9a-fA-F-]{36}$'
                   then exists (select 1 from case_conflict k
                                 where k.case_id = audit_log.subject_id::uuid and k.staff_user_id = ",
        )
        .push_bind(reader)
        .push(
            ") else false end as subject_conflicted,
              case when audit_log.subject_kind = 'case' and audit_log.subject_id ~ '^[0-9a-fA-F-]{36}$'
                   then exists (select 1 from cases c where c.case_id = audit_log.subject_id::uuid and c.assignee = ",
        )
        .push_bind(reader)
        .push(") else false end as subject_assigned from audit_log");
    push_filter(&mut builder, filter, reader);
    builder.push(" order by seq desc limit ").push_bind(limit);
    let rows: Vec<Row> = builder.build_query_as().fetch_all(&mut *conn).await?;
    let sealed: Vec<_> = rows.iter().map(|r| (r.rationale_case, r.rationale_sealed.clone())).collect();
    let opened = super::sealed::open_all(&mut conn, keys, &sealed).await?;
    Ok(rows
        .into_iter()
        .zip(opened)
        .map(|(row, opened)| {
            let names: Names = match &row.staff_names {
                Some(serde_json::Value::Object(map)) => {
                    map.iter().filter_map(|(id, name)| Some((id.clone(), name.as_str()?.to_owned()))).collect()
                }
                _ => Names::new(),
            };
            // A case's reference is shown only to someone the case pages would show the case
            // to (conflicted cases are already left out above; this keeps the rule in one place).
            let facts = CaseFacts { is_assignee: row.subject_assigned, conflicted: row.subject_conflicted };
            let hidden =
                row.entry.subject_kind.as_deref() == Some("case") && case_access(roles, facts) == CaseAccess::None;
            Entry {
                hash: hex::encode(&row.hash_bytes),
                // Nor is its rationale opened for them.
                rationale: if hidden { None } else { opened.or(row.entry.rationale.clone()) },
                summary: Some(summary(words, &row.entry.action, &row.entry.details, &names)),
                subject_label: if hidden { None } else { row.entry.subject_label.clone() },
                ..row.entry
            }
        })
        .collect())
}

/// The matching entries as CSV, oldest first, at most `limit` rows.
pub async fn csv(
    pool: &PgPool,
    keys: &Keys,
    filter: &Filter,
    limit: i64,
    reader: Uuid,
    roles: &[Role],
) -> anyhow::Result<(Vec<u8>, usize)> {
    let mut entries = page(pool, keys, filter, limit, (reader, roles), Reader::default()).await?;
    entries.reverse();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "seq",
        "occurred_at",
        "actor_kind",
        "actor_id",
        "action",
        "subject_kind",
        "subject_id",
        "rationale",
        "details",
        "hash",
    ])?;
    for e in &entries {
        writer.write_record([
            e.seq.to_string(),
            e.occurred_at.to_rfc3339(),
            e.actor_kind.clone(),
            e.actor_id.clone().unwrap_or_default(),
            e.action.clone(),
            e.subject_kind.clone().unwrap_or_default(),
            e.subject_id.clone().unwrap_or_default(),
            neutralise(e.rationale.as_deref().unwrap_or_default()),
            e.details.to_string(),
            e.hash.clone(),
        ])?;
    }
    Ok((writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?, entries.len()))
}

/// Spreadsheet programs run cells that start with `=`, `+`, `-` or `@` as formulas:
/// prefix those with a quote so an exported rationale cannot become one.
pub(crate) fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(super::neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(super::neutralise("fine"), "fine");
    }
}
