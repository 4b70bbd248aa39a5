-- the alumni registry's review findings (issue 17).

-- purging a case keeps the status and date of the timeline entries recorded from it (the
-- member's history, which the registry keeps) but empties what they said: their source and
-- note are sealed with the member's key, which outlives the case's, so only deleting them
-- shreds them. an entry without either is one whose words went with its case.
alter table alumni_status
    alter column source_sealed drop not null,
    alter column note_sealed drop not null,
    add constraint alumni_status_words_together check ((source_sealed is null) = (note_sealed is null));
