using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Auth;

/// <summary>Two real Console nodes on one real PostgreSQL database share the data-protection key ring.</summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task WhatOneNodeSeals_TheOtherOpens_AndTheDatabaseHoldsOnlyEncryptedKeys()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        var args = TestKeyRing.PostgresConsoleArgs(world.Options.Value.ConnectionString!);
        await using var node1 = await ConsoleServer.StartAsync(args);
        await using var node2 = await ConsoleServer.StartAsync(args);

        var sealedByNode1 = Protector(node1).Protect("a sign-in ticket");
        var opened = Protector(node2).Unprotect(sealedByNode1);

        Assert.Equal("a sign-in ticket", opened);
        using var connection = new NpgsqlConnection(world.Options.Value.ConnectionString);
        connection.Open();
        using var read = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        var keys = new List<string>();
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Single(keys);
        Assert.Contains("encryptedSecret", keys[0], StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keys[0], StringComparison.Ordinal);
        Assert.False(Directory.EnumerateFiles(Path.Combine(node1.DataDirectory, "keys")).Any(), "no key written to node 1's folder");
    }

    [Fact]
    public async Task PostgresWithoutAKeyRingCertificate_StopsTheStart_Naming_It()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ConsoleServer.StartAsync(
            "--Storage:Provider=postgres", $"--Storage:ConnectionString={world.Options.Value.ConnectionString}"));

        Assert.Contains(error.Failures, f => f.Contains("Auth:DataProtectionCertificate", StringComparison.Ordinal) && f.Contains("'postgres'", StringComparison.Ordinal));
    }

    private static IDataProtector Protector(ConsoleServer node) =>
        node.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ServiceHall.Tests.SharedKeyRing");
}
