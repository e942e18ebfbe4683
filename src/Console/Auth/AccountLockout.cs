using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Auth;

/// <summary>
/// Failed sign-ins counted per account name, whatever address they come from: after
/// <see cref="AuthOptions.LockoutThreshold"/> failures in a row the name is locked, for
/// <see cref="AuthOptions.LockoutDuration"/> doubled with every further failure up to
/// <see cref="AuthOptions.LockoutMaxDuration"/>. Names that do not exist are counted alike, so a lock tells an
/// attacker nothing about which accounts exist. A successful sign-in resets the count. Kept in memory: a restart
/// forgets the counts, which costs an attacker a restart they cannot cause. Every failure and reset is told to the
/// other Console nodes, so spreading guesses over the nodes behind the proxy gains nothing.
/// </summary>
public sealed partial class AccountLockout(INodeBus bus, IOptions<AuthOptions> options, TimeProvider time, ILogger<AccountLockout> logger)
{
    /// <summary>Topic of sign-in outcomes between nodes.</summary>
    internal const string Topic = "auth-lockout";

    /// <summary>Enough for every real account plus a burst of made-up names; beyond it idle entries are dropped first.</summary>
    private const int MaxTrackedNames = 100_000;

    /// <summary>A name with no failure for this long starts from zero again.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, Attempts> _attempts = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="userName"/> stays locked; null when it may try now.</summary>
    public TimeSpan? LockedFor(string userName)
    {
        var now = time.GetUtcNow();
        return _attempts.TryGetValue(Key(userName), out var attempts) && attempts.LockedUntil > now ? attempts.LockedUntil - now : null;
    }

    /// <summary>Counts a failure; returns the lock it starts, if this failure starts one.</summary>
    public TimeSpan? Failed(string userName)
    {
        var now = time.GetUtcNow();
        var key = Key(userName);
        var attempts = Count(key, now);
        bus.Publish(Topic, new SignInCounted(key, Failed: true));
        if (attempts.LockedUntil <= now)
        {
            return null;
        }

        var lockFor = attempts.LockedUntil - now;
        LogLocked(logger, key, attempts.Failures, lockFor);
        return lockFor;
    }

    /// <summary>A successful sign-in: the count starts again.</summary>
    public void Succeeded(string userName)
    {
        var reset = new SignInCounted(Key(userName), Failed: false);
        Apply(reset);
        bus.Publish(Topic, reset);
    }

    /// <summary>A sign-in outcome on another node.</summary>
    internal void Apply(SignInCounted outcome)
    {
        if (outcome.Failed)
        {
            Count(outcome.Key, time.GetUtcNow());
        }
        else
        {
            _attempts.TryRemove(outcome.Key, out _);
        }
    }

    private Attempts Count(string key, DateTimeOffset now)
    {
        var settings = options.Value;
        if (_attempts.Count >= MaxTrackedNames)
        {
            Trim(now);
        }

        return _attempts.AddOrUpdate(
            key,
            _ => Next(new Attempts(0, now, DateTimeOffset.MinValue), now, settings),
            (_, old) => Next(now - old.LastFailure > ForgetAfter ? new Attempts(0, now, DateTimeOffset.MinValue) : old, now, settings));
    }

    /// <summary>The lock a failure count earns: none below the threshold, then the base duration doubling per failure.</summary>
    public static TimeSpan LockFor(int failures, AuthOptions settings)
    {
        if (failures < settings.LockoutThreshold)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - settings.LockoutThreshold, 30);
        var ticks = Math.Min(settings.LockoutDuration.Ticks * (1L << doublings), settings.LockoutMaxDuration.Ticks);
        return TimeSpan.FromTicks(ticks);
    }

    private static Attempts Next(Attempts old, DateTimeOffset now, AuthOptions settings)
    {
        var failures = old.Failures + 1;
        var lockFor = LockFor(failures, settings);
        return new Attempts(failures, now, lockFor > TimeSpan.Zero ? now + lockFor : old.LockedUntil);
    }

    // Sign-in names are user ids (slugs); folding case keeps "Admin" and "admin" in one count.
    private static string Key(string userName) => (userName.Length > 64 ? userName[..64] : userName).ToLowerInvariant();

    private void Trim(DateTimeOffset now)
    {
        foreach (var (name, attempts) in _attempts)
        {
            if (attempts.LockedUntil <= now && (now - attempts.LastFailure > ForgetAfter || attempts.Failures < options.Value.LockoutThreshold))
            {
                _attempts.TryRemove(name, out _);
            }
        }
    }

    private readonly record struct Attempts(int Failures, DateTimeOffset LastFailure, DateTimeOffset LockedUntil);

    /// <summary>A sign-in of an account name failed, or succeeded (the count starts again), on some node.</summary>
    internal sealed record SignInCounted(string Key, bool Failed);

    /// <summary>Applies the other nodes' sign-in outcomes.</summary>
    public sealed class Sharing(INodeBus bus, AccountLockout lockout) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            bus.SubscribeAsync<SignInCounted>(Topic, outcome =>
            {
                lockout.Apply(outcome);
                return Task.CompletedTask;
            });

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Account '{User}' locked for {Duration} after {Failures} failed sign-ins")]
    private static partial void LogLocked(ILogger logger, string user, int failures, TimeSpan duration);
}
