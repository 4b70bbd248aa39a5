-- emergency grants: funds and their append-only ledger, grants, approvals, disbursements.
-- amounts are integer minor units of an ISO 4217 currency; rates are exact decimal text.

create table fund (
    fund_id uuid primary key,
    name text not null unique check (length(name) between 1 and 200),
    currency text not null check (currency in ('USD', 'EUR', 'THB', 'MMK', 'KHR', 'LAK', 'VND', 'CNY')),
    budget_minor bigint not null check (budget_minor > 0),
    period_start date not null,
    period_end date not null check (period_end >= period_start),
    -- donor restrictions: empty means any.
    allowed_categories text[] not null default '{}',
    allowed_countries text[] not null default '{}',
    -- 1 USD in the fund's currency: how tiers and playbook caps (set in dollars) apply.
    usd_rate text not null,
    created_by uuid not null references staff_user (staff_user_id),
    created_at timestamptz not null
);

create table grants (
    grant_id uuid primary key,
    case_id uuid not null references cases (case_id),
    fund_id uuid not null references fund (fund_id),
    category text not null check (category in ('legal_fees', 'bail', 'relocation', 'medical', 'security_measures',
                                               'subsistence', 'digital_security', 'other')),
    -- what the payee receives, in its currency.
    amount_minor bigint not null check (amount_minor > 0),
    currency text not null,
    -- the same in the fund's currency, at `rate` (null when the currencies are the same).
    fund_amount_minor bigint not null check (fund_amount_minor > 0),
    rate text,
    usd_minor bigint not null check (usd_minor > 0),
    tier text not null check (tier in ('a', 'b', 'c')),
    approvals_needed smallint not null check (approvals_needed between 1 and 3),
    status text not null check (status in ('proposed', 'approved', 'provisionally_approved', 'frozen', 'rejected',
                                           'disbursed', 'receipt_confirmed', 'reported', 'cancelled', 'reversed')),
    -- the payee's alias is shown to everyone; payment details, purpose and vouchers are
    -- sealed with the case key.
    payee_alias text not null check (length(payee_alias) between 1 and 100),
    payee_sealed bytea not null,
    -- everyone who entered or changed the payment details: none of them may release the payment.
    payee_editors uuid[] not null,
    purpose_sealed bytea not null,
    vouchers_sealed bytea not null,
    voucher_count smallint not null check (voucher_count >= 1),
    country text not null,
    proposed_by uuid not null references staff_user (staff_user_id),
    provisional boolean not null default false,
    ratify_due_at timestamptz,
    ratified_at timestamptz,
    overdue_alerted_at timestamptz,
    receipt_by text check (receipt_by in ('requester', 'staff')),
    receipt_at timestamptz,
    use_until timestamptz,
    report_sealed bytea,
    reported_at timestamptz,
    reminded_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index grants_case on grants (case_id, created_at);
create index grants_status on grants (status, created_at);
create index grants_fund on grants (fund_id, created_at);

-- one row per supervisor per grant: the key makes approvers distinct.
create table grant_decision (
    grant_id uuid not null references grants (grant_id),
    supervisor uuid not null references staff_user (staff_user_id),
    decision text not null check (decision in ('approve', 'reject')),
    provisional boolean not null default false,
    rationale text not null check (length(rationale) > 0),
    decided_at timestamptz not null,
    primary key (grant_id, supervisor)
);

-- a payment: the unique grant id is what makes disbursement exactly-once, whatever the
-- page, the retry or the number of finance officers.
create table disbursement (
    disbursement_id uuid primary key,
    grant_id uuid not null unique references grants (grant_id),
    method text not null check (method in ('bank_transfer', 'mobile_money', 'cash_intermediary', 'direct_to_provider')),
    paid_minor bigint not null check (paid_minor > 0),
    fees_minor bigint not null check (fees_minor >= 0),
    currency text not null,
    -- paid plus fees, in the fund's currency.
    fund_amount_minor bigint not null check (fund_amount_minor > 0),
    rate text,
    external_reference text not null check (length(external_reference) between 1 and 100),
    paid_on date not null,
    released_by uuid not null references staff_user (staff_user_id),
    created_at timestamptz not null
);

-- the ledger: committed, disbursed and available are computed from it, never stored.
create table fund_entry (
    entry_id bigint generated always as identity primary key,
    fund_id uuid not null references fund (fund_id),
    grant_id uuid not null references grants (grant_id),
    kind text not null check (kind in ('reservation', 'release', 'payment', 'reversal')),
    -- in the fund's currency, always positive: the kind says which way it goes.
    amount_minor bigint not null check (amount_minor > 0),
    created_by uuid references staff_user (staff_user_id),
    created_at timestamptz not null
);
create index fund_entry_fund on fund_entry (fund_id, kind);
-- at most one of each kind per grant: a second payment, release or reversal cannot exist.
create unique index fund_entry_once on fund_entry (grant_id, kind);

-- the ledger and payments are history: never changed, never removed.
create trigger fund_entry_append_only before update or delete on fund_entry
    for each row execute function audit_refuse_change();
create trigger fund_entry_no_truncate before truncate on fund_entry
    for each statement execute function audit_refuse_change();
create trigger disbursement_append_only before update or delete on disbursement
    for each row execute function audit_refuse_change();
create trigger disbursement_no_truncate before truncate on disbursement
    for each statement execute function audit_refuse_change();

-- no entry may take a fund below zero: the fund row is locked first, so concurrent
-- reservations are checked one after another against what the others committed.
create function fund_entry_check_balance() returns trigger language plpgsql as $$
declare
    budget bigint;
    available bigint;
begin
    select budget_minor into budget from fund where fund_id = new.fund_id for update;
    select budget
           - coalesce(sum(case kind when 'reservation' then amount_minor when 'release' then -amount_minor
                                    when 'payment' then amount_minor when 'reversal' then -amount_minor end), 0)
      into available
      from fund_entry where fund_id = new.fund_id;
    if available < 0 then
        raise exception 'fund % would go below zero (available %)', new.fund_id, available
            using errcode = 'check_violation', constraint = 'fund_available_not_negative';
    end if;
    return null;
end;
$$;
create constraint trigger fund_entry_balance after insert on fund_entry
    for each row execute function fund_entry_check_balance();
