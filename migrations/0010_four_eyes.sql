-- four eyes that hold against an insider: privileged accounts wait for a second person,
-- step-up failures are counted per session, approvals voided by a payee change are kept.

-- a supervisor or finance account created (or its second factor reset) by an administrator
-- cannot sign in until a supervisor other than that administrator confirms it.
alter table staff_user add column pending_confirmation boolean not null default false;
alter table staff_user add column pending_reason text check (pending_reason in ('created', 'two_factor_reset'));
alter table staff_user add column pending_requested_by uuid references staff_user (staff_user_id);
-- when the account got its present credentials (created, or second factor reset): new
-- accounts do not count toward tier B or C approvals for a while.
alter table staff_user add column credentials_since timestamptz;
update staff_user set credentials_since = created_at;
alter table staff_user alter column credentials_since set not null;

-- wrong step-up codes in this session: a run of them ends it.
alter table staff_session add column step_up_failures integer not null default 0;

-- who last changed a grant's payment details, and when: the payer sees it.
alter table grants add column payee_changed_at timestamptz;
alter table grants add column payee_changed_by uuid references staff_user (staff_user_id);

-- approvals voided because the payee's details changed after them: kept, never counted.
create table grant_decision_voided (
    grant_id uuid not null references grants (grant_id),
    supervisor uuid not null references staff_user (staff_user_id),
    decision text not null,
    provisional boolean not null,
    -- as in grant_decision: plain text from before sealing, or sealed with the case key.
    rationale text,
    rationale_sealed bytea,
    decided_at timestamptz not null,
    voided_at timestamptz not null
);
create index grant_decision_voided_grant on grant_decision_voided (grant_id);
