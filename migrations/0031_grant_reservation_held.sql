-- whether the fund still holds a grant's reservation (its ledger has the reservation and no
-- release; a grant sent back for approval keeps it), kept on the grant's row by the ledger
-- trigger in the entry's own transaction, as the fund's running totals are (0024): the
-- register's committed totals read it instead of aggregating the whole ledger per request.
-- the ledger stays the record (`grant_hold_mismatch` below).

alter table grants add column reservation_held boolean not null default false;

update grants g
   set reservation_held = true
 where exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'reservation')
   and not exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'release');

-- the same trigger (fund_entry_balance) as 0024, which also moves the grant's hold: the
-- grant row is one each entry's transaction already changes (its state), so no new waits.
create or replace function fund_entry_check_balance() returns trigger language plpgsql as $$
declare
    available bigint;
begin
    update fund
       set committed_minor = committed_minor + case new.kind when 'reservation' then new.amount_minor
                                                             when 'release' then -new.amount_minor else 0 end,
           disbursed_minor = disbursed_minor + case new.kind when 'payment' then new.amount_minor
                                                             when 'reversal' then -new.amount_minor else 0 end
     where fund_id = new.fund_id
    returning budget_minor - committed_minor - disbursed_minor into available;
    if available < 0 then
        raise exception 'fund % would go below zero (available %)', new.fund_id, available
            using errcode = 'check_violation', constraint = 'fund_available_not_negative';
    end if;
    if new.kind in ('reservation', 'release') then
        update grants
           set reservation_held = new.kind = 'reservation'
                 and not exists (select 1 from fund_entry e where e.grant_id = new.grant_id and e.kind = 'release')
         where grant_id = new.grant_id;
    end if;
    return null;
end;
$$;

-- grants whose hold differs from their ledger: none, always.
create function grant_hold_mismatch() returns table (grant_id uuid, reservation_held boolean)
    language sql stable as $$
    select g.grant_id, g.reservation_held
      from grants g
     where g.reservation_held <> (
               exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'reservation')
               and not exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'release'))
$$;
