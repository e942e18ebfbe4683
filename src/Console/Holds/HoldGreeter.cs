using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Holds;

/// <summary>Sends a connecting Recorder every hold request it has not confirmed yet.</summary>
public sealed class HoldGreeter(IHoldStore holds) : IRecorderGreeter
{
    public async Task GreetAsync(string siteId, IRecorderClient recorder)
    {
        foreach (var hold in holds.Pending(siteId))
        {
            await hold.SendTo(recorder);
        }
    }
}
