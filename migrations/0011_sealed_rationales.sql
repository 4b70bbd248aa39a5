-- decision rationales and referral purposes are confidential: from now on they are sealed
-- (with the case key when they concern a case, so purging the case shreds them too; else
-- with a key derived from the master key) and the plain columns stay empty.

-- the chain hashes the sealed bytes, so `shelter audit verify` still needs no key.
-- rationale_case names the case whose key sealed it; null means the master-derived key.
alter table audit_log add column rationale_sealed bytea;
alter table audit_log add column rationale_case uuid;
alter table audit_log add constraint audit_log_one_rationale
    check (rationale is null or rationale_sealed is null);

-- a referral's purpose, sealed with its case key. rows written before this migration are
-- sealed by the server at start-up (it holds the key; SQL does not), then purpose is cleared.
alter table referral add column purpose_sealed bytea;
alter table referral alter column purpose drop not null;

-- a grant decision's rationale mirrors its audit entry's: sealed with the case key too.
-- rows written before are sealed by the server at start-up, like referral purposes.
alter table grant_decision add column rationale_sealed bytea;
alter table grant_decision alter column rationale drop not null;
alter table grant_decision drop constraint grant_decision_rationale_check;
alter table grant_decision add constraint grant_decision_one_rationale
    check (num_nonnulls(rationale, rationale_sealed) = 1);

-- the start-up sealing looks only for rows still in plain text: these stay empty, so the
-- look costs nothing once done, however large the tables grow.
create index referral_plain_purpose on referral (referral_id) where purpose is not null;
create index grant_decision_plain_rationale on grant_decision (grant_id) where rationale is not null;
