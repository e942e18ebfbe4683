using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Scheduling;

namespace ServiceHall.Console.Seats;

/// <summary>
/// Carries seat changes between admins and Recorders: stores each change before sending it, sends again whatever a
/// reconnecting Recorder has not yet applied, and shows every step to the site's watchers.
/// </summary>
public sealed partial class SeatRelay(
    SeatStore store,
    IHubContext<RecorderHub, IRecorderClient> recorders,
    FleetBroadcaster broadcaster,
    ILogger<SeatRelay> logger)
{
    public const int MaxWindows = 256;

    /// <summary>The problem with a Recorder's window report, or null when it is fine.</summary>
    /// <summary>Most holidays, make-up days or closed days one report may list.</summary>
    public const int MaxDates = 400;

    public static string? Check(WindowsReported? report)
    {
        if (report?.Windows is null || report.Windows.Count > MaxWindows)
        {
            return $"windows missing or more than {MaxWindows}";
        }

        foreach (var w in report.Windows)
        {
            if (w is null || !Slug.IsValid(w.CameraId) || !Slug.IsValid(w.WindowId))
            {
                return "camera or window id is not a slug";
            }

            if ((w.Name?.Length ?? 0) > RecorderMessageRules.MaxTextLength || w.Departments is null || w.Departments.Count > 32
                || w.Departments.Any(d => d is null || d.Length is 0 or > 100))
            {
                return $"window {w.WindowId}: name or departments missing or too long";
            }

            if (w.Seat is null || w.Seat.Count > 64 || w.Seat.Any(p => p is not { Length: 2 } || p.Any(c => !double.IsFinite(c) || c is < 0 or > 1)))
            {
                return $"window {w.WindowId}: seat points must be [x, y] between 0 and 1";
            }

            if (w.ClosedDays is { Count: > MaxDates })
            {
                return $"window {w.WindowId}: more than {MaxDates} closed days";
            }

            if (w.ClosedDays is { } closed && ScheduleOptions.CheckDates(closed, $"window {w.WindowId}: closedDays").FirstOrDefault() is { } badDay)
            {
                return badDay;
            }
        }

        if (report.Schedule is { } hours)
        {
            if (hours.Hours is null || hours.WorkDays is null || hours.Holidays is null || hours.MakeUpDays is null
                || hours.Hours.Count > 16 || hours.Holidays.Count > MaxDates || hours.MakeUpDays.Count > MaxDates || hours.TimeZone is null)
            {
                return $"schedule: lists missing, more than 16 opening hours or more than {MaxDates} dates";
            }

            if (hours.ToOptions().Check("schedule").FirstOrDefault() is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>A Recorder reported its windows: store them, send it the changes it still lacks, show the site.</summary>
    public async Task ReportedAsync(string siteId, WindowsReported report, IRecorderClient caller)
    {
        foreach (var change in store.Reported(siteId, report))
        {
            LogResent(logger, siteId, change.Id, change.WindowId);
            await caller.ChangeSeat(change.Request());
        }

        await broadcaster.SeatsChanged(store.View(siteId));
    }

    public async Task AnsweredAsync(string siteId, SeatChangeApplied result)
    {
        if (store.Answered(siteId, result))
        {
            LogAnswered(logger, siteId, result.ChangeId, result.Applied, result.Reason ?? "");
            await broadcaster.SeatsChanged(store.View(siteId));
        }
    }

    /// <summary>An admin's change: stored Pending first, then sent to the site's Recorder if it is connected (else on its next connect).</summary>
    public async Task<SeatChangeView> RequestAsync(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy)
    {
        var change = store.Request(siteId, cameraId, windowId, seat, requestedBy);
        await recorders.Clients.Group(Groups.Recorder(siteId)).ChangeSeat(change.Request());
        await broadcaster.SeatsChanged(store.View(siteId));
        return change.View();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId}: seat change {ChangeId} of window {WindowId} sent again")]
    private static partial void LogResent(ILogger logger, string siteId, string changeId, string windowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId}: seat change {ChangeId} answered, applied={Applied} {Reason}")]
    private static partial void LogAnswered(ILogger logger, string siteId, string changeId, bool applied, string reason);
}
