using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>
/// Each site's windows as its Recorder last reported them, and the seat changes admins made. A change stays Pending
/// until the Recorder answers it, or until it reports that seat in use (an answer lost on the way).
/// </summary>
public interface ISeatStore
{
    IReadOnlyList<WindowConfigured> Windows(string siteId);

    /// <summary>The hall's opening hours as its Recorder last reported them; null before a Recorder has reported them.</summary>
    HallHours? Schedule(string siteId);

    /// <summary>Every site's reported windows (for department scopes).</summary>
    IReadOnlyDictionary<string, IReadOnlyList<WindowConfigured>> AllWindows();

    /// <summary>Stores a Recorder's report; pending changes it shows in use become Applied; returns those still to be sent.</summary>
    IReadOnlyList<SeatChangeRecord> Reported(string siteId, WindowsReported report);

    /// <summary>Records an admin's seat change as Pending; an older pending change of the same window is superseded.</summary>
    SeatChangeRecord Request(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy);

    /// <summary>The Recorder's answer; false if the change is unknown, of another site, or already answered.</summary>
    bool Answered(string siteId, SeatChangeApplied result);

    /// <summary>The site as supervisors see it: reported windows, and each window's latest seat change.</summary>
    SiteSeatsChanged View(string siteId);
}
