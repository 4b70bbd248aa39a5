-- the alumni registry (issue 17): the network's members, their status timeline, and the
-- cases that concern them. every personal field is sealed with the member's own data key,
-- itself sealed under the directory key; names are found through keyed hashes of their
-- normalised tokens (server/src/alumni/index.rs), never through a plaintext index.
create table alumni_member (
    member_id uuid primary key,
    -- the training programme's own id: imports match on it, so re-importing changes nothing.
    external_id text unique check (char_length(external_id) between 1 and 100),
    country text not null check (country ~ '^[A-Z]{2}$'),
    cohort_year integer not null check (cohort_year between 1999 and 2100),
    -- the member's data key, sealed under the directory key (context: member id).
    sealed_key bytea not null,
    sealed_key_next bytea,
    -- names, organisation, focus, languages and contact as one sealed json document.
    profile_sealed bytea not null,
    -- keyed hash of the last imported row: an unchanged row is recognised without opening anything.
    import_digest bytea,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index alumni_member_country_cohort on alumni_member (country, cohort_year);

create trigger alumni_member_key_copy before update of sealed_key on alumni_member
    for each row execute function keyring_drop_stale_copy('sealed_key', 'sealed_key_next');

-- the blind index: one row per keyed name token. a search hashes its own tokens and asks
-- for members holding all of them.
create table alumni_name_token (
    token bytea not null,
    member_id uuid not null references alumni_member on delete cascade,
    primary key (token, member_id)
);
create index alumni_name_token_member on alumni_name_token (member_id);

-- the status timeline; the status itself stays plain (counts by status need no key), the
-- source and note are sealed with the member's key.
create table alumni_status (
    status_id uuid primary key,
    member_id uuid not null references alumni_member on delete cascade,
    status text not null check (status in ('active', 'inactive', 'at_risk', 'detained', 'in_exile', 'deceased', 'unknown')),
    status_date date not null,
    source_sealed bytea not null,
    note_sealed bytea not null,
    -- the case it was recorded from, if any.
    case_id uuid references cases,
    recorded_by uuid references staff_user,
    recorded_at timestamptz not null
);
create index alumni_status_member on alumni_status (member_id, status_date desc, recorded_at desc);

-- a case concerns at most one member; the rationale lives in the audit trail, sealed with the case key.
create table alumni_case_link (
    case_id uuid primary key references cases,
    member_id uuid not null references alumni_member on delete cascade,
    linked_by uuid not null references staff_user,
    linked_at timestamptz not null
);
create index alumni_case_link_member on alumni_case_link (member_id);
