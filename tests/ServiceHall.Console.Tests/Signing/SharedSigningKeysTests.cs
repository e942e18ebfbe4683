using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Signing;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Signing;

/// <summary>Two Console nodes' <see cref="SigningKeys"/>, each with its own data folder, on one shared signing folder.</summary>
public sealed class SharedSigningKeysTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SigningKeys Node(string name) => new(
        Options.Create(new StorageOptions { DataDirectory = Path.Combine(_dir.Path, name), SigningDirectory = Path.Combine(_dir.Path, "shared-signing") }),
        TimeProvider.System);

    [Fact]
    public async Task NodesStartingAtOnce_MakeOneCurrentKey_KeptInTheSharedFolder()
    {
        SigningKeys[] nodes = [Node("node1"), Node("node2")];

        var made = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => nodes[i % 2].EnsureCurrent())));

        var key = Assert.Single(nodes[0].Published());
        Assert.Null(key.RetiredAt);
        Assert.All(made, k => Assert.Equal(key.KeyId, k.KeyId));
        Assert.Equal([key], nodes[1].Published());
        Assert.True(File.Exists(Path.Combine(_dir.Path, "shared-signing", key.KeyId + ".key")));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "node1", "signing")));
    }

    [Fact]
    public void RotationOnOneNode_IsWhatTheOtherSignsWithAndPublishes()
    {
        var node1 = Node("node1");
        var node2 = Node("node2");
        var first = node2.EnsureCurrent();

        var rotated = node1.Rotate();
        var (key, signer) = node2.Current();
        using (signer)
        {
            var data = "case package statement"u8.ToArray();
            var signature = signer.SignData(data, HashAlgorithmName.SHA256);
            using var verifier = ECDsa.Create();
            verifier.ImportFromPem(node2.Published().Single(k => k.KeyId == rotated.KeyId).PublicKeyPem);
            Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }

        Assert.Equal(rotated.KeyId, key.KeyId);
        Assert.Equal([(first.KeyId, true), (rotated.KeyId, false)], node2.Published().Select(k => (k.KeyId, k.RetiredAt is not null)));
        Assert.Equal(node1.Published(), node2.Published());
    }

    [Fact]
    public async Task RotationsAndSignaturesOnBothNodesAtOnce_AlwaysLeaveOneCurrentKey_AndEverySignatureUsesAPublishedKey()
    {
        SigningKeys[] nodes = [Node("node1"), Node("node2")];
        nodes[0].EnsureCurrent();

        var used = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
        {
            var node = nodes[i % 2];
            if (i % 5 == 0)
            {
                return node.Rotate().KeyId;
            }

            var (key, signer) = node.Current();
            signer.Dispose();
            return key.KeyId;
        })));

        var published = nodes[1].Published();
        Assert.Single(published, k => k.RetiredAt is null);
        Assert.Equal(9, published.Count);
        Assert.All(used, id => Assert.Contains(published, k => k.KeyId == id));
    }
}
