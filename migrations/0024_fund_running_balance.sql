-- a fund's balance as running totals on its row, moved by each ledger entry in the same
-- transaction: refusing an entry that would take the fund below zero costs one row update,
-- not a sum over the fund's whole ledger (which grew slower with every payment).
-- the ledger stays the record: the totals must always equal its sums (checked by tests and
-- `fund_ledger_mismatch` below).

alter table fund
    -- reservations less releases, in the fund's currency.
    add column committed_minor bigint not null default 0,
    -- payments less reversals, in the fund's currency.
    add column disbursed_minor bigint not null default 0;

update fund f
   set committed_minor = l.committed, disbursed_minor = l.disbursed
  from (select fund_id,
               coalesce(sum(amount_minor) filter (where kind = 'reservation'), 0)
                 - coalesce(sum(amount_minor) filter (where kind = 'release'), 0) as committed,
               coalesce(sum(amount_minor) filter (where kind = 'payment'), 0)
                 - coalesce(sum(amount_minor) filter (where kind = 'reversal'), 0) as disbursed
          from fund_entry group by fund_id) l
 where l.fund_id = f.fund_id;

-- the same trigger (fund_entry_balance) and the same refusal, now in O(1). the update takes
-- the fund row's lock: a concurrent entry on the same fund waits for this transaction and
-- then applies its own delta to the committed totals, so two entries cannot both pass on
-- what only one of them fits.
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
    return null;
end;
$$;

-- funds whose running totals differ from their ledger's sums: none, always.
create function fund_ledger_mismatch()
    returns table (fund_id uuid, committed_minor bigint, ledger_committed_minor bigint,
                   disbursed_minor bigint, ledger_disbursed_minor bigint)
    language sql stable as $$
    select f.fund_id, f.committed_minor, coalesce(l.committed, 0)::bigint,
           f.disbursed_minor, coalesce(l.disbursed, 0)::bigint
      from fund f
      left join (select e.fund_id,
                        coalesce(sum(e.amount_minor) filter (where e.kind = 'reservation'), 0)
                          - coalesce(sum(e.amount_minor) filter (where e.kind = 'release'), 0) as committed,
                        coalesce(sum(e.amount_minor) filter (where e.kind = 'payment'), 0)
                          - coalesce(sum(e.amount_minor) filter (where e.kind = 'reversal'), 0) as disbursed
                   from fund_entry e group by e.fund_id) l on l.fund_id = f.fund_id
     where f.committed_minor <> coalesce(l.committed, 0) or f.disbursed_minor <> coalesce(l.disbursed, 0)
$$;
