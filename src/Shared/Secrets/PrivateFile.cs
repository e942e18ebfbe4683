using System.Text;

namespace ServiceHall.Shared.Secrets;

/// <summary>Writes secrets (keys, initial passwords) to files readable by the owner only.</summary>
public static class PrivateFile
{
    /// <summary>
    /// Creates (or truncates) <paramref name="path"/> with mode 0600 from the first byte: writing first and chmod-ing
    /// after would leave a moment in which others may open the secret and keep it open.
    /// </summary>
    public static void WriteAllText(string path, string text)
    {
        using var stream = Create(path);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Creates (or truncates) <paramref name="path"/> for writing, mode 0600 from the first byte.</summary>
    public static FileStream Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only to a new file; an existing one may have been created wider.
            File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return stream;
    }
}
