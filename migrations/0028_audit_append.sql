-- one entry appended to the trail in one statement: the chain lock, the read of the head,
-- the hash and the insert happen in a single round trip, so the lock is held for the append
-- itself and not across several trips between the application and the database.
-- the encoding stays in the application (audit::chain): it sends the bytes hashed before and
-- after the sequence number, and this joins them with the number and the head's hash:
--     hash = sha-256(before || seq || after || prev_hash)
-- a volatile function reads the head with a snapshot taken after the lock is granted, so an
-- append committed while this one waited is seen and followed.
create function audit_append(
    p_before bytea,
    p_after bytea,
    p_occurred_at timestamptz,
    p_actor_kind text,
    p_actor_id text,
    p_action text,
    p_subject_kind text,
    p_subject_id text,
    p_rationale_sealed bytea,
    p_rationale_case uuid,
    p_details jsonb,
    -- a read's access entry, appended in a transaction of its own: its commit need not wait
    -- for the disk (see audit::record_read_on). never true inside another change's transaction.
    p_lazy_commit boolean
) returns table (appended_seq bigint, appended_hash bytea)
language plpgsql volatile as $$
declare
    v_seq bigint;
    v_prev bytea;
    v_hash bytea;
begin
    if p_lazy_commit then
        perform set_config('synchronous_commit', 'off', true);
    end if;
    -- audit::CHAIN_LOCK (0x5348454c54455201): the same lock as the batch append takes.
    perform pg_advisory_xact_lock(6001122697604846081);
    select a.seq, a.hash into v_seq, v_prev from audit_log a order by a.seq desc limit 1;
    v_seq := coalesce(v_seq, 0) + 1;
    v_prev := coalesce(v_prev, decode(repeat('00', 32), 'hex'));
    v_hash := sha256(p_before || int8send(v_seq) || p_after || v_prev);
    insert into audit_log (seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale_sealed,
                           rationale_case, details, prev_hash, hash)
    values (v_seq, p_occurred_at, p_actor_kind, p_actor_id, p_action, p_subject_kind, p_subject_id, p_rationale_sealed,
            p_rationale_case, p_details, v_prev, v_hash);
    return query select v_seq, v_hash;
end;
$$;
