-- one row describing this installation: an id to tell installations apart in
-- backups and exports, and when it was created. later migrations add the domain.
create table installation (
    installation_id uuid primary key,
    singleton boolean not null default true unique check (singleton),
    created_at timestamptz not null default now()
);

insert into installation (installation_id)
values (md5(random()::text || clock_timestamp()::text)::uuid);
