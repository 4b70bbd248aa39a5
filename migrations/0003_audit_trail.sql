-- the tamper-evident audit trail: append-only, hash-chained.

create table audit_log (
    -- gapless: assigned under a transaction-scoped advisory lock, so the chain never forks.
    seq bigint primary key check (seq >= 1),
    occurred_at timestamptz not null,
    actor_kind text not null check (actor_kind in ('staff', 'requester', 'system')),
    -- a staff user id, a case reference, or null for the system.
    actor_id text,
    action text not null,
    subject_kind text,
    subject_id text,
    -- required for decisions (checked by the application, which knows which actions are decisions).
    rationale text,
    -- ids, states, amounts: never narratives, contacts, secrets or tokens.
    details jsonb not null default '{}'::jsonb,
    prev_hash bytea not null check (length(prev_hash) = 32),
    hash bytea not null unique check (length(hash) = 32)
);
create index audit_log_actor on audit_log (actor_kind, actor_id, seq);
create index audit_log_subject on audit_log (subject_kind, subject_id, seq);
create index audit_log_action on audit_log (action, seq);
create index audit_log_time on audit_log (occurred_at);

-- the chain's head recorded hourly: a truncated tail is detected against it.
create table audit_checkpoint (
    checkpoint_id bigint generated always as identity primary key,
    seq bigint not null,
    hash bytea not null,
    created_at timestamptz not null
);

-- history cannot be changed: no update, delete or truncate, whoever asks. (a superuser can
-- still disable triggers; that is what the hash chain and external anchors are for.)
create function audit_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_refuse_change();
create trigger audit_checkpoint_append_only before update or delete on audit_checkpoint
    for each row execute function audit_refuse_change();
create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
    for each statement execute function audit_refuse_change();

-- the role the application runs its queries as (see db::restrict_to_app_role): it may read
-- and append to the trail, never change it.
-- roles belong to the whole cluster: databases migrated at the same moment may race to
-- create it, and the loser simply finds it there.
do $$
begin
    if not exists (select 1 from pg_roles where rolname = 'shelter_app') then
        create role shelter_app nologin;
    end if;
exception when duplicate_object or unique_violation then
    null;
end;
$$;
