-- the alumni registry's review findings (issue 17).

-- purging a case keeps the status and date of the timeline entries recorded from it (the
-- member's history, which the registry keeps) but empties what they said: their source and
-- note are sealed with the member's key, which outlives the case's, so only deleting them
-- shreds them. an entry without either is one whose words went with its case.
alter table alumni_status
    alter column source_sealed drop not null,
    alter column note_sealed drop not null,
    add constraint alumni_status_words_together check ((source_sealed is null) = (note_sealed is null));

-- which normal form a member's name tokens were made with (shelter_shared::alumni::names::
-- VERSION). tokens are keyed hashes, so no migration can remake them: the server does, at
-- start-up (and `shelter alumni reindex`), for every member below the current version.
-- members indexed before this column were made with the first.
alter table alumni_member add column name_index_version integer not null default 1;
create index alumni_member_stale_names on alumni_member (name_index_version);
