using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>Alerts that follow from a site's live status: Recorder offline, disk low, clock skewed.</summary>
public static class FleetAlerts
{
    public static IReadOnlyList<AlertView> Evaluate(SiteStatusChanged status, AlertEngine alerts, AlertOptions options, DateTimeOffset now)
    {
        var changes = new List<AlertView>();
        void Add(AlertView? view)
        {
            if (view is not null)
            {
                changes.Add(view);
            }
        }

        // A site that never reported since the Console started is unknown, not offline.
        if (status.LastHeartbeatAt is { } last)
        {
            Add(status.Online
                ? alerts.ResolveCause(AlertTypes.RecorderOffline, status.SiteId, "")
                : alerts.Raise(AlertTypes.RecorderOffline, status.SiteId, status.District, "", $"Recorder silent since {last:u}", last));
        }

        if (status.Online && status.FreeDiskBytes is { } free)
        {
            Add(free < options.DiskLowBytes
                ? alerts.Raise(AlertTypes.DiskLow, status.SiteId, status.District, "", $"{free / (1024 * 1024)} MiB free, below {options.DiskLowBytes / (1024 * 1024)} MiB", now)
                : alerts.ResolveCause(AlertTypes.DiskLow, status.SiteId, ""));
        }

        if (status.Online && status.ClockSkewSeconds is { } skew)
        {
            Add(Math.Abs(skew) > options.MaxClockSkew.TotalSeconds
                ? alerts.Raise(AlertTypes.ClockSkew, status.SiteId, status.District, "", $"Recorder clock is {skew:+0.0;-0.0} s off the Console's", now)
                : alerts.ResolveCause(AlertTypes.ClockSkew, status.SiteId, ""));
        }

        return changes;
    }
}
