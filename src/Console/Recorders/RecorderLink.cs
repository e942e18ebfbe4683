using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Recorders;

/// <summary>
/// Sends to the Recorder of one site. Features reach Recorders through this rather than through the hub itself, so
/// that <c>Hubs/</c>, which calls into the features, is imported by none of them.
/// </summary>
public interface IRecorderLink
{
    /// <summary>The site's Recorder; a send while it is not connected goes nowhere (it is greeted again when it connects).</summary>
    IRecorderClient Site(string siteId);
}

/// <summary>
/// Something a feature owes a Recorder as it connects: requests it has not confirmed yet (holds, clips) or the current
/// state of things it must know (watched cameras). Every greeter runs at each connect, in registration order.
/// </summary>
public interface IRecorderGreeter
{
    Task GreetAsync(string siteId, IRecorderClient recorder);
}
