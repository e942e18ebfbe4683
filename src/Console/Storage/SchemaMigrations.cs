using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceHall.Console.Storage;

/// <summary>One versioned step of the PostgreSQL schema: <c>Storage/Migrations/NNNN_name.sql</c>, embedded in the Console.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>A migration the database has already applied, as its <c>schema_migrations</c> table records it.</summary>
public sealed record AppliedMigration(int Version, string Name);

/// <summary>The database's schema is not one this Console can run on; the Console refuses to start.</summary>
public sealed class SchemaMismatchException(string message) : Exception(message);

/// <summary>
/// The PostgreSQL schema's versions: which migrations exist, and which of them a database still needs. Pure; the
/// runner (<see cref="PostgresDatabase"/>) applies them under an advisory lock so nodes starting together migrate once.
/// </summary>
public static partial class SchemaMigrations
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>Every migration built into this Console, in version order.</summary>
    public static IReadOnlyList<Migration> Known()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(Parse(resource[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        return Ordered(migrations);
    }

    /// <summary>Reads <c>0001_store_probe.sql</c> as version 1 named <c>store_probe</c>.</summary>
    public static Migration Parse(string fileName, string sql)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new ArgumentException($"migration file '{fileName}' is not named NNNN_name.sql", nameof(fileName));
        }

        return new Migration(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, sql);
    }

    /// <summary>
    /// The migrations <paramref name="applied"/> still lacks, in order. Refuses a database that has applied a version
    /// this Console does not know (a newer Console migrated it) or the same version under another name.
    /// </summary>
    public static IReadOnlyList<Migration> Pending(IReadOnlyList<Migration> known, IReadOnlyList<AppliedMigration> applied)
    {
        var byVersion = known.ToDictionary(m => m.Version);
        var highest = known.Count == 0 ? 0 : known.Max(m => m.Version);
        foreach (var done in applied)
        {
            if (!byVersion.TryGetValue(done.Version, out var mine))
            {
                throw new SchemaMismatchException(
                    $"the database's schema has version {done.Version} ({done.Name}), which this Console does not know (it knows up to {highest}): "
                    + "a newer Console has migrated this database; run that version or newer.");
            }

            if (!string.Equals(mine.Name, done.Name, StringComparison.Ordinal))
            {
                throw new SchemaMismatchException(
                    $"the database's schema version {done.Version} is '{done.Name}', but this Console's version {done.Version} is '{mine.Name}': "
                    + "the database was migrated by another build; restore it from a backup of this version.");
            }
        }

        var appliedVersions = applied.Select(a => a.Version).ToHashSet();
        return Ordered(known.Where(m => !appliedVersions.Contains(m.Version)));
    }

    private static List<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var list = migrations.OrderBy(m => m.Version).ToList();
        var twice = list.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new InvalidOperationException($"two migrations have version {twice.Key}: {string.Join(", ", twice.Select(m => m.Name))}");
        }

        return list;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
