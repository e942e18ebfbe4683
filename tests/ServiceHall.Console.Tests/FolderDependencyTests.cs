using System.Text.RegularExpressions;

namespace ServiceHall.Console.Tests;

/// <summary>
/// The Console's folders are features, and no feature imports one that imports it back, directly or through others:
/// the import graph of the folders is acyclic, with no exception and no shared kernel allowed to break the rule. Seams
/// that would otherwise close a loop are interfaces owned by the lower folder (Ingest's handlers, Fleet's status
/// handlers) or a folder of their own (Recorders). The root (Program, ConsoleApp, ConsoleServices) composes the
/// features and is imported by none. Read from the source, as a reader sees it.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void FolderImports_FormNoCycle_AndNoFeatureImportsTheRoot()
    {
        var imports = FolderImports();

        Assert.True(imports.Count >= 10, $"found only {imports.Count} folders under {ConsoleSource()}");
        var intoRoot = imports.Where(f => f.Value.Contains("")).Select(f => f.Key).ToList();
        Assert.True(intoRoot.Count == 0, $"import the root namespace: {string.Join(", ", intoRoot)}");
        var cycle = FindCycle(imports);
        Assert.True(cycle is null, $"folders import each other: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void FindCycle_ReportsALoopThroughSeveralFolders_NotASharedDependency()
    {
        var loop = new Dictionary<string, HashSet<string>> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        var diamond = new Dictionary<string, HashSet<string>> { ["A"] = ["B", "C"], ["B"] = ["D"], ["C"] = ["D"], ["D"] = [] };

        Assert.Equal(["A", "B", "C", "A"], FindCycle(loop));
        Assert.Null(FindCycle(diamond));
    }

    /// <summary>For each folder, the Console namespaces its files name: by using, alias, full name, or a name qualified by a sibling folder ("" is the root).</summary>
    private static Dictionary<string, HashSet<string>> FolderImports()
    {
        var root = ConsoleSource();
        var folders = Directory.GetDirectories(root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "wwwroot" or "Properties") && Directory.EnumerateFiles(Path.Combine(root, name), "*.cs", SearchOption.AllDirectories).Any())
            .ToHashSet(StringComparer.Ordinal);
        var sibling = new Regex($@"(?<![\w.])({string.Join('|', folders)})\.[A-Z]", RegexOptions.CultureInvariant);
        var imports = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = File.ReadAllText(file);
                named.UnionWith(ConsoleNamespace().Matches(code).Select(m => m.Groups["folder"].Value));
                named.UnionWith(sibling.Matches(code).Select(m => m.Groups[1].Value));
            }

            named.Remove(folder);
            imports[folder] = named;
        }

        return imports;
    }

    /// <summary>One import cycle as a path that ends where it starts, or null when the graph has none.</summary>
    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> imports)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string folder)
        {
            var at = path.IndexOf(folder);
            if (at >= 0)
            {
                return [.. path[at..], folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in imports.GetValueOrDefault(folder, []).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return imports.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string ConsoleSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServiceHall.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Console");
            }
        }

        throw new DirectoryNotFoundException($"no ServiceHall.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"\bServiceHall\.Console(?:\.(?<folder>[A-Z]\w*))?\b(?!\.Tests)", RegexOptions.CultureInvariant)]
    private static partial Regex ConsoleNamespace();
}
