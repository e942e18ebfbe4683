using System.Text.RegularExpressions;

namespace ServiceHall.Shared.Contracts;

/// <summary>Short stable identifiers for sites, cameras and windows (`shunqing-jingxi`, `cam-1`, `w03`).</summary>
public static partial class Slug
{
    public const int MaxLength = 64;

    public static bool IsValid(string? value) => value is not null && SlugPattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
