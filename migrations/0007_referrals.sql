-- legal referrals: a minimal packet for one partner, sent only with the requester's consent.

create table referral (
    referral_id uuid primary key,
    case_id uuid not null references cases (case_id) on delete cascade,
    partner_id uuid not null references partner (partner_id),
    status text not null check (status in ('draft', 'awaiting_approval', 'awaiting_consent', 'sent', 'accepted',
                                           'declined', 'concluded', 'withdrawn')),
    purpose text not null,
    -- which parts of the case the packet holds (the requester sees exactly these).
    fields text[] not null,
    -- the packet, sealed with the case key: what the partner will see.
    packet_sealed bytea not null,
    proposed_by uuid not null references staff_user (staff_user_id),
    approved_by uuid references staff_user (staff_user_id),
    consent_by text check (consent_by in ('requester', 'staff')),
    consented_at timestamptz,
    sent_at timestamptz,
    answered_at timestamptz,
    -- the partner's reason for declining, or their outcome, sealed with the case key.
    answer_sealed bytea,
    withdrawn_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index referral_case on referral (case_id, created_at);
create index referral_partner on referral (partner_id, status);

-- messages between the partner and the network about one referral, sealed with the case key.
create table referral_message (
    message_id uuid primary key,
    referral_id uuid not null references referral (referral_id) on delete cascade,
    author uuid not null references staff_user (staff_user_id),
    from_partner boolean not null,
    ciphertext bytea not null,
    created_at timestamptz not null
);
create index referral_message_referral on referral_message (referral_id, created_at);
