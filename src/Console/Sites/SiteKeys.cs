using System.Security.Cryptography;
using System.Text;

namespace ServiceHall.Console.Sites;

/// <summary>Site keys: 256 random bits, shown once, stored as SHA-256 (enough for high-entropy secrets).</summary>
public static class SiteKeys
{
    public static (string Key, string KeyId, string Sha256) Generate()
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var hash = Hash(key);
        return (key, hash[..8], hash);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string key, string sha256Hex)
    {
        if (key.Length is 0 or > 256)
        {
            return false;
        }

        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(sha256Hex);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
