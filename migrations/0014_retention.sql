-- retention and purge: a purged case keeps the skeleton statistics need (kind, country,
-- severity, dates, outcome, its grants' amounts, categories, fund and method) and loses
-- its data key and every ciphertext. legal holds keep a case from being purged; a
-- requester may ask for their own request to be deleted after a cooling-off period.

-- when the case was purged; its sealed key and passphrase hash are gone from then on.
alter table cases add column purged_at timestamptz;
alter table cases alter column sealed_key drop not null;
alter table cases alter column passphrase_hash drop not null;
alter table cases add constraint cases_purged_without_key
    check (purged_at is null or (sealed_key is null and passphrase_hash is null));
-- when the requester asked for their request to be deleted (null: never, or cancelled).
alter table cases add column deletion_requested_at timestamptz;

-- what the purge job looks at: closed cases not yet purged, and requested deletions.
create index cases_retention_closed on cases (closed_at) where purged_at is null and status = 'closed';
create index cases_retention_deletion on cases (deletion_requested_at)
    where purged_at is null and deletion_requested_at is not null;

-- a legal hold: one live hold per case, placed by one supervisor and lifted by another.
-- the rationales are sealed with the case key; lifted holds are deleted with the case's
-- other ciphertexts when it is purged (the audit trail keeps who and when).
create table case_legal_hold (
    hold_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    placed_by uuid not null references staff_user (staff_user_id),
    placed_at timestamptz not null,
    rationale_sealed bytea not null,
    lifted_by uuid references staff_user (staff_user_id),
    lifted_at timestamptz,
    lift_rationale_sealed bytea,
    -- the four eyes hold in the database too: whoever placed a hold never lifts it.
    constraint case_legal_hold_second_person check (lifted_by is null or lifted_by <> placed_by),
    constraint case_legal_hold_lifted check ((lifted_by is null) = (lifted_at is null))
);
create unique index case_legal_hold_live on case_legal_hold (case_id) where lifted_at is null;
create index case_legal_hold_case on case_legal_hold (case_id, placed_at);

-- a purged case's grants keep their financial record without payee details: the sealed
-- columns become empty.
alter table grants alter column payee_sealed drop not null;
alter table grants alter column purpose_sealed drop not null;
alter table grants alter column vouchers_sealed drop not null;

-- a decision's rationale is shredded with its case: the decision (who, when, what) stays.
alter table grant_decision add column rationale_shredded boolean not null default false;
alter table grant_decision drop constraint grant_decision_one_rationale;
alter table grant_decision add constraint grant_decision_one_rationale
    check (num_nonnulls(rationale, rationale_sealed) = case when rationale_shredded then 0 else 1 end);

-- payments stay append-only, with one exception: after the accounting period, a purged
-- case's payment loses its external reference (with the bank's records it leads to the
-- payee). nothing else about a payment may ever change.
create function disbursement_refuse_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE'
       and new.external_reference = 'erased'
       and (new.disbursement_id, new.grant_id, new.method, new.paid_minor, new.fees_minor, new.currency,
            new.fund_amount_minor, new.rate, new.paid_on, new.released_by, new.created_at)
           is not distinct from
           (old.disbursement_id, old.grant_id, old.method, old.paid_minor, old.fees_minor, old.currency,
            old.fund_amount_minor, old.rate, old.paid_on, old.released_by, old.created_at)
       and exists (select 1 from grants g join cases c using (case_id)
                   where g.grant_id = old.grant_id and c.purged_at is not null) then
        return new;
    end if;
    raise exception 'payments are append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;
drop trigger disbursement_append_only on disbursement;
create trigger disbursement_append_only before update or delete on disbursement
    for each row execute function disbursement_refuse_change();
create index disbursement_unerased on disbursement (paid_on) where external_reference <> 'erased';

-- voided decisions stay, but a purged case's lose their rationale (sealed with its key).
create function grant_decision_voided_refuse_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE'
       and new.rationale is null and new.rationale_sealed is null
       and (new.grant_id, new.supervisor, new.decision, new.provisional, new.decided_at, new.voided_at)
           is not distinct from
           (old.grant_id, old.supervisor, old.decision, old.provisional, old.decided_at, old.voided_at)
       and exists (select 1 from grants g join cases c using (case_id)
                   where g.grant_id = old.grant_id and c.purged_at is not null) then
        return new;
    end if;
    raise exception 'voided decisions are kept: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger grant_decision_voided_kept before update or delete on grant_decision_voided
    for each row execute function grant_decision_voided_refuse_change();
