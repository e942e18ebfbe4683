using ServiceHall.Console.Sites;

namespace ServiceHall.Console.Tests.Sites;

public sealed class SiteKeysTests
{
    [Fact]
    public void Generate_ReturnsKeyThatMatchesItsOwnHashOnly()
    {
        var (key, keyId, hash) = SiteKeys.Generate();
        var (other, _, _) = SiteKeys.Generate();

        Assert.True(SiteKeys.Matches(key, hash));
        Assert.False(SiteKeys.Matches(other, hash));
        Assert.Equal(hash[..8], keyId);
        Assert.DoesNotContain(key, hash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-hex")]
    public void Matches_GarbageHashOrEmptyKey_IsFalse(string hash) =>
        Assert.False(SiteKeys.Matches(hash.Length == 0 ? "" : "key", hash.Length == 0 ? SiteKeys.Hash("x") : hash));
}
