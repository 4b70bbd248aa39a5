-- How each staff member and partner lawyer reads the staff pages: in which of the seven
-- languages, and with times in which zone (minutes east of UTC; the region keeps no
-- daylight saving, so an offset is exact). A display preference, not a decision: no audit.
alter table staff_user
    add column language text not null default 'en'
        check (language in ('en', 'my', 'th', 'km', 'lo', 'vi', 'zh-Hans')),
    add column utc_offset_minutes smallint not null default 0
        check (utc_offset_minutes between -720 and 840 and utc_offset_minutes % 15 = 0);
