-- staff identity: accounts, second factor, recovery codes, sessions, sign-in throttling.

-- a check value derived from the master key: starting with another key file is refused.
alter table installation add column master_key_check bytea;

create table staff_user (
    staff_user_id uuid primary key,
    email text not null unique check (email = lower(email) and length(email) <= 254),
    display_name text not null check (length(display_name) between 1 and 200),
    roles text[] not null check (
        cardinality(roles) >= 1
        and roles <@ array['handler', 'supervisor', 'finance', 'partner', 'admin']
    ),
    -- enrolling: has a one-time enrolment code; active: password and totp confirmed.
    status text not null default 'enrolling' check (status in ('enrolling', 'active', 'disabled')),
    -- argon2id phc string (the pepper lives in the key file, not here).
    password_hash text,
    -- totp secret sealed with a key derived from the master key, bound to the user id.
    totp_secret_sealed bytea,
    -- the last totp time step accepted: a code is never accepted twice.
    totp_last_step bigint,
    -- keyed hash of the one-time enrolment code, and when it stops working.
    enrolment_code_hash bytea unique,
    enrolment_expires_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table staff_recovery_code (
    staff_user_id uuid not null references staff_user (staff_user_id) on delete cascade,
    code_hash bytea not null,
    used_at timestamptz,
    primary key (staff_user_id, code_hash)
);

create table staff_session (
    staff_session_id uuid primary key,
    -- keyed hash of the 256-bit token in the cookie or bearer header; the token is never stored.
    token_hash bytea not null unique,
    staff_user_id uuid not null references staff_user (staff_user_id) on delete cascade,
    kind text not null check (kind in ('browser', 'api')),
    csrf_token text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    step_up_at timestamptz,
    ended_at timestamptz,
    end_reason text
);
create index staff_session_live on staff_session (staff_user_id) where ended_at is null;

-- between the password step and the second-factor step of a browser sign-in.
create table staff_sign_in_challenge (
    token_hash bytea primary key,
    staff_user_id uuid not null references staff_user (staff_user_id) on delete cascade,
    expires_at timestamptz not null
);

-- failures per sign-in name (keyed hash of the e-mail, known account or not, so that
-- answers never reveal whether an account exists).
create table sign_in_throttle (
    subject_hash bytea primary key,
    failures integer not null default 0,
    last_failure_at timestamptz not null,
    locked_at timestamptz
);
