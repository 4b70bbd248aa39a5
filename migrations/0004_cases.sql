-- cases and the requester's side. every sensitive value is encrypted with the case's own
-- data key (see server/src/cases/crypto.rs); purging a case destroys that key.

create table cases (
    case_id uuid primary key,
    -- what the requester types to come back: sh-xxxx-xxxx.
    reference text not null unique,
    -- argon2id phc string of the generated passphrase (peppered; never stored in plain).
    passphrase_hash text not null,
    status text not null default 'new'
        check (status in ('new', 'acknowledged', 'active', 'on_hold', 'closed')),
    kind text not null,
    severity_hint text check (severity_hint in ('critical', 'high', 'medium', 'low')),
    country text not null check (country ~ '^[A-Z]{2}$'),
    language text not null,
    needs text[] not null default '{}',
    -- whether the requester allows being contacted at all.
    contact_allowed boolean not null,
    -- the case data key, sealed with a key derived from the master key, bound to case_id.
    sealed_key bytea not null,
    -- keyed hash of the form's one-time token: a reload or a second click is not a second case.
    idempotency_hash bytea unique,
    version integer not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index cases_open on cases (status, created_at) where status <> 'closed';

-- one row per sensitive field (narrative, when, place, at_risk, contact, contact_time).
create table case_field (
    case_id uuid not null references cases (case_id) on delete cascade,
    field text not null,
    ciphertext bytea not null,
    primary key (case_id, field)
);

create table case_message (
    message_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    author_kind text not null check (author_kind in ('requester', 'staff')),
    author_staff_id uuid references staff_user (staff_user_id),
    ciphertext bytea not null,
    created_at timestamptz not null
);
create index case_message_case on case_message (case_id, created_at);

create table case_attachment (
    attachment_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    media_type text not null,
    size_bytes integer not null,
    -- sha-256 of the file as uploaded, before metadata was stripped.
    original_sha256 bytea not null,
    -- the stripped file and its sanitised name, each sealed with the case key.
    content_sealed bytea not null,
    name_sealed bytea not null,
    uploaded_by text not null check (uploaded_by in ('requester', 'staff')),
    created_at timestamptz not null
);
create index case_attachment_case on case_attachment (case_id);

-- the passphrase shown once after a form submission: sealed with a key derived from the
-- one-time token in the redirect url, so the server alone cannot read it; deleted on view.
create table intake_receipt (
    token_hash bytea primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    passphrase_sealed bytea not null,
    expires_at timestamptz not null
);

create table requester_session (
    requester_session_id uuid primary key,
    token_hash bytea not null unique,
    case_id uuid not null references cases (case_id) on delete cascade,
    kind text not null check (kind in ('browser', 'api')),
    csrf_token text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    ended_at timestamptz
);

-- failed portal sign-ins per reference (keyed hash; tracked whether or not it exists).
create table requester_throttle (
    subject_hash bytea primary key,
    failures integer not null default 0,
    last_failure_at timestamptz not null,
    locked_until timestamptz
);
