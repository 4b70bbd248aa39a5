-- a random key per case, grant and referral, never shown and never personal: the sum of the
-- keys behind a published count picks that count's noise (shelter_shared::perturb), so the
-- same records always give the same figure and overlapping views cannot be subtracted to
-- single out a person. drawn by the database at insert; kept when a case is purged, so the
-- statistics stay what they were.
alter table cases add column stat_key integer not null default floor(random() * 65536)::integer
    check (stat_key between 0 and 65535);
alter table grants add column stat_key integer not null default floor(random() * 65536)::integer
    check (stat_key between 0 and 65535);
alter table referral add column stat_key integer not null default floor(random() * 65536)::integer
    check (stat_key between 0 and 65535);
