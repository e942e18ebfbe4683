using System.Globalization;

namespace ServiceHall.BoxBenchmark;

/// <summary>One process as <c>/proc/PID/stat</c> shows it: CPU time used so far (user + system) and resident memory.</summary>
public sealed record ProcSample(int Pid, string Command, int ParentPid, long CpuTicks, long RssPages)
{
    /// <summary>
    /// Parses <c>pid (comm) state ppid … utime(14) stime(15) … rss(24)</c>; the command name may hold spaces and
    /// parentheses, so the fields are counted from its last closing parenthesis.
    /// </summary>
    public static ProcSample Parse(string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcSample(
            int.Parse(stat[..open].Trim(), CultureInfo.InvariantCulture),
            stat[(open + 1)..close],
            (int)Field(4),
            Field(14) + Field(15),
            Field(24));
    }
}

/// <summary>The arithmetic of the box benchmark, apart from the processes it reads.</summary>
public static class BoxFigures
{
    /// <summary>USER_HZ: /proc counts CPU time in these ticks on Linux.</summary>
    public const double TicksPerSecond = 100;

    /// <summary>
    /// CPU time a set of processes used between two readings, in ticks: a process in both counts its increase; one
    /// that started in between (a restart) counts all of its time from the last reading; one gone by the end counts
    /// what it used up to its last reading, which <paramref name="last"/> keeps.
    /// </summary>
    public static long TicksUsed(IReadOnlyDictionary<int, long> first, IReadOnlyDictionary<int, long> last) =>
        last.Sum(p => p.Value - first.GetValueOrDefault(p.Key));

    /// <summary>Percent of one core per camera: <paramref name="ticks"/> used by <paramref name="cameras"/> cameras over <paramref name="seconds"/>.</summary>
    public static double CorePercentPerCamera(long ticks, double seconds, int cameras) =>
        ticks / TicksPerSecond / seconds / cameras * 100;

    /// <summary>How many such cameras a box of <paramref name="cores"/> cores runs with its CPU at <paramref name="budget"/> (0.7 = 70 %).</summary>
    public static int CamerasAt(double corePercentPerCamera, int cores = 2, double budget = 0.7) =>
        corePercentPerCamera <= 0 ? 0 : (int)Math.Floor(cores * budget * 100 / corePercentPerCamera + 1e-9);

    /// <summary>Bytes per camera-hour from <paramref name="bytes"/> written by <paramref name="cameras"/> cameras over <paramref name="seconds"/>.</summary>
    public static double BytesPerCameraHour(long bytes, double seconds, int cameras) => bytes / seconds / cameras * 3600;
}
