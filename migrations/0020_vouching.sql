-- vouching (issue 17): a handler asks trusted people (registry members or partner
-- accounts) one question about the requester; each answers once through a link that only
-- they received. the answers are attestations: grant approval counts the confirmations.

create table vouch_request (
    vouch_request_id uuid primary key,
    case_id uuid not null references cases,
    -- the handler's question, sealed with the case key: the only thing a voucher reads.
    -- emptied when the case is purged.
    question_sealed bytea,
    asked_by uuid not null references staff_user,
    asked_at timestamptz not null,
    -- links stop working then (72 hours after asking).
    expires_at timestamptz not null,
    check (expires_at > asked_at)
);
create index vouch_request_case on vouch_request (case_id, asked_at desc);

-- one person asked: a member of the registry or a partner organisation's account.
create table vouch_invite (
    invite_id uuid primary key,
    vouch_request_id uuid not null references vouch_request on delete cascade,
    member_id uuid references alumni_member,
    partner_user_id uuid references staff_user,
    -- the record asked: one per request.
    voucher text generated always as (coalesce('member:' || member_id::text, 'partner:' || partner_user_id::text)) stored,
    -- where the link goes, fixed when asking (a later change of contact does not redirect it):
    -- sealed under the directory key, and a keyed hash of its normal form. two records that
    -- share one address are one person: they are asked once and count once.
    destination_sealed bytea not null,
    -- its copy under the next master key while `shelter keys rotate` runs.
    destination_sealed_next bytea,
    destination_hash bytea not null,
    channel text not null check (channel in ('email', 'webhook')),
    -- sha-256 of the random secret in the link, set when the link leaves (each sending draws a
    -- new one): neither the database nor the key files can make a link.
    secret_hash bytea,
    language text not null check (length(language) between 2 and 10),
    answer text check (answer in ('confirm', 'cannot_confirm', 'concerned')),
    -- the voucher's optional comment, sealed with the case key.
    comment_sealed bytea,
    answered_at timestamptz,
    check ((member_id is null) <> (partner_user_id is null)),
    check ((answer is null) = (answered_at is null)),
    unique (vouch_request_id, voucher),
    unique (vouch_request_id, destination_hash)
);
create index vouch_invite_request on vouch_invite (vouch_request_id);

create trigger vouch_invite_destination_copy before update of destination_sealed on vouch_invite
    for each row execute function keyring_drop_stale_copy('destination_sealed', 'destination_sealed_next');

-- a delivery may carry a voucher's link: it is for a staff account, a requester's case, or
-- an invite, never two.
alter table notice_delivery
    add column vouch_invite_id uuid references vouch_invite (invite_id) on delete cascade,
    drop constraint notice_delivery_one_recipient,
    add constraint notice_delivery_one_recipient check (num_nonnulls(staff_user_id, requester_case_id, vouch_invite_id) = 1);
create unique index notice_delivery_invite_once
    on notice_delivery (notice_id, vouch_invite_id, channel) where vouch_invite_id is not null;

-- an answer is recorded in the audit trail by the voucher, named by the invite's id.
alter table audit_log drop constraint audit_log_actor_kind_check,
    add constraint audit_log_actor_kind_check check (actor_kind in ('staff', 'requester', 'system', 'voucher'));

-- grants no longer name their vouchers in free text: the case's attestations replace them.
-- grants proposed before keep what they named, shown as unverified.
alter table grants alter column vouchers_sealed drop not null,
    alter column voucher_count drop not null;
