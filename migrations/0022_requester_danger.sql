-- when the requester is in danger (issue 16): a duress passphrase, custody mode, check-ins.

-- the duress passphrase: an argon2id phc string like passphrase_hash, null when none is set.
-- sign-in checks both hashes every time (a dummy when none), so nothing tells them apart.
alter table cases add column duress_hash text;
-- the standing duress alert (a duress sign-in, a wrong safe word): set until staff clear it.
alter table cases add column duress_alert_at timestamptz;
-- a deletion asked from a calm (decoy) session: shown to such sessions, never carried out.
alter table cases add column decoy_deletion_at timestamptz;
-- what a calm session asked of news, shown back to calm sessions only and never acted on.
alter table cases add column decoy_news_on boolean not null default false;

-- a portal session opened with the duress passphrase sees the calm view for its whole life.
alter table requester_session add column duress boolean not null default false;
-- its alert is raised just after the sign-in answers (so that the answer takes as long as any
-- other), exactly once; a duress session not yet alerted is alerted by the next clock round.
alter table requester_session add column duress_alerted_at timestamptz;

-- messages from a calm session are kept apart: never shown to the requester's own sessions,
-- marked for staff. 'duress': sent after a duress sign-in; 'custody': sent while the case
-- was in custody mode (may not be from the requester).
alter table case_message add column portal_mark text check (portal_mark in ('duress', 'custody'));
-- files from a calm session are held back: staff see that one came, never open it.
alter table case_attachment add column held text check (held in ('duress', 'custody'));

-- custody mode: "the requester may be detained or their device seized". the rationales
-- live in the audit trail, sealed with the case key like every rationale.
create table case_custody (
    custody_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    set_by uuid not null references staff_user (staff_user_id),
    set_at timestamptz not null,
    lifted_by uuid references staff_user (staff_user_id),
    lifted_at timestamptz,
    check ((lifted_by is null) = (lifted_at is null))
);
create unique index case_custody_live on case_custody (case_id) where lifted_at is null;

-- check-ins: the requester says "I am all right" at least every `every_minutes`; after
-- `grace_minutes` more, the slot counts as missed.
create table check_in_schedule (
    schedule_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    every_minutes integer not null check (every_minutes between 60 and 43200),
    grace_minutes integer not null check (grace_minutes between 0 and 10080),
    until timestamptz not null,
    -- the agreed safe word: argon2id phc string (peppered), never stored in plain.
    safe_word_hash text,
    -- the end of the slot the next check-in answers.
    next_due_at timestamptz not null,
    created_by uuid not null references staff_user (staff_user_id),
    created_at timestamptz not null,
    ended_at timestamptz
);
create unique index check_in_schedule_live on check_in_schedule (case_id) where ended_at is null;
create index check_in_schedule_due on check_in_schedule (next_due_at) where ended_at is null;

create table check_in (
    check_in_id uuid primary key,
    schedule_id uuid not null references check_in_schedule (schedule_id) on delete cascade,
    case_id uuid not null references cases (case_id) on delete cascade,
    -- the slot it answered.
    due_at timestamptz not null,
    at timestamptz not null,
    standing text not null check (standing in ('on_time', 'late', 'after_miss')),
    -- a wrong safe word: the requester may be forced.
    duress boolean not null,
    -- when its duress alert was raised (just after the answer, like a duress sign-in's).
    duress_alerted_at timestamptz,
    via text not null check (via in ('portal', 'api'))
);
create index check_in_case on check_in (case_id, at);

-- one row per missed slot: its primary key makes each notice go exactly once.
create table check_in_miss (
    schedule_id uuid not null references check_in_schedule (schedule_id) on delete cascade,
    due_at timestamptz not null,
    case_id uuid not null references cases (case_id) on delete cascade,
    detected_at timestamptz not null,
    supervisors_told_at timestamptz,
    answered_at timestamptz,
    primary key (schedule_id, due_at)
);
create index check_in_miss_open on check_in_miss (case_id) where answered_at is null;
