-- the disbursement clock: a case whose grant is still unpaid when the playbook's
-- disbursement target passes is recorded as a breach, once, like the other clocks.

alter table sla_breach drop constraint sla_breach_clock_check;
alter table sla_breach add constraint sla_breach_clock_check check (clock in ('acknowledge', 'decide', 'disburse'));
