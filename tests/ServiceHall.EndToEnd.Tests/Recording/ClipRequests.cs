using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ServiceHall.EndToEnd.Tests.Recording;

/// <summary>A clip asked for at the Console as a supervisor does, and its wait until the Recorder delivered it.</summary>
internal static class ClipRequests
{
    /// <summary>Posts the request (camera, range and reason) for the site and returns the clip's id.</summary>
    public static async Task<string> RequestAsync(HttpClient http, string siteId, object request)
    {
        var response = await http.PostAsJsonAsync($"/api/sites/{siteId}/clips", request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clipId").GetString()!;
    }

    /// <summary>Polls the clip until it is Complete or Failed or the time is up, and returns its last status.</summary>
    public static async Task<string?> WaitAsync(HttpClient http, string clipId, TimeSpan timeout)
    {
        string? status = "";
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline && status is not ("Complete" or "Failed"); await Task.Delay(200))
        {
            status = (await http.GetFromJsonAsync<JsonElement>($"/api/clips/{clipId}")).GetProperty("status").GetString();
        }

        return status;
    }
}
