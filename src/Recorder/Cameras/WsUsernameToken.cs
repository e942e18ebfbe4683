using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ServiceHall.Recorder.Cameras;

/// <summary>
/// The WS-Security UsernameToken with a password digest that ONVIF devices take (OASIS Web Services Security
/// UsernameToken Profile 1.0; ONVIF Core requires both nonce and created time): the password itself never goes on the wire.
/// </summary>
public static class WsUsernameToken
{
    public static readonly XNamespace Security = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static readonly XNamespace Utility = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public const string PasswordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    public const string Base64Binary = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    /// <summary>Password_Digest = Base64(SHA-1(nonce + created + password)), the nonce as raw bytes, the others as UTF-8.</summary>
    public static string Digest(byte[] nonce, string created, string password)
    {
        byte[] input = [.. nonce, .. Encoding.UTF8.GetBytes(created), .. Encoding.UTF8.GetBytes(password)];
#pragma warning disable CA5350 // SHA-1 is what the UsernameToken Profile prescribes; the device computes the same.
        return Convert.ToBase64String(SHA1.HashData(input));
#pragma warning restore CA5350
    }

    /// <summary>The <c>wsse:Security</c> header block for <paramref name="user"/>, created at <paramref name="created"/> (the device's clock).</summary>
    public static XElement Header(string user, string password, DateTimeOffset created, byte[]? nonce = null)
    {
        nonce ??= RandomNumberGenerator.GetBytes(16);
        var createdText = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        return new XElement(Security + "Security",
            new XAttribute(OnvifXml.Soap + "mustUnderstand", "1"),
            new XElement(Security + "UsernameToken",
                new XElement(Security + "Username", user),
                new XElement(Security + "Password", new XAttribute("Type", PasswordDigestType), Digest(nonce, createdText, password)),
                new XElement(Security + "Nonce", new XAttribute("EncodingType", Base64Binary), Convert.ToBase64String(nonce)),
                new XElement(Utility + "Created", createdText)));
    }
}
