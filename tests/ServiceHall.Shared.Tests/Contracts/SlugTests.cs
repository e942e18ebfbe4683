using ServiceHall.Shared.Contracts;

namespace ServiceHall.Shared.Tests.Contracts;

public sealed class SlugTests
{
    [Theory]
    [InlineData("shunqing-jingxi")]
    [InlineData("cam-1")]
    [InlineData("w03")]
    [InlineData("a")]
    public void IsValid_AcceptsShortLowerCaseIds(string id) => Assert.True(Slug.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Cam1")]
    [InlineData("-cam")]
    [InlineData("cam-")]
    [InlineData("../etc")]
    [InlineData("cam 1")]
    [InlineData("顺庆")]
    public void IsValid_RefusesAnythingElse(string? id) => Assert.False(Slug.IsValid(id));

    [Fact]
    public void IsValid_RefusesIdsLongerThanMax() => Assert.False(Slug.IsValid(new string('a', Slug.MaxLength + 1)));
}
