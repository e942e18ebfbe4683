namespace ServiceHall.Shared.Contracts;

/// <summary>
/// The three moments of one absence, named and shown the same wherever it appears (the alert, the alert feed, the site
/// page, the review page's events, the absence episodes): <paramref name="LastSeenAt"/>, the last analysed frame that
/// showed someone at the seat (null when nobody was seen, or from an older Recorder); <paramref name="VacatedAt"/>, when
/// the exit debounce confirmed the seat empty (the <see cref="WindowVacated"/> event); <paramref name="UnstaffedAt"/>,
/// when the leave threshold passed while the window should be open (the <see cref="WindowUnstaffed"/> event, which
/// raises the alert). The attendance ledger counts absence from the first empty frame, one analysed frame after
/// <paramref name="LastSeenAt"/>.
/// </summary>
public sealed record AbsenceTimes(DateTimeOffset? LastSeenAt, DateTimeOffset? VacatedAt, DateTimeOffset? UnstaffedAt)
{
    /// <summary>The moments an occupancy event knows of the absence it begins, confirms or ends; null for other events.</summary>
    public static AbsenceTimes? Of(SiteEvent siteEvent) => siteEvent switch
    {
        WindowVacated v => new(v.LastSeenAt, v.OccurredAt, null),
        WindowUnstaffed u => new(u.LastSeenAt, u.VacatedAt, u.OccurredAt),
        WindowRestaffed r => new(r.LastSeenAt, r.VacatedAt, r.UnstaffedAt),
        _ => null,
    };
}
