using System.Xml.Linq;
using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Tests.Cameras;

public sealed class WsUsernameTokenTests
{
    // Computed apart with Python's hashlib: base64(sha1(b64decode(nonce) + created + password)).
    [Fact]
    public void Digest_KnownNonceCreatedAndPassword_MatchesAnIndependentComputation() =>
        Assert.Equal("W7exI36Xfo4M0yeXRZgpooU+QPM=", WsUsernameToken.Digest(Convert.FromBase64String("tKUH8ab3Rokm4t6IAlgcdg9yaEw="), "2010-08-10T10:52:42Z", "123456"));

    [Fact]
    public void Header_CarriesUserDigestNonceAndCreatedButNotThePassword()
    {
        var nonce = Convert.FromBase64String("tKUH8ab3Rokm4t6IAlgcdg9yaEw=");

        var header = WsUsernameToken.Header("root", "123456", new DateTimeOffset(2010, 8, 10, 10, 52, 42, TimeSpan.Zero), nonce);

        var token = header.Element(WsUsernameToken.Security + "UsernameToken")!;
        var created = token.Element(WsUsernameToken.Utility + "Created")!.Value;
        Assert.Equal("2010-08-10T10:52:42.000Z", created);
        Assert.Equal("root", token.Element(WsUsernameToken.Security + "Username")!.Value);
        Assert.Equal(WsUsernameToken.Digest(nonce, created, "123456"), token.Element(WsUsernameToken.Security + "Password")!.Value);
        Assert.Equal(WsUsernameToken.PasswordDigestType, (string?)token.Element(WsUsernameToken.Security + "Password")!.Attribute("Type"));
        Assert.Equal("tKUH8ab3Rokm4t6IAlgcdg9yaEw=", token.Element(WsUsernameToken.Security + "Nonce")!.Value);
        Assert.DoesNotContain("123456", header.ToString(SaveOptions.DisableFormatting), StringComparison.Ordinal);
    }
}
