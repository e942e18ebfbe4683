using System.Globalization;

namespace ServiceHall.Recorder.Live;

/// <summary>Reads the local HLS playlist ffmpeg writes, and picks the segments still to push.</summary>
public static class LivePlaylist
{
    /// <summary>One finished segment listed by ffmpeg.</summary>
    public sealed record Entry(string Name, double DurationSeconds);

    /// <summary>The <c>#EXTINF</c> entries of a media playlist, in order; anything else is ignored.</summary>
    public static IReadOnlyList<Entry> Parse(string text)
    {
        var entries = new List<Entry>();
        double? duration = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line["#EXTINF:".Length..].Split(',')[0];
                duration = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : null;
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                if (duration is { } d)
                {
                    entries.Add(new Entry(line, d));
                }

                duration = null;
            }
        }

        return entries;
    }

    /// <summary>
    /// The listed segments not pushed yet. At the start of a push (nothing sent) only the newest <paramref name="backlog"/>
    /// go, so the player starts near the live edge instead of replaying the whole local list.
    /// </summary>
    public static IReadOnlyList<Entry> Due(IReadOnlyList<Entry> listed, IReadOnlySet<string> sent, int backlog) =>
        sent.Count == 0
            ? listed.Skip(Math.Max(0, listed.Count - backlog)).ToList()
            : listed.Where(e => !sent.Contains(e.Name)).ToList();
}
