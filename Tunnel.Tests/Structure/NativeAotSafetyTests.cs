namespace Tunnel.Tests.Structure;

/// <summary>
/// The agent ships as a Native AOT executable (issue 13). The build's AOT analyzers catch annotated libraries, but
/// MessagePack-CSharp 2.5 carries no annotations: its dynamic resolvers build code at run time, compile cleanly and
/// fail only in the native agent (it connects, then never answers). The agent and the contract must use the
/// hand-written formatters (Tunnel.Contracts/Wire, Tunnel.Agent/HubProtocol) and nothing of these.
/// </summary>
public sealed class NativeAotSafetyTests
{
    private static readonly string[] RuntimeCodeGeneration =
    [
        "MessagePackSerializer.",
        "StandardResolver",
        "DynamicObjectResolver",
        "DynamicEnumResolver",
        "DynamicEnumAsStringResolver",
        "DynamicGenericResolver",
        "TypelessFormatter",
        "AddMessagePackProtocol",
        "[MessagePackObject",
        "[Union(",
    ];

    [Theory]
    [InlineData("Tunnel.Agent")]
    [InlineData("Tunnel.Contracts")]
    public void Sources_UseNoMessagePackRuntimeCodeGeneration(string project)
    {
        var found = SourceTree.CSharpFiles(project)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => !l.line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => RuntimeCodeGeneration.Where(l.line.Contains).Select(name => $"{Path.GetRelativePath(SourceTree.RepoRoot, l.file)}:{l.number}: {name}"))
            .ToList();

        found.Should().BeEmpty("the Native AOT agent cannot run MessagePack's runtime code generation");
    }
}
