using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ServiceHall.Console.Review;

/// <summary>
/// Caps on what checking an uploaded package may cost. A zip's headers can lie, so sizes are counted as entries
/// inflate, and the central directory's size is read from its end record before <see cref="ZipArchive"/> loads it.
/// </summary>
public static class PackageLimits
{
    /// <summary>The small files (<c>SHA256SUMS</c>, <c>manifest.json</c>, <c>case.json</c>, the signature) are a few KiB; 1 MiB is plenty.</summary>
    public const int MaxTextEntryBytes = 1 << 20;

    /// <summary>A package holds six files; a few spare for a hand-added note, which is then reported.</summary>
    public const int MaxEntries = 32;

    private const int MaxCentralDirectoryBytes = 64 << 10;
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64EndOfCentralDirectory = 0x06064b50;

    /// <summary>The entry's bytes, at most <see cref="MaxTextEntryBytes"/> of them.</summary>
    public static byte[] ReadSmall(ZipArchiveEntry entry)
    {
        using var stream = Open(entry, MaxTextEntryBytes);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The SHA-256 of the entry as it inflates, stopped at <paramref name="maxBytes"/>.</summary>
    public static string Hash(ZipArchiveEntry entry, long maxBytes)
    {
        using var stream = Open(entry, maxBytes);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Why the zip's central directory is refused (too many entries, too large), or null; read from the end record without loading it.</summary>
    public static string? CentralDirectoryRefusal(Stream zip)
    {
        var tailLength = (int)Math.Min(zip.Length, 22 + ushort.MaxValue);
        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        zip.ReadExactly(tail);
        zip.Position = 0;
        var end = -1;
        for (var at = tailLength - 22; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) == EndOfCentralDirectory)
            {
                end = at;
                break;
            }
        }

        if (end < 0)
        {
            return null; // not a zip: ZipArchive says so
        }

        ulong entries = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        ulong size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        // A ZIP64 package (a clip over 4 GiB) keeps the true counts in a record the locator before the end record points at.
        if (end >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end - 20)) == Zip64Locator)
        {
            var record = BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - 12));
            if (record > (ulong)zip.Length - 56)
            {
                return "the zip's ZIP64 end record points outside the file";
            }

            var zip64 = new byte[56];
            zip.Position = (long)record;
            zip.ReadExactly(zip64);
            zip.Position = 0;
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) == Zip64EndOfCentralDirectory)
            {
                entries = BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(32));
                size = BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(40));
            }
        }

        return entries > MaxEntries || size > MaxCentralDirectoryBytes
            ? $"the zip lists {entries} files in {size} bytes; a case package has at most {MaxEntries} files"
            : null;
    }

    private static CappedStream Open(ZipArchiveEntry entry, long maxBytes) =>
        entry.Length > maxBytes
            ? throw new PackageTooLargeException($"{entry.FullName}: {entry.Length} bytes uncompressed, more than the {maxBytes} allowed")
            : new CappedStream(entry.Open(), maxBytes, entry.FullName);

    /// <summary>Reads through to an inflating stream and throws once more than the cap came out, whatever the header said.</summary>
    private sealed class CappedStream(Stream inner, long maxBytes, string name) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new PackageTooLargeException($"{name}: inflates to more than the {maxBytes} bytes allowed; refused") : read;
        }
    }
}

/// <summary>A package, or one of its files, is larger than checking allows: the answer is 413, not a verdict.</summary>
public sealed class PackageTooLargeException(string message) : Exception(message);
