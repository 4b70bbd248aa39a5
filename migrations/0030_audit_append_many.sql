-- several entries appended in one statement, in the order given, under one chain lock, one
-- read of the head and one commit: the access entries of reads that arrive together
-- (audit::group) join the chain as a group instead of queueing for the lock one by one.
-- each entry is hashed exactly as audit_append (0028) hashes one:
--     hash = sha-256(before || seq || after || prev_hash)
-- the arrays are parallel, one element per entry.
create function audit_append_many(
    p_before bytea[],
    p_after bytea[],
    p_occurred_at timestamptz[],
    p_actor_kind text[],
    p_actor_id text[],
    p_action text[],
    p_subject_kind text[],
    p_subject_id text[],
    p_rationale_sealed bytea[],
    p_rationale_case uuid[],
    p_details jsonb[],
    -- as in audit_append: only for reads' access entries, in a transaction of their own.
    p_lazy_commit boolean
) returns table (appended_seq bigint, appended_hash bytea)
language plpgsql volatile as $$
declare
    v_seq bigint;
    v_prev bytea;
    v_hash bytea;
    v_count int := coalesce(array_length(p_before, 1), 0);
begin
    if v_count = 0 then
        return;
    end if;
    if array_length(p_after, 1) is distinct from v_count
       or array_length(p_occurred_at, 1) is distinct from v_count
       or array_length(p_actor_kind, 1) is distinct from v_count
       or array_length(p_actor_id, 1) is distinct from v_count
       or array_length(p_action, 1) is distinct from v_count
       or array_length(p_subject_kind, 1) is distinct from v_count
       or array_length(p_subject_id, 1) is distinct from v_count
       or array_length(p_rationale_sealed, 1) is distinct from v_count
       or array_length(p_rationale_case, 1) is distinct from v_count
       or array_length(p_details, 1) is distinct from v_count then
        raise exception 'audit_append_many: the arrays differ in length';
    end if;
    if p_lazy_commit then
        perform set_config('synchronous_commit', 'off', true);
    end if;
    -- audit::CHAIN_LOCK, as in audit_append and the batch append.
    perform pg_advisory_xact_lock(6001122697604846081);
    select a.seq, a.hash into v_seq, v_prev from audit_log a order by a.seq desc limit 1;
    v_seq := coalesce(v_seq, 0);
    v_prev := coalesce(v_prev, decode(repeat('00', 32), 'hex'));
    for i in 1 .. v_count loop
        v_seq := v_seq + 1;
        v_hash := sha256(p_before[i] || int8send(v_seq) || p_after[i] || v_prev);
        insert into audit_log (seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id,
                               rationale_sealed, rationale_case, details, prev_hash, hash)
        values (v_seq, p_occurred_at[i], p_actor_kind[i], p_actor_id[i], p_action[i], p_subject_kind[i],
                p_subject_id[i], p_rationale_sealed[i], p_rationale_case[i], p_details[i], v_prev, v_hash);
        appended_seq := v_seq;
        appended_hash := v_hash;
        return next;
        v_prev := v_hash;
    end loop;
end;
$$;
