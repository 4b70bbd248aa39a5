-- a case's timeline: every entry about the case except reads. Each opening of a case page
-- appends a `case.read`, so a busy case soon holds thousands of them; without this index
-- the page walked past all of them on every visit and slowed with each one.
create index audit_log_case_events on audit_log (subject_id, seq)
    where subject_kind = 'case' and action <> 'case.read';
