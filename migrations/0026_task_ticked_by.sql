-- A playbook task may be tied to a real action (a referral approved, a grant decided or
-- paid): when that action happens, the task ticks itself in the same transaction, if the
-- action's actor may do the task. Copied from the playbook at triage; null: ticked by hand.
alter table case_task
    add column ticked_by text check (ticked_by in ('referral_approved', 'grant_decided', 'grant_paid'));
