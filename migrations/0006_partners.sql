-- legal partners: lawyers and organisations outside the network, and their accounts.
-- (referrals themselves arrive in a later migration.)

create table partner (
    partner_id uuid primary key,
    name text not null check (length(name) between 1 and 200),
    kind text not null check (kind in ('lawyer', 'organisation')),
    countries text[] not null check (cardinality(countries) >= 1),
    languages text[] not null default '{}',
    expertise text[] not null default '{}',
    capacity text not null default 'available' check (capacity in ('available', 'limited', 'full')),
    -- contact details, sealed with a key derived from the master key.
    contact_sealed bytea,
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index partner_active on partner (active, name);

-- a partner account belongs to one partner; without one it sees nothing.
alter table staff_user add column partner_id uuid references partner (partner_id);
