-- where notices go, sealed; digests of non-urgent notices; the language of one's notices;
-- and requesters who asked to be told that there is news.

-- a person's own address for notices (e-mail) and messenger handle (for the bridge),
-- each sealed under the directory key and bound to its account; none means the sign-in
-- address (e-mail) or the bridge's own mapping of the account id (webhook).
alter table notice_preference
    add column address_sealed bytea,
    add column handle_sealed bytea,
    -- non-urgent notices by e-mail and webhook: each at once, or gathered hourly or daily.
    add column digest text not null default 'none' check (digest in ('none', 'hourly', 'daily')),
    add column language text not null default 'en' check (length(language) between 2 and 10);

-- a requester who opted in: told "there is news", in their language, from a neutral sender.
-- the address is sealed with the case's own key, so it goes with the case. no row: off.
create table requester_notice_contact (
    case_id uuid primary key references cases (case_id) on delete cascade,
    channel text not null check (channel in ('email', 'webhook')),
    address_sealed bytea not null,
    language text not null check (length(language) between 2 and 10),
    created_at timestamptz not null
);

-- a delivery is for a staff account or for a requester's case, never both.
alter table notice_delivery
    alter column staff_user_id drop not null,
    add column requester_case_id uuid references cases (case_id) on delete cascade,
    -- a non-urgent notice gathered into its recipient's digest: sent with the others due then.
    add column digest boolean not null default false,
    add constraint notice_delivery_one_recipient check ((staff_user_id is null) <> (requester_case_id is null));
create unique index notice_delivery_requester_once
    on notice_delivery (notice_id, requester_case_id, channel) where requester_case_id is not null;

-- when a digest delivery queued at `now` goes: at the next full hour, or at 08:00 the next
-- morning in the recipient's own offset from utc.
create function notice_digest_at(now timestamptz, digest text, offset_minutes smallint) returns timestamptz
language sql stable as $$
    select case digest
        when 'hourly' then (date_trunc('hour', now at time zone 'UTC') + interval '1 hour') at time zone 'UTC'
        else (date_trunc('day', (now at time zone 'UTC') + make_interval(mins => offset_minutes) - interval '8 hours')
              + interval '1 day 8 hours' - make_interval(mins => offset_minutes)) at time zone 'UTC'
    end
$$;
