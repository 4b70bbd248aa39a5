-- the keyring: every purpose key (password pepper, lookup hashes, totp, case-key wrapping,
-- partner directory, audit rationales), each sealed under the master key whose check value
-- it names. the master key file then only opens this ring, so rotating it re-seals a few
-- rows instead of recomputing every password hash. the first start after this migration
-- stores the keys derived from the current master as generation 1 (see server/src/keyring.rs).
create table keyring (
    purpose text not null,
    -- 1: derived from the first master key; each rotation adds one.
    generation integer not null check (generation >= 1),
    -- the check value of the master key this copy is sealed under (installation.master_key_check).
    master_check bytea not null,
    sealed bytea not null,
    primary key (master_check, purpose, generation)
);

-- the rotation in progress, if any (`shelter keys rotate`): what it moves to, so a rotation
-- killed half-way resumes where it stopped.
create table key_rotation (
    singleton boolean primary key default true check (singleton),
    new_master_check bytea not null,
    generation integer not null,
    started_at timestamptz not null
);

-- while a rotation runs, each value sealed under a rotating purpose key gets its re-sealed
-- copy here; the old column stays readable by every running server until the final switch.
alter table cases add column sealed_key_next bytea;
alter table staff_user add column totp_secret_sealed_next bytea;
alter table partner add column contact_sealed_next bytea;

-- a sealed value rewritten during a rotation (by a server still sealing under the old key)
-- drops its copy, so the rotation seals it again. arguments: the column, its copy. each
-- trigger fires only for updates that set its column (`update of`), not for every change.
create function keyring_drop_stale_copy() returns trigger language plpgsql as $$
begin
    if to_jsonb(new) -> tg_argv[0] is distinct from to_jsonb(old) -> tg_argv[0] then
        new := jsonb_populate_record(new, jsonb_build_object(tg_argv[1], null));
    end if;
    return new;
end;
$$;

create trigger cases_sealed_key_copy before update of sealed_key on cases
    for each row execute function keyring_drop_stale_copy('sealed_key', 'sealed_key_next');
create trigger staff_user_totp_copy before update of totp_secret_sealed on staff_user
    for each row execute function keyring_drop_stale_copy('totp_secret_sealed', 'totp_secret_sealed_next');
create trigger partner_contact_copy before update of contact_sealed on partner
    for each row execute function keyring_drop_stale_copy('contact_sealed', 'contact_sealed_next');

-- staff notice addresses and messenger handles, sealed under the directory key (0013).
alter table notice_preference add column address_sealed_next bytea, add column handle_sealed_next bytea;
create trigger notice_preference_address_copy before update of address_sealed on notice_preference
    for each row execute function keyring_drop_stale_copy('address_sealed', 'address_sealed_next');
create trigger notice_preference_handle_copy before update of handle_sealed on notice_preference
    for each row execute function keyring_drop_stale_copy('handle_sealed', 'handle_sealed_next');
