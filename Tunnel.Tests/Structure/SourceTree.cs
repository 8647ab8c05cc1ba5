namespace Tunnel.Tests.Structure;

/// <summary>The repository's C# sources, found from the test's output directory up to <c>Tunnel.sln</c>.</summary>
internal static class SourceTree
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Hand-written <c>.cs</c> files under <paramref name="directory"/> (relative to the root), without obj/ and bin/.</summary>
    public static IEnumerable<string> CSharpFiles(string directory, bool includeMigrations = true) =>
        Directory.EnumerateFiles(Path.Combine(RepoRoot, directory), "*.cs", SearchOption.AllDirectories)
            .Where(f => !HasSegment(f, "obj") && !HasSegment(f, "bin") && (includeMigrations || !HasSegment(f, "Migrations")))
            .Order(StringComparer.Ordinal);

    private static bool HasSegment(string path, string segment) =>
        Path.GetRelativePath(RepoRoot, path).Split(Path.DirectorySeparatorChar).Contains(segment, StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tunnel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Tunnel.sln above {AppContext.BaseDirectory}: the structure tests read the sources");
    }
}
