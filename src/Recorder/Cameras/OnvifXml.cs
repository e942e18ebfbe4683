using System.Xml;
using System.Xml.Linq;

namespace ServiceHall.Recorder.Cameras;

/// <summary>The XML namespaces of ONVIF and its SOAP, and the safe reading of what a device answers.</summary>
public static class OnvifXml
{
    public static readonly XNamespace Soap = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static readonly XNamespace Discovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";
    public static readonly XNamespace Network = "http://www.onvif.org/ver10/network/wsdl";
    public static readonly XNamespace Device = "http://www.onvif.org/ver10/device/wsdl";
    public static readonly XNamespace Media = "http://www.onvif.org/ver10/media/wsdl";
    public static readonly XNamespace Schema = "http://www.onvif.org/ver10/schema";
    public static readonly XNamespace Error = "http://www.onvif.org/ver10/error";

    /// <summary>A SOAP 1.2 envelope around <paramref name="body"/>, with <paramref name="header"/> blocks when given.</summary>
    public static XDocument Envelope(XElement body, params XElement[] header) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Soap + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", Soap),
                header.Length == 0 ? null : new XElement(Soap + "Header", header),
                new XElement(Soap + "Body", body)));

    /// <summary>
    /// The SOAP body of an answer from <paramref name="from"/>; a network answer is untrusted, so no DTD or external
    /// entity is read. Throws <see cref="OnvifException"/> with one line when it is not XML or not a SOAP 1.2 envelope.
    /// </summary>
    public static XElement Body(string text, string from)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            throw new OnvifException($"{from} answered with malformed XML ({ex.Message})");
        }

        if (document.Root?.Name != Soap + "Envelope" || document.Root.Element(Soap + "Body") is not { } body)
        {
            throw new OnvifException($"{from} did not answer as an ONVIF device (no SOAP 1.2 envelope but <{document.Root?.Name.LocalName}>)");
        }

        return body;
    }

    /// <summary>The fault in a SOAP body, or null: its codes (e.g. <c>env:Sender</c>, <c>ter:NotAuthorized</c>) and its reason.</summary>
    public static (IReadOnlyList<string> Codes, string Reason)? Fault(XElement body)
    {
        if (body.Element(Soap + "Fault") is not { } fault)
        {
            return null;
        }

        var codes = fault.Descendants(Soap + "Value").Select(v => v.Value.Trim()).ToList();
        var reason = fault.Element(Soap + "Reason")?.Elements(Soap + "Text").FirstOrDefault()?.Value.Trim() ?? "";
        return (codes, reason);
    }
}

/// <summary>A device could not be reached or answered in a way that gives no usable result; the message is one line for the installer.</summary>
public class OnvifException(string message) : Exception(message);

/// <summary>The device refused the user name or password.</summary>
public sealed class OnvifAuthenticationException(string message) : OnvifException(message);

/// <summary>The device answered a call with a SOAP fault other than "not authorized".</summary>
public sealed class OnvifFaultException(string message) : OnvifException(message);
