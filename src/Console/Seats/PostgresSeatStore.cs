using Npgsql;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>
/// Reported windows and seat changes in PostgreSQL. A report and a request each run in one transaction under the
/// site's advisory lock, so two nodes never leave two pending changes of one window nor answer one change twice.
/// </summary>
public sealed class PostgresSeatStore(PostgresDatabase db, TimeProvider time) : SeatStore
{
    private const string ChangeColumns = "id, site_id, camera_id, window_id, seat_json, state, requested_by, requested_at, answered_at, reason";

    public override IReadOnlyList<WindowConfigured> Windows(string siteId) => Site(siteId)?.Windows() ?? [];

    public override HallHours? Schedule(string siteId) => Site(siteId)?.Schedule();

    public override IReadOnlyDictionary<string, IReadOnlyList<WindowConfigured>> AllWindows()
    {
        using var connection = db.Open();
        return Sites(connection, "SELECT site_id, windows_json, schedule_json, reported_at FROM site_windows")
            .ToDictionary(s => s.Id, s => s.Windows(), StringComparer.Ordinal);
    }

    public override IReadOnlyList<SeatChangeRecord> Reported(string siteId, WindowsReported report)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        LockSite(connection, siteId);
        var now = time.GetUtcNow();
        var site = Report(siteId, report, now);
        connection.Execute(
            """
            INSERT INTO site_windows (site_id, windows_json, schedule_json, reported_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (site_id) DO UPDATE SET windows_json = excluded.windows_json, schedule_json = excluded.schedule_json, reported_at = excluded.reported_at
            """,
            site.Id, site.WindowsJson, site.ScheduleJson, now);

        var unsent = new List<SeatChangeRecord>();
        foreach (var change in Pending(connection, siteId))
        {
            if (InUse(change, report))
            {
                Answer(change, applied: true, null, now);
                SaveAnswer(connection, change);
            }
            else
            {
                unsent.Add(change);
            }
        }

        transaction.Commit();
        return unsent;
    }

    public override SeatChangeRecord Request(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        LockSite(connection, siteId);
        var now = time.GetUtcNow();
        foreach (var older in Pending(connection, siteId).Where(c => c.CameraId == cameraId && c.WindowId == windowId))
        {
            Answer(older, applied: false, Superseded, now);
            SaveAnswer(connection, older);
        }

        var change = NewChange(siteId, cameraId, windowId, seat, requestedBy, now);
        connection.Execute(
            $"INSERT INTO seat_changes ({ChangeColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)",
            change.Id, change.SiteId, change.CameraId, change.WindowId, change.SeatJson, change.State, change.RequestedBy, now);

        transaction.Commit();
        return change;
    }

    public override bool Answered(string siteId, SeatChangeApplied result)
    {
        // One statement: only the first answer of a pending change of this site updates a row.
        var answer = new SeatChangeRecord { Id = result.ChangeId, SiteId = siteId };
        Answer(answer, result.Applied, ReasonOf(result), time.GetUtcNow());
        using var connection = db.Open();
        return SaveAnswer(connection, answer);
    }

    public override SiteSeatsChanged View(string siteId)
    {
        using var connection = db.Open();
        return View(siteId, Site(connection, siteId), Changes(connection, "WHERE site_id = $1", siteId));
    }

    private static void LockSite(NpgsqlConnection connection, string siteId)
    {
        connection.Execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", "seats/" + siteId);
    }

    private static bool SaveAnswer(NpgsqlConnection connection, SeatChangeRecord change)
    {
        return connection.Execute(
            "UPDATE seat_changes SET state = $3, reason = $4, answered_at = $5 WHERE id = $1 AND site_id = $2 AND state = $6",
            change.Id, change.SiteId, change.State, change.Reason, PostgresCommands.Utc(change.AnsweredAtTicks), SeatChangeStates.Pending) == 1;
    }

    private static List<SeatChangeRecord> Pending(NpgsqlConnection connection, string siteId) =>
        Changes(connection, "WHERE site_id = $1 AND state = $2 ORDER BY requested_at", siteId, SeatChangeStates.Pending);

    private SiteWindowsRecord? Site(string siteId)
    {
        using var connection = db.Open();
        return Site(connection, siteId);
    }

    private static SiteWindowsRecord? Site(NpgsqlConnection connection, string siteId) =>
        Sites(connection, "SELECT site_id, windows_json, schedule_json, reported_at FROM site_windows WHERE site_id = $1", siteId).FirstOrDefault();

    private static List<SiteWindowsRecord> Sites(NpgsqlConnection connection, string sql, params object?[] values) =>
        connection.Query(
            reader => new SiteWindowsRecord
            {
                Id = reader.GetString(0),
                WindowsJson = reader.GetString(1),
                ScheduleJson = reader.Nullable<string>(2),
                ReportedAtTicks = reader.Ticks(3),
            },
            sql,
            values);

    private static List<SeatChangeRecord> Changes(NpgsqlConnection connection, string where, params object?[] values) =>
        connection.Query(
            reader => new SeatChangeRecord
            {
                Id = reader.GetString(0),
                SiteId = reader.GetString(1),
                CameraId = reader.GetString(2),
                WindowId = reader.GetString(3),
                SeatJson = reader.GetString(4),
                State = reader.GetString(5),
                RequestedBy = reader.GetString(6),
                RequestedAtTicks = reader.Ticks(7),
                AnsweredAtTicks = reader.NullableTicks(8),
                Reason = reader.Nullable<string>(9),
            },
            $"SELECT {ChangeColumns} FROM seat_changes {where}",
            values);
}
