-- notices that carry no case content: an outbox row written in the transaction of the
-- change that causes it, one delivery per recipient and channel, every attempt recorded.

create table notice (
    notice_id uuid primary key,
    -- the notice kind (see server/src/notify/content.rs); never case data.
    kind text not null check (length(kind) between 1 and 40),
    urgency text not null check (urgency in ('urgent', 'normal')),
    -- the case behind it, for escalation only; never rendered into a notice.
    case_id uuid references cases (case_id) on delete set null,
    -- one notice per event: a second enqueue of the same event (a re-run clock) is ignored.
    dedupe_key text unique,
    -- the worker has added the e-mail and webhook deliveries (the in-app ones come with the notice).
    fanned_out boolean not null default false,
    created_at timestamptz not null
);
create index notice_fan_out on notice (created_at) where not fanned_out;
create index notice_case on notice (case_id, kind) where case_id is not null;

create table notice_delivery (
    delivery_id uuid primary key,
    notice_id uuid not null references notice (notice_id),
    staff_user_id uuid not null references staff_user (staff_user_id),
    channel text not null check (channel in ('in_app', 'email', 'webhook')),
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    -- a worker that takes a delivery holds it until then; after a crash another one may.
    leased_until timestamptz,
    -- after this the worker stops trying and lists the delivery for administrators.
    give_up_at timestamptz not null,
    last_error text check (length(last_error) <= 500),
    sent_at timestamptz,
    read_at timestamptz,
    created_at timestamptz not null,
    -- once per recipient and channel, whatever happens.
    unique (notice_id, staff_user_id, channel)
);
create index notice_delivery_due on notice_delivery (next_attempt_at) where status = 'pending';
create index notice_delivery_inbox on notice_delivery (staff_user_id, created_at desc) where channel = 'in_app';
-- the unread count on every staff page.
create index notice_delivery_unread on notice_delivery (staff_user_id) where channel = 'in_app' and read_at is null;
create index notice_delivery_failed on notice_delivery (created_at desc) where status = 'failed';

create table notice_attempt (
    delivery_id uuid not null references notice_delivery (delivery_id),
    attempted_at timestamptz not null,
    ok boolean not null,
    error text check (length(error) <= 500)
);
create index notice_attempt_delivery on notice_attempt (delivery_id, attempted_at);

-- the on-call rota: who answers new urgent cases, by weekday and hours. the region's time
-- zones (utc+6:30 to utc+8) keep no daylight saving, so a fixed offset is exact.
create table on_call_shift (
    shift_id uuid primary key,
    staff_user_id uuid not null references staff_user (staff_user_id),
    -- iso weekday in the shift's own zone: 1 monday .. 7 sunday.
    weekday smallint not null check (weekday between 1 and 7),
    -- minutes after local midnight; the shift ends before ends_minute.
    starts_minute smallint not null check (starts_minute between 0 and 1439),
    ends_minute smallint not null check (ends_minute between 1 and 1440),
    utc_offset_minutes smallint not null check (utc_offset_minutes between -720 and 840),
    created_by uuid not null references staff_user (staff_user_id),
    created_at timestamptz not null,
    check (ends_minute > starts_minute)
);
create index on_call_shift_weekday on on_call_shift (weekday);

-- each person's choices: which channels carry which urgency, and quiet hours in which
-- non-urgent notices wait (urgent ones always go). no row means the defaults.
create table notice_preference (
    staff_user_id uuid primary key references staff_user (staff_user_id),
    email_urgent boolean not null default true,
    email_normal boolean not null default true,
    webhook_urgent boolean not null default true,
    webhook_normal boolean not null default true,
    -- minutes after local midnight; quiet from quiet_from until quiet_until (may wrap midnight).
    quiet_from smallint check (quiet_from between 0 and 1439),
    quiet_until smallint check (quiet_until between 0 and 1439),
    utc_offset_minutes smallint not null default 0 check (utc_offset_minutes between -720 and 840),
    updated_at timestamptz not null,
    check ((quiet_from is null) = (quiet_until is null) and (quiet_from is null or quiet_from <> quiet_until))
);
