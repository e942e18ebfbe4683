using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Review;

/// <summary>Bounds how many package checks run at once (<see cref="ReviewOptions.VerifyMaxConcurrent"/>); one more is turned away, not queued.</summary>
public sealed class VerifyGate(IOptions<ReviewOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _permits = new(options.Value.VerifyMaxConcurrent, options.Value.VerifyMaxConcurrent);

    public bool TryEnter() => _permits.Wait(0);

    public void Exit() => _permits.Release();

    public void Dispose() => _permits.Dispose();
}
