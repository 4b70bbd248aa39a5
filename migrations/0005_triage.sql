-- triage and case work: severity, assignment, playbook, sla clocks, checklist, notes,
-- conflicts of interest, sla breaches.

alter table cases
    add column severity text check (severity in ('critical', 'high', 'medium', 'low')),
    add column assignee uuid references staff_user (staff_user_id),
    add column playbook_kind text,
    add column playbook_version integer,
    -- sla deadlines, counted from intake.
    add column acknowledge_due_at timestamptz,
    add column decide_due_at timestamptz,
    add column disburse_due_at timestamptz,
    add column acknowledged_at timestamptz,
    add column triaged_at timestamptz,
    add column closed_at timestamptz,
    add column outcome text check (outcome in ('resolved', 'referred_out', 'declined', 'duplicate', 'unreachable', 'withdrawn')),
    -- the nearest open deadline: what the queue is ordered by.
    add column next_due_at timestamptz;

drop index cases_open;
create index cases_queue on cases (next_due_at, case_id) where status in ('new', 'acknowledged', 'active');
create index cases_assignee on cases (assignee, next_due_at) where status in ('new', 'acknowledged', 'active');

create table case_task (
    task_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    position integer not null,
    title text not null,
    role text not null,
    guidance text not null,
    due_at timestamptz not null,
    done_by uuid references staff_user (staff_user_id),
    done_at timestamptz
);
create index case_task_case on case_task (case_id, position);
create index case_task_open on case_task (case_id, due_at) where done_at is null;

-- internal notes, sealed with the case key.
create table case_note (
    note_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    author uuid not null references staff_user (staff_user_id),
    ciphertext bytea not null,
    created_at timestamptz not null
);
create index case_note_case on case_note (case_id, created_at);

-- a declared conflict excludes the person from assignment, viewing and approval.
create table case_conflict (
    case_id uuid not null references cases (case_id) on delete cascade,
    staff_user_id uuid not null references staff_user (staff_user_id),
    declared_at timestamptz not null,
    primary key (case_id, staff_user_id)
);

-- one row per breached clock: the primary key makes the breach entry exactly-once, across
-- restarts and several server processes.
create table sla_breach (
    case_id uuid not null references cases (case_id) on delete cascade,
    clock text not null check (clock in ('acknowledge', 'decide')),
    due_at timestamptz not null,
    detected_at timestamptz not null,
    primary key (case_id, clock)
);
