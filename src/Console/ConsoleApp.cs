using Microsoft.Extensions.Options;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Signing;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Secrets;

namespace ServiceHall.Console;

/// <summary>Entry point: runs the web Console, or an admin command (<c>sites ...</c>, <c>audit verify</c>) against its database.</summary>
public static class ConsoleApp
{
    public const string Usage = """
        ServiceHall Console

          ServiceHall.Console [--Key=Value ...]                 run the Console (configuration keys as in README)
          ServiceHall.Console sites add ID NAME DISTRICT [--key-file PATH] [--Key=Value ...]
                                                                register a site (or rename it) and issue a new key;
                                                                older keys are revoked; the key is printed once,
                                                                or written to PATH (mode 600)
          ServiceHall.Console sites list [--Key=Value ...]      list registered sites
          ServiceHall.Console signing rotate [--Key=Value ...]  retire the case-package signing key, start a new one
                                                                (old public keys stay published)
          ServiceHall.Console signing list [--Key=Value ...]    list the signing keys (id, created, retired)
          ServiceHall.Console verify CASE.zip [--keys KEYS.json] [--Storage:DataDirectory=DIR]
                                                                check a case package and its signature
          ServiceHall.Console backup --out FILE [--Key=Value ...]
                                                                copy the data folder (checkpointed database, signing
                                                                keys, key ring, kept clips) into one zip with SHA-256s;
                                                                run it with the Console stopped
          ServiceHall.Console restore --from FILE [--force] [--Key=Value ...]
                                                                restore a backup into an empty data folder (--force:
                                                                move a non-empty one aside first); refuses a damaged
                                                                or altered archive before writing anything
          ServiceHall.Console audit verify [--Key=Value ...]    check the audit log's hash chain (exit 1 and the first
                                                                broken entry when an entry was changed or removed);
                                                                run it with the Console stopped, or on a copy of the
                                                                data folder
        """;

    /// <summary>Builds the web Console; tests call this to run a real Console on a free loopback port.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.AddConsoleServices();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapConsole();
        return app;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            if (args.Length > 0 && !args[0].StartsWith('-'))
            {
                return RunCommand(args);
            }

            await using var app = Build(args);
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await System.Console.Error.WriteLineAsync("ServiceHall Console: invalid configuration:");
            foreach (var failure in ex.Failures)
            {
                await System.Console.Error.WriteLineAsync($"  {failure}");
            }

            return 2;
        }
        catch (SchemaMismatchException ex)
        {
            await System.Console.Error.WriteLineAsync($"ServiceHall Console: {ex.Message}");
            return 3;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            // Unreachable, refusing the role, no such database: one line an installer can act on, not a stack trace.
            await System.Console.Error.WriteLineAsync($"ServiceHall Console: cannot open the PostgreSQL database (Storage:ConnectionString): {ex.Message}");
            return 3;
        }
    }

    /// <summary>The Console's services over its data folder, not started: what an admin command works with.</summary>
    private static WebApplication CommandApp(string[] configArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs, ContentRootPath = AppContext.BaseDirectory });
        builder.AddConsoleServices();
        return builder.Build();
    }

    private static int RunCommand(string[] args)
    {
        if (args is ["backup" or "restore", ..])
        {
            return RunBackup(args);
        }

        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var keyFileIndex = Array.IndexOf(args, "--key-file");
        var keyFile = keyFileIndex >= 0 && keyFileIndex + 1 < args.Length ? args[keyFileIndex + 1] : null;
        positional.Remove(keyFile ?? "\0");
        var configArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();

        if (positional is ["signing", var action])
        {
            return RunSigning(action, configArgs);
        }

        if (positional is ["audit", "verify"])
        {
            using var auditApp = CommandApp(configArgs);
            return AuditVerifyCommand.Run(auditApp.Services.GetRequiredService<AuditLog>(), System.Console.Out);
        }

        if (positional is not ["sites", var verb, ..] || (verb == "add" && positional.Count != 5))
        {
            System.Console.Error.WriteLine(Usage);
            return 64;
        }

        using var app = CommandApp(configArgs);
        var sites = app.Services.GetRequiredService<ISiteStore>();
        switch (verb)
        {
            case "add":
                var site = sites.Upsert(positional[2], positional[3], positional[4]);
                var key = sites.IssueKey(site.Id, revokeOthers: true);
                if (keyFile is null)
                {
                    System.Console.WriteLine($"site {site.Id} key (shown once): {key}");
                }
                else
                {
                    PrivateFile.WriteAllText(keyFile, key);
                    System.Console.WriteLine($"site {site.Id}: key written to {keyFile}");
                }

                return 0;
            case "list":
                foreach (var s in sites.All())
                {
                    System.Console.WriteLine($"{s.Id}\t{s.Name}\t{s.District}\tkeys={s.Keys.Count(k => k.RevokedAt is null)}");
                }

                return 0;
            default:
                System.Console.Error.WriteLine(Usage);
                return 64;
        }
    }

    /// <summary>Storage settings as the Console would read them (appsettings, environment, <c>--Key=Value</c>), without building its services.</summary>
    private static StorageOptions StorageOf(string[] configArgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs, ContentRootPath = AppContext.BaseDirectory });
        return builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
    }

    /// <summary>
    /// What a backup copies besides the data folder's files: the PostgreSQL database (online, pg_dump) on that
    /// provider, and the LiteDB file wherever it exists (the Console must then be stopped).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static List<IStoreBackup> BackedUpStores(StorageOptions storage)
    {
        var stores = new List<IStoreBackup>();
        if (storage.UsesPostgres)
        {
            stores.Add(new PostgresBackup(storage));
        }

        if (!storage.UsesPostgres || File.Exists(storage.DatabasePath))
        {
            stores.Add(new LiteDbBackup(storage));
        }

        return stores;
    }

    /// <summary><c>backup --out FILE</c> and <c>restore --from FILE [--force]</c>: exit 0 when done, 1 with the reason when refused.</summary>
    private static int RunBackup(string[] args)
    {
        var configArgs = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal)).ToArray();
        var file = args is [_, "--out" or "--from", var path, ..] ? path : null;
        var force = args.Contains("--force");
        if (OperatingSystem.IsWindows())
        {
            System.Console.Error.WriteLine("backup and restore keep Unix file modes and run on Linux only");
            return 64;
        }

        if (file is null || (args[0] == "backup") != (args[1] == "--out"))
        {
            System.Console.Error.WriteLine(Usage);
            return 64;
        }

        var storage = StorageOf(configArgs);
        try
        {
            if (args[0] == "backup")
            {
                var manifest = BackupArchive.Create(storage.DataDirectory, file, BackedUpStores(storage), TimeProvider.System);
                System.Console.WriteLine($"backup of {Path.GetFullPath(storage.DataDirectory)} written to {file}: {manifest.Files.Count} files, {manifest.Files.Sum(f => f.Bytes)} bytes");
                return 0;
            }

            var (restored, aside) = BackupRestore.Restore(file, storage.DataDirectory, force, TimeProvider.System);
            System.Console.WriteLine($"restored {restored.Files.Count} files of the backup made {restored.CreatedAt:O} into {Path.GetFullPath(storage.DataDirectory)}");
            var dump = Path.Combine(storage.DataDirectory, PostgresBackup.DumpFile);
            if (restored.Stores.Contains(PostgresStoreProbe.StoreName))
            {
                if (!storage.UsesPostgres)
                {
                    throw new BackupException("the backup holds a PostgreSQL database: restore it with Storage:Provider=postgres and Storage:ConnectionString set");
                }

                PostgresBackup.Restore(storage.ConnectionString!, dump, force);
                File.Delete(dump);
                System.Console.WriteLine("restored the PostgreSQL database");
            }
            if (aside is not null)
            {
                System.Console.WriteLine($"the previous data folder was moved to {aside}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is BackupException or IOException or UnauthorizedAccessException)
        {
            System.Console.Error.WriteLine($"{args[0]}: {ex.Message}");
            return 1;
        }
    }

    /// <summary>Signing keys are files, not database rows, so this runs beside a running Console, which picks the new key up at its next package.</summary>
    private static int RunSigning(string action, string[] configArgs)
    {
        var storage = StorageOf(configArgs);
        var keys = new SigningKeys(Options.Create(storage), TimeProvider.System);
        switch (action)
        {
            case "rotate":
                var key = keys.Rotate();
                System.Console.WriteLine($"signing key {key.KeyId} is current from {key.CreatedAt:O}; earlier keys are retired and stay published");
                return 0;
            case "list":
                foreach (var k in keys.Published())
                {
                    System.Console.WriteLine($"{k.KeyId}\t{k.Algorithm}\tcreated {k.CreatedAt:O}\t{(k.RetiredAt is { } r ? $"retired {r:O}" : "current")}");
                }

                return 0;
            default:
                System.Console.Error.WriteLine(Usage);
                return 64;
        }
    }
}
