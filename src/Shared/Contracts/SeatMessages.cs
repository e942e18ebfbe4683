using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Shared.Contracts;

/// <summary>One service window as its Recorder is configured now (settings file with seat overrides applied).</summary>
public sealed record WindowConfigured(
    string CameraId,
    string WindowId,
    string Name,
    IReadOnlyList<string> Departments,
    IReadOnlyList<double[]> Seat,
    int Headcount,
    TimeSpan EntryDebounce,
    TimeSpan ExitDebounce,
    TimeSpan LeaveThreshold,
    IReadOnlyList<string>? ClosedDays = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] TimeSpan? InactiveThreshold = null);

/// <summary>
/// Every window of a Recorder, and the hall's opening hours (so the Console can count a day the Recorder has not
/// closed yet in opening hours only); sent on each connect and after a seat change, and replaces what the Console knew.
/// </summary>
public sealed record WindowsReported(IReadOnlyList<WindowConfigured> Windows, HallHours? Schedule = null);

/// <summary>A hall's schedule on the wire: the same fields as <see cref="ScheduleOptions"/>, with its defaults applied.</summary>
public sealed record HallHours(string TimeZone, IReadOnlyList<string> Hours, IReadOnlyList<DayOfWeek> WorkDays, IReadOnlyList<string> Holidays, IReadOnlyList<string> MakeUpDays)
{
    public static HallHours From(ScheduleOptions options) =>
        new(options.TimeZone, [.. options.EffectiveHours], [.. options.EffectiveWorkDays], [.. options.Holidays], [.. options.MakeUpDays]);

    public ScheduleOptions ToOptions() => new()
    {
        TimeZone = TimeZone,
        Hours = [.. Hours ?? []],
        WorkDays = [.. WorkDays ?? []],
        Holidays = [.. Holidays ?? []],
        MakeUpDays = [.. MakeUpDays ?? []],
    };
}

/// <summary>An admin moved a window's seat polygon at the Console; the Recorder applies it without a restart.</summary>
public sealed record SeatChangeRequested(string ChangeId, string CameraId, string WindowId, IReadOnlyList<double[]> Seat, string RequestedBy);

/// <summary>The Recorder's answer to a <see cref="SeatChangeRequested"/>: applied (and persisted), or refused with the reason.</summary>
public sealed record SeatChangeApplied(string ChangeId, string CameraId, string WindowId, bool Applied, string? Reason);

/// <summary>Rules for a seat polygon both ends apply: normalised 0..1 points, a simple polygon of 3 to <see cref="MaxPoints"/> points.</summary>
public static class SeatPolygon
{
    public const int MaxPoints = 32;

    /// <summary>Smallest area (share of the frame) a seat may cover; anything smaller is a slip of the mouse.</summary>
    public const double MinArea = 0.0005;

    /// <summary>The problem with <paramref name="seat"/>, or null when it is a usable seat polygon.</summary>
    public static string? Check(IReadOnlyList<double[]>? seat)
    {
        if (seat is null || seat.Count < 3)
        {
            return "a seat needs at least 3 points";
        }

        if (seat.Count > MaxPoints)
        {
            return $"a seat has at most {MaxPoints} points";
        }

        for (var i = 0; i < seat.Count; i++)
        {
            if (seat[i] is not { Length: 2 } p || !double.IsFinite(p[0]) || !double.IsFinite(p[1]) || p[0] is < 0 or > 1 || p[1] is < 0 or > 1)
            {
                return $"point {i + 1} must be [x, y] with both between 0 and 1";
            }
        }

        for (var i = 0; i < seat.Count; i++)
        {
            for (var j = i + 1; j < seat.Count; j++)
            {
                var adjacent = j == i + 1 || (i == 0 && j == seat.Count - 1);
                if (!adjacent && SegmentsTouch(seat[i], seat[(i + 1) % seat.Count], seat[j], seat[(j + 1) % seat.Count]))
                {
                    return $"the seat's edges {i + 1} and {j + 1} cross: the polygon must not intersect itself";
                }
            }
        }

        return Math.Abs(Area(seat)) < MinArea ? "the seat is too small (or its points lie on one line)" : null;
    }

    /// <summary>Signed area by the shoelace formula.</summary>
    public static double Area(IReadOnlyList<double[]> seat)
    {
        var sum = 0.0;
        for (var i = 0; i < seat.Count; i++)
        {
            var (a, b) = (seat[i], seat[(i + 1) % seat.Count]);
            sum += (a[0] * b[1]) - (b[0] * a[1]);
        }

        return sum / 2;
    }

    /// <summary>Whether two polygons have the same points in the same order (to 1e-6).</summary>
    public static bool SameAs(IReadOnlyList<double[]> a, IReadOnlyList<double[]> b) =>
        a.Count == b.Count && a.Zip(b).All(p => Math.Abs(p.First[0] - p.Second[0]) < 1e-6 && Math.Abs(p.First[1] - p.Second[1]) < 1e-6);

    private static bool SegmentsTouch(double[] p1, double[] p2, double[] q1, double[] q2)
    {
        var d1 = Cross(q1, q2, p1);
        var d2 = Cross(q1, q2, p2);
        var d3 = Cross(p1, p2, q1);
        var d4 = Cross(p1, p2, q2);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        {
            return true;
        }

        // Collinear touching (a point of one edge lying on the other) also makes the outline ambiguous.
        return (d1 == 0 && OnSegment(q1, q2, p1)) || (d2 == 0 && OnSegment(q1, q2, p2))
            || (d3 == 0 && OnSegment(p1, p2, q1)) || (d4 == 0 && OnSegment(p1, p2, q2));
    }

    private static double Cross(double[] a, double[] b, double[] c) => ((b[0] - a[0]) * (c[1] - a[1])) - ((b[1] - a[1]) * (c[0] - a[0]));

    private static bool OnSegment(double[] a, double[] b, double[] p) =>
        Math.Min(a[0], b[0]) <= p[0] && p[0] <= Math.Max(a[0], b[0]) && Math.Min(a[1], b[1]) <= p[1] && p[1] <= Math.Max(a[1], b[1]);
}

/// <summary>Where a seat change stands: sent and waiting for the Recorder, applied there, or refused with a reason.</summary>
public static class SeatChangeStates
{
    public const string Pending = "Pending";
    public const string Applied = "Applied";
    public const string Refused = "Refused";
}

/// <summary>One seat change as supervisors see it.</summary>
public sealed record SeatChangeView(
    string ChangeId,
    string CameraId,
    string WindowId,
    IReadOnlyList<double[]> Seat,
    string State,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? AnsweredAt,
    string? Reason);

/// <summary>A site's windows as its Recorder last reported them, with each window's latest seat change.</summary>
public sealed record SiteSeatsChanged(
    string SiteId,
    DateTimeOffset? ReportedAt,
    IReadOnlyList<WindowConfigured> Windows,
    IReadOnlyList<SeatChangeView> Changes);
