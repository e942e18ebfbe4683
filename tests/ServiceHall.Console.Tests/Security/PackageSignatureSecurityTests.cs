using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Review;
using ServiceHall.Console.Signing;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 5 of the security review: verification proved only that a package agreed with itself, so whoever changed a
/// file could rewrite <c>SHA256SUMS</c> too. Packages are now signed by the Console's key, whose public half is
/// published; a rotation keeps old packages verifiable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PackageSignatureSecurityTests : IAsyncLifetime
{
    private const string Signer = "测试市政务服务中心";
    private KeptCases _world = null!;

    public async Task InitializeAsync() => _world = await KeptCases.StartAsync($"--Signing:SignerName={Signer}");

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Package_IsSignedByThePublishedKey_AndVerifiesOnlineAndOffline_SayingWhoSignedAndWhen()
    {
        var (_, caseId, _) = await _world.KeepCaseAsync();
        var package = await _world.PackageAsync(caseId);
        using var anonymous = _world.Console.AnonymousClient();
        var keysJson = await anonymous.GetStringAsync(SigningEndpoints.KeysPath);
        var key = Assert.Single(JsonSerializer.Deserialize<JsonElement[]>(keysJson)!);

        var online = await _world.VerifyAsync(package);

        Assert.True(online.GetProperty("intact").GetBoolean(), online.ToString());
        var signature = online.GetProperty("signature");
        Assert.Equal(Signer, signature.GetProperty("signer").GetString());
        Assert.Equal(key.GetProperty("keyId").GetString(), signature.GetProperty("keyId").GetString());
        Assert.True(DateTimeOffset.UtcNow - signature.GetProperty("signedAt").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.GetProperty("publicKeyPem").GetString(), StringComparison.Ordinal);
        // The private key was created owner-only, beside the published list.
        var privateKey = Path.Combine(_world.Console.DataDirectory, "signing", key.GetProperty("keyId").GetString() + ".key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(privateKey));
        // Offline, as an inspector does it: the keys saved from the public URL, the package from the supervisor.
        using var offline = new TempDirectory();
        var (packagePath, keysPath) = (Path.Combine(offline.Path, "case.zip"), Path.Combine(offline.Path, "keys.json"));
        await File.WriteAllBytesAsync(packagePath, package);
        await File.WriteAllTextAsync(keysPath, keysJson);
        using var output = new StringWriter();
        Assert.Equal(0, CasePackage.VerifyCommand(packagePath, ["--keys", keysPath], output));
        Assert.Contains($"signed by {Signer} at ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedCaseJson_WithSumsRewrittenToMatch_FailsTheSignature_AsDoesAChangedStatement()
    {
        var (_, caseId, _) = await _world.KeepCaseAsync();
        var package = await _world.PackageAsync(caseId);

        // The attacker changes the reason and rewrites SHA256SUMS to match.
        var reworded = Rewrite(package, zip => Reword(zip));
        // Or claims another signer in the signed statement.
        var resigned = Rewrite(package, zip => Replace(zip, CasePackage.SignatureEntry, Read(zip, CasePackage.SignatureEntry).Replace(Signer, "最高人民法院", StringComparison.Ordinal)));

        var rewordedVerdict = await _world.VerifyAsync(reworded);
        var resignedVerdict = await _world.VerifyAsync(resigned);

        Assert.False(rewordedVerdict.GetProperty("intact").GetBoolean());
        var problems = rewordedVerdict.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("SHA256SUMS: SHA-256 ", StringComparison.Ordinal) && p.EndsWith("that was signed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("case.json: SHA-256 ", StringComparison.Ordinal) && p.EndsWith("that was signed", StringComparison.Ordinal));
        Assert.False(resignedVerdict.GetProperty("intact").GetBoolean());
        Assert.Contains("the signature does not verify", resignedVerdict.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, resignedVerdict.GetProperty("signature").ValueKind);
    }

    [Fact]
    public async Task Package_ResignedWithAnotherKey_IsNotIntact_WhetherItNamesItsOwnKeyOrTheConsoles()
    {
        var (_, caseId, _) = await _world.KeepCaseAsync();
        var package = await _world.PackageAsync(caseId);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var consoleKeyId = (await _world.Admin.Http.GetFromJsonAsync<JsonElement[]>(SigningEndpoints.KeysPath))![0].GetProperty("keyId").GetString()!;

        var ownKey = await _world.VerifyAsync(Resign(package, attacker, SigningKeys.KeyIdOf(attacker)));
        var claimedKey = await _world.VerifyAsync(Resign(package, attacker, consoleKeyId));

        Assert.False(ownKey.GetProperty("intact").GetBoolean());
        Assert.Contains("not one of this Console's published signing keys", ownKey.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.False(claimedKey.GetProperty("intact").GetBoolean());
        Assert.Contains($"the signature does not verify with key {consoleKeyId}", claimedKey.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackageSignedBeforeARotation_StillVerifiesAfterIt_AndOnlyAnAdminRotates()
    {
        var (_, caseId, _) = await _world.KeepCaseAsync();
        var before = await _world.PackageAsync(caseId);
        using var supervisor = await _world.Console.SignedInUserAsync("sup", Roles.Supervisor, "测试区");

        var refused = await supervisor.Http.PostAsync("/api/admin/signing-keys/rotate", null);
        var rotated = await _world.Admin.Http.PostAsync("/api/admin/signing-keys/rotate", null);
        var after = await _world.PackageAsync(caseId);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var keys = (await _world.Admin.Http.GetFromJsonAsync<JsonElement[]>(SigningEndpoints.KeysPath))!;
        Assert.Equal(2, keys.Length);
        Assert.NotEqual(JsonValueKind.Null, keys[0].GetProperty("retiredAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, keys[1].GetProperty("retiredAt").ValueKind);
        var old = await _world.VerifyAsync(before);
        var fresh = await _world.VerifyAsync(after);
        Assert.True(old.GetProperty("intact").GetBoolean(), old.ToString());
        Assert.True(fresh.GetProperty("intact").GetBoolean(), fresh.ToString());
        Assert.Equal(keys[0].GetProperty("keyId").GetString(), old.GetProperty("signature").GetProperty("keyId").GetString());
        Assert.Equal(keys[1].GetProperty("keyId").GetString(), fresh.GetProperty("signature").GetProperty("keyId").GetString());
        // The retired key can never sign again: its private half is gone.
        Assert.False(File.Exists(Path.Combine(_world.Console.DataDirectory, "signing", keys[0].GetProperty("keyId").GetString() + ".key")));
    }

    [Fact]
    public async Task CurrentPrivateKeyLost_NextPackageIsSignedByANewKey_AndTheLostKeysPackagesStillVerify()
    {
        var (_, caseId, _) = await _world.KeepCaseAsync();
        var before = await _world.PackageAsync(caseId);
        var lost = (await _world.Admin.Http.GetFromJsonAsync<JsonElement[]>(SigningEndpoints.KeysPath))![0].GetProperty("keyId").GetString()!;
        File.Delete(Path.Combine(_world.Console.DataDirectory, "signing", lost + ".key"));

        var after = await _world.VerifyAsync(await _world.PackageAsync(caseId));

        Assert.True(after.GetProperty("intact").GetBoolean(), after.ToString());
        Assert.NotEqual(lost, after.GetProperty("signature").GetProperty("keyId").GetString());
        Assert.True((await _world.VerifyAsync(before)).GetProperty("intact").GetBoolean());
    }

    /// <summary>What a forger does: change case.json, fix SHA256SUMS, and sign a fresh statement with a key of her own.</summary>
    private static byte[] Resign(byte[] package, ECDsa key, string keyId) => Rewrite(package, zip =>
    {
        var (caseJson, sums) = Reword(zip);
        var statement = new SignedStatement(keyId, SigningKeys.Algorithm, Signer, DateTimeOffset.UtcNow, [new(CasePackage.SumsEntry, Hash(sums)), new(CasePackage.CaseEntry, Hash(caseJson))]).ToBytes();
        Replace(zip, CasePackage.SignatureEntry, Encoding.UTF8.GetString(statement));
        zip.GetEntry(CasePackage.SignatureBlobEntry)!.Delete();
        using var blob = zip.CreateEntry(CasePackage.SignatureBlobEntry).Open();
        blob.Write(key.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    });

    /// <summary>Changes the case's reason and rewrites SHA256SUMS to match, so the package agrees with itself again.</summary>
    private static (string CaseJson, string Sums) Reword(ZipArchive zip)
    {
        var caseJson = Read(zip, CasePackage.CaseEntry).Replace("群众投诉窗口无人", "无异常", StringComparison.Ordinal);
        Replace(zip, CasePackage.CaseEntry, caseJson);
        var sums = string.Join('\n', Read(zip, CasePackage.SumsEntry).Split('\n').Select(l => l.EndsWith(CasePackage.CaseEntry, StringComparison.Ordinal) ? $"{Hash(caseJson)}  {CasePackage.CaseEntry}" : l));
        Replace(zip, CasePackage.SumsEntry, sums);
        return (caseJson, sums);
    }

    private static byte[] Rewrite(byte[] package, Action<ZipArchive> change)
    {
        using var copy = new MemoryStream();
        copy.Write(package);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            change(zip);
        }

        return copy.ToArray();
    }

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static void Replace(ZipArchive zip, string name, string text)
    {
        zip.GetEntry(name)!.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(text);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
