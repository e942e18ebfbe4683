using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Review;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 8 of the security review: <c>/api/cases/verify</c> took 8 GiB uploads from any Viewer, any number at once,
/// and read <c>SHA256SUMS</c> whole, so a small deflate bomb ran the Console out of memory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VerifyEndpointSecurityTests
{
    [Fact]
    public async Task DeflateBomb_IsRefused413Quickly_WithoutInflatingIt_WhileARealPackageStillVerifies()
    {
        await using var world = await KeptCases.StartAsync();
        var (_, caseId, _) = await world.KeepCaseAsync();
        var package = await world.PackageAsync(caseId);
        // 300 MiB of zeros deflate to under half a MiB: once as SHA256SUMS, once as a "clip" larger than the upload cap.
        var sumsBomb = Bomb(CasePackage.SumsEntry);
        var clipBomb = Bomb("hall-1-cam-1-bomb.mp4");
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var clock = Stopwatch.StartNew();

        var sums = await world.Admin.Http.PostAsync("/api/cases/verify", new ByteArrayContent(sumsBomb));
        var clip = await world.Admin.Http.PostAsync("/api/cases/verify", new ByteArrayContent(clipBomb));

        clock.Stop();
        Assert.True(sumsBomb.Length < 1 << 20, $"the bomb is {sumsBomb.Length} bytes");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sums.StatusCode);
        Assert.Contains("SHA256SUMS: ", await sums.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, clip.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 200L << 20, "the bomb was inflated into memory");
        Assert.True((await world.VerifyAsync(package)).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Upload_OverTheCap_Is413_AndAViewerMayNotVerify_WhileASupervisorMay()
    {
        await using var world = await KeptCases.StartAsync($"--Review:VerifyMaxUploadBytes={1 << 20}");
        var (_, caseId, _) = await world.KeepCaseAsync();
        var package = await world.PackageAsync(caseId);
        using var viewer = await world.Console.SignedInUserAsync("viewer", Roles.Viewer, "测试区");
        using var supervisor = await world.Console.SignedInUserAsync("sup", Roles.Supervisor, "测试区");

        var large = await supervisor.Http.PostAsync("/api/cases/verify", new ByteArrayContent(new byte[2 << 20]));
        // Without a Content-Length the cap is counted as the body arrives.
        var chunked = await supervisor.Http.PostAsync("/api/cases/verify", new StreamContent(new MemoryStream(new byte[2 << 20])) { Headers = { ContentLength = null } });
        var byViewer = await viewer.Http.PostAsync("/api/cases/verify", new ByteArrayContent(package));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byViewer.StatusCode);
        Assert.True((await world.VerifyAsync(package, supervisor.Http)).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task ChecksBeyondTheConcurrencyCap_Are503_AndThePlaceFreesWhenOneEnds()
    {
        await using var world = await KeptCases.StartAsync("--Review:VerifyMaxConcurrent=1");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One upload that stalls half-way holds the only place.
        var slow = world.Admin.Http.PostAsync("/api/cases/verify", new StalledContent(release.Task));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        HttpResponseMessage busy;
        while ((busy = await world.Admin.Http.PostAsync("/api/cases/verify", new ByteArrayContent([1, 2, 3]), deadline.Token)).StatusCode != HttpStatusCode.ServiceUnavailable)
        {
            await Task.Delay(50, deadline.Token);
        }

        release.SetResult();
        var finished = await slow;

        Assert.NotNull(busy.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.False((await finished.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("intact").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await world.Admin.Http.PostAsync("/api/cases/verify", new ByteArrayContent([1, 2, 3]))).StatusCode);
    }

    private static byte[] Bomb(string entryName)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (entryName != CasePackage.SumsEntry)
            {
                using var sums = new StreamWriter(zip.CreateEntry(CasePackage.SumsEntry).Open());
                sums.Write($"{new string('0', 64)}  {entryName}\n");
            }

            using var entry = zip.CreateEntry(entryName, CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 300; i++)
            {
                entry.Write(zeros);
            }
        }

        return output.ToArray();
    }

    /// <summary>A body that sends a little, then waits to be released before sending the rest.</summary>
    private sealed class StalledContent(Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[1024]);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(new byte[1024]);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
