using System.Net;
using System.Net.WebSockets;
using ServiceHall.Recorder.Uplink;

namespace ServiceHall.Recorder.Tests.Uplink;

public sealed class ConnectFailureTests
{
    [Theory]
    [InlineData("The server returned status code '401' when status code '101' was expected.", 401)]
    [InlineData("The server returned status code '403' when status code '101' was expected.", 403)]
    [InlineData("The server returned status code '502' when status code '101' was expected.", null)]
    [InlineData("Unable to connect to the remote server", null)]
    public void RefusedStatus_WebSocketHandshake_IsTheKeysRefusalOnlyFor401And403(string message, int? expected) =>
        Assert.Equal(expected, ConnectFailure.RefusedStatus(new WebSocketException(message)));

    [Fact]
    public void RefusedStatus_NegotiateRefused_AndWrappedRefusal_AreFound()
    {
        Assert.Equal(403, ConnectFailure.RefusedStatus(new HttpRequestException("Forbidden", null, HttpStatusCode.Forbidden)));
        Assert.Equal(401, ConnectFailure.RefusedStatus(new InvalidOperationException("start failed", new WebSocketException("The server returned status code '401' when status code '101' was expected."))));
        Assert.Null(ConnectFailure.RefusedStatus(new HttpRequestException("Bad Gateway", null, HttpStatusCode.BadGateway)));
    }

    [Fact]
    public void Reason_NamesEveryCause_InOneLine()
    {
        var error = new WebSocketException("Unable to connect to the remote server", new HttpRequestException("The SSL connection could not be established, see inner exception.", new System.Security.Authentication.AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback.")));

        Assert.Equal(
            "Unable to connect to the remote server: The SSL connection could not be established, see inner exception: The remote certificate was rejected by the provided RemoteCertificateValidationCallback",
            ConnectFailure.Reason(error));
    }
}
