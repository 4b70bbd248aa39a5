-- When each staff member last opened each case's page: the queue marks a case "unread"
-- when its requester wrote after that (or the viewer never opened it). A read receipt
-- for the network's own work, not an audit record (case.read stays in the audit trail).
create table case_view (
    case_id uuid not null references cases (case_id) on delete cascade,
    staff_user_id uuid not null references staff_user (staff_user_id),
    seen_at timestamptz not null,
    primary key (case_id, staff_user_id)
);
