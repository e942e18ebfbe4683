using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Storage;

/// <summary>Where the Console keeps its LiteDB file and uploads (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of <c>console.db</c>; relative paths are under the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data/console";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "console.db");
}
