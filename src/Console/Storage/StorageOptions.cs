using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace ServiceHall.Console.Storage;

/// <summary>
/// Where the Console keeps its data (section <c>Storage</c>): an embedded LiteDB file (the default: one node, the
/// demo) or a PostgreSQL database that several Console nodes share.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public const string LiteDb = "litedb";

    public const string Postgres = "postgres";

    /// <summary><c>litedb</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = LiteDb;

    /// <summary>
    /// Folder of <c>console.db</c> (LiteDB) and of the uploaded clips and snapshots (both providers); relative paths
    /// are under the working directory.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "data/console";

    /// <summary>
    /// Npgsql connection string of the PostgreSQL database (provider <c>postgres</c>), e.g.
    /// <c>Host=127.0.0.1;Port=5432;Database=servicehall;Username=servicehall</c>. Give the password through the
    /// <c>PGPASSWORD</c> environment variable or a <c>Passfile</c>, not in a settings file.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Folder of the clips pulled from halls and their viewing copies; empty: <c>clips</c> under
    /// <see cref="DataDirectory"/>. Console nodes sharing one PostgreSQL database must share it too (one mount, e.g.
    /// NFS, at the same path on every node): a clip pulled through one node is played through any.
    /// </summary>
    public string ClipDirectory { get; set; } = "";

    /// <summary>
    /// Folder of the case-package signing keys (<c>Signing/SigningKeys.cs</c>); empty: <c>signing</c> under
    /// <see cref="DataDirectory"/>. Console nodes sharing one PostgreSQL database should share it too (one mount, like
    /// <see cref="ClipDirectory"/>): then every node signs with the one current key and publishes the same keys, and a
    /// rotation on one node is used by all at their next package.
    /// </summary>
    public string SigningDirectory { get; set; } = "";

    public string SigningRoot => SigningDirectory.Length > 0 ? Path.GetFullPath(SigningDirectory) : Path.Combine(Path.GetFullPath(DataDirectory), "signing");

    public string ClipRoot => Path.GetFullPath(ClipDirectory.Length > 0 ? ClipDirectory : Path.Combine(DataDirectory, "clips"));

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "console.db");

    public bool UsesPostgres => string.Equals(Provider, Postgres, StringComparison.Ordinal);

    /// <summary>The provider named in configuration, read before the options are bound (to choose registrations).</summary>
    public static string ProviderOf(IConfiguration configuration) =>
        configuration.GetSection(Section)[nameof(Provider)] is { Length: > 0 } provider ? provider : LiteDb;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider is not (LiteDb or Postgres))
        {
            yield return new ValidationResult($"Provider '{Provider}' is not known: use '{LiteDb}' or '{Postgres}'.", [nameof(Provider)]);
        }

        if (UsesPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("ConnectionString is required when Provider is 'postgres'.", [nameof(ConnectionString)]);
        }
    }
}
