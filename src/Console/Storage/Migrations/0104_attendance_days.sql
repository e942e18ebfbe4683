-- The attendance ledger (Attendance/PostgresLedgerStore.cs): one row per closed window-day as its Recorder counted
-- it; a day sent again replaces the row.
CREATE TABLE attendance_days (
    site_id text NOT NULL,
    day text NOT NULL,
    window_id text NOT NULL,
    scheduled_seconds double precision NOT NULL,
    staffed_seconds double precision NOT NULL,
    away_seconds double precision NOT NULL,
    unstaffed_seconds double precision NOT NULL,
    unknown_seconds double precision NOT NULL,
    inactive_seconds double precision NOT NULL,
    absences integer NOT NULL,
    PRIMARY KEY (site_id, day, window_id)
);
