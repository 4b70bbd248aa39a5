-- per-address rate limits (sign-in, intake), shared by every instance on this database so
-- that two processes behind one proxy allow what one would. one row per limit and address:
-- the address only as a keyed hash (lookup key), never in the clear. `ready_at` is the
-- limit's "theoretical arrival time" (gcra): the address may send again while it is no more
-- than one burst ahead of the database's clock. rows in the past say nothing and are swept.
-- unlogged: a check costs no wal flush (a third of the time, measured with pgbench); a crash
-- or a failover empties the table, which only gives every address its full allowance back.
create unlogged table address_limit (
    bucket text not null check (length(bucket) between 1 and 40),
    address_hash bytea not null,
    ready_at timestamptz not null,
    primary key (bucket, address_hash)
);
create index address_limit_sweep on address_limit (ready_at);
