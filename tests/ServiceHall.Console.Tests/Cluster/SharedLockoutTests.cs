using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Auth;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>Two real Console nodes on one real Redis: guesses spread over the nodes behind the proxy count together.</summary>
public sealed class SharedLockoutTests
{
    [Fact]
    public async Task GuessesAlternatingBetweenNodes_LockTheNameOnBoth()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] args = [$"--Cluster:Redis={redis.Configuration}", "--Auth:LockoutDuration=00:05:00"];
        await using var node1 = await ConsoleServer.StartAsync(args);
        await using var node2 = await ConsoleServer.StartAsync(args);
        using var client1 = node1.AnonymousClient();
        using var client2 = node2.AnonymousClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await GuessAsync(i % 2 == 0 ? client1 : client2, i));
        }

        await Eventually.True(() => node2.App.Services.GetRequiredService<AccountLockout>().LockedFor("zhao") is not null, TimeSpan.FromSeconds(10), "node 2 to count node 1's guesses");
        var sixthOnNode2 = await GuessAsync(client2, 5);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, sixthOnNode2);
    }

    private static async Task<HttpStatusCode> GuessAsync(HttpClient client, int n) =>
        (await client.PostAsJsonAsync("/api/auth/login", new { user = "zhao", password = $"guess-{n}" })).StatusCode;
}
