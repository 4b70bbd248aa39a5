-- whether the fund still holds a grant's reservation (its ledger has the reservation and no
-- release; a grant sent back for approval keeps it), kept on the grant's row by a trigger
-- on the ledger in the entry's own transaction, as the fund's running totals are (0024):
-- the register's committed totals read it instead of aggregating the whole ledger per
-- request. the ledger stays the record (`grant_hold_mismatch` below).

alter table grants add column reservation_held boolean not null default false;

update grants g
   set reservation_held = true
 where exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'reservation')
   and not exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'release');

-- the grant row is one that each entry's transaction already changes (its state), so this
-- adds no new waits.
create function fund_entry_move_hold() returns trigger language plpgsql as $$
begin
    update grants
       set reservation_held = new.kind = 'reservation'
             and not exists (select 1 from fund_entry e where e.grant_id = new.grant_id and e.kind = 'release')
     where grant_id = new.grant_id;
    return null;
end;
$$;
create trigger fund_entry_hold after insert on fund_entry
    for each row when (new.kind in ('reservation', 'release')) execute function fund_entry_move_hold();

-- grants whose hold differs from their ledger: none, always.
create function grant_hold_mismatch() returns table (grant_id uuid, reservation_held boolean)
    language sql stable as $$
    select g.grant_id, g.reservation_held
      from grants g
     where g.reservation_held <> (
               exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'reservation')
               and not exists (select 1 from fund_entry e where e.grant_id = g.grant_id and e.kind = 'release'))
$$;
