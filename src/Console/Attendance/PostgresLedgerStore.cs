using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Attendance;

/// <summary>
/// The ledger's days on PostgreSQL, shared by every Console node; the key (site, day, window) makes a day sent
/// again, to whichever node, replace the earlier copy.
/// </summary>
public sealed class PostgresLedgerStore(PostgresDatabase db) : ILedgerStore
{
    public bool IsEmpty() => !db.Scalar<bool>("SELECT EXISTS (SELECT 1 FROM attendance_days)");

    public void Save(LedgerDay day) =>
        db.Execute(
            """
            INSERT INTO attendance_days (site_id, day, window_id, scheduled_seconds, staffed_seconds, away_seconds,
                unstaffed_seconds, unknown_seconds, inactive_seconds, absences)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (site_id, day, window_id) DO UPDATE SET
                scheduled_seconds = excluded.scheduled_seconds, staffed_seconds = excluded.staffed_seconds,
                away_seconds = excluded.away_seconds, unstaffed_seconds = excluded.unstaffed_seconds,
                unknown_seconds = excluded.unknown_seconds, inactive_seconds = excluded.inactive_seconds,
                absences = excluded.absences
            """,
            day.SiteId,
            day.Day,
            day.WindowId,
            day.ScheduledSeconds,
            day.StaffedSeconds,
            day.AwaySeconds,
            day.UnstaffedSeconds,
            day.UnknownSeconds,
            day.InactiveSeconds,
            day.Absences);

    public IReadOnlyList<LedgerDay> ForDay(string siteId, string day) =>
        db.Query(
            """
            SELECT site_id, day, window_id, scheduled_seconds, staffed_seconds, away_seconds, unstaffed_seconds,
                unknown_seconds, inactive_seconds, absences
            FROM attendance_days WHERE site_id = $1 AND day = $2 ORDER BY window_id COLLATE "C"
            """,
            row => new LedgerDay
            {
                Id = AttendanceLedger.Key(row.GetString(0), row.GetString(1), row.GetString(2)),
                SiteId = row.GetString(0),
                Day = row.GetString(1),
                WindowId = row.GetString(2),
                ScheduledSeconds = row.GetDouble(3),
                StaffedSeconds = row.GetDouble(4),
                AwaySeconds = row.GetDouble(5),
                UnstaffedSeconds = row.GetDouble(6),
                UnknownSeconds = row.GetDouble(7),
                InactiveSeconds = row.GetDouble(8),
                Absences = row.GetInt32(9),
            },
            siteId,
            day);
}
