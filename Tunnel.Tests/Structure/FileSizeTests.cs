namespace Tunnel.Tests.Structure;

/// <summary>No hand-written C# file over 300 lines (conventions: split out a collaborator instead).</summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 300;

    public static TheoryData<string> Projects => new() { "Tunnel.Contracts", "Tunnel.Server", "Tunnel.Agent", "Tunnel.Tests", "bench" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void SourceFiles_OfProject_AtMost300Lines(string project)
    {
        var files = SourceTree.CSharpFiles(project, includeMigrations: false).ToList();
        var tooLong = files
            .Select(f => (File: Path.GetRelativePath(SourceTree.RepoRoot, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        files.Should().NotBeEmpty();
        tooLong.Should().BeEmpty("no hand-written file is over {0} lines (EF Core migrations, obj/ and bin/ excepted)", MaxLines);
    }
}
