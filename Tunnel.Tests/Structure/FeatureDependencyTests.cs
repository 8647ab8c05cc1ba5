using Xunit.Abstractions;

namespace Tunnel.Tests.Structure;

/// <summary>
/// Dependencies between top-level feature folders point one way (issue 15): no two features may depend on each
/// other, directly or around a loop. The graph is read from the sources (see <see cref="FeatureGraph"/>).
/// </summary>
public sealed class FeatureDependencyTests(ITestOutputHelper output)
{
    /// <summary>
    /// The agent's options are read by every feature; the conventions put such options at the project root, where
    /// phase 2 of issue 15 moves them. Until then they count as root files here, and nothing else may make a cycle.
    /// </summary>
    private static readonly HashSet<string> AgentRootTypes = ["AgentOptions", "AgentOptionsValidator"];

    [Fact]
    public void FeatureFolders_OfAgent_HaveNoCycle()
    {
        // Tunnel.Server joins once its cycles are gone (issue 15, phase 2); Graph_ServerToday_IsReadAndPrinted prints them.
        var graph = FeatureGraph.OfProject("Tunnel.Agent", AgentRootTypes);
        foreach (var feature in graph.Features)
        {
            output.WriteLine($"{feature} → {string.Join(", ", graph.DependenciesOf(feature))}");
        }

        graph.Features.Should().Contain(["Connection", "Origin", "Requests"]);
        var cycles = graph.Cycles();
        cycles.Should().BeEmpty("features of Tunnel.Agent must depend on each other one way only:\n{0}", graph.Describe(cycles));
    }

    [Fact]
    public void Graph_AgentToday_CycleOnlyThroughItsOptions()
    {
        // The count of the exception above: with the options in Connection/, the agent has exactly that one cycle.
        var graph = FeatureGraph.OfProject("Tunnel.Agent");
        output.WriteLine(graph.Describe(graph.Cycles()));
        graph.Causes("Origin", "Connection").Should().OnlyContain(c => c.EndsWith("→ AgentOptions", StringComparison.Ordinal));
        graph.Causes("Requests", "Connection").Should().OnlyContain(c => c.EndsWith("→ AgentOptions", StringComparison.Ordinal));
    }

    [Fact]
    public void Graph_ServerToday_IsReadAndPrinted()
    {
        // Not a verdict yet (phase 2 removes the cycles): proves the graph is read from the real sources, and prints
        // what is left to untangle.
        var graph = FeatureGraph.OfProject("Tunnel.Server");
        graph.Features.Should().Contain(["Hubs", "Forwarding", "Auth", "Registry"]);
        graph.DependenciesOf("Forwarding").Should().Contain("Registry");
        foreach (var feature in graph.Features)
        {
            output.WriteLine($"{feature} → {string.Join(", ", graph.DependenciesOf(feature))}");
        }

        output.WriteLine(graph.Describe(graph.Cycles()));
    }

    [Fact]
    public void Cycles_TwoFeaturesUsingEachOther_FoundWithTheirTypes()
    {
        var graph = FeatureGraph.Build("App",
        [
            new SourceFile("A/Alpha.cs", "using App.B;\nnamespace App.A;\ninternal sealed class Alpha { private Beta? _b; }"),
            new SourceFile("B/Beta.cs", "namespace App.B;\ninternal sealed class Beta { private App.C.Gamma? _g; }"),
            new SourceFile("C/Gamma.cs", "namespace App.C;\ninternal sealed class Gamma { private A.Alpha? _a; }"),
            new SourceFile("D/Delta.cs", "using App.A;\nnamespace App.D;\n// Beta, App.B.Beta: comments do not count\ninternal sealed class Delta { private string _s = \"App.C.Gamma\"; private Alpha? _a; }"),
            new SourceFile("Program.cs", "using App.D;\nusing App.A;\nvar d = new Delta();"),
        ]);

        var cycles = graph.Cycles();

        cycles.Should().ContainSingle().Which.Should().Equal("A", "B", "C");
        graph.Causes("A", "B").Should().Equal(["Alpha → Beta"]);
        graph.Causes("B", "C").Should().Equal(["Beta → Gamma"], "a fully qualified name is a reference");
        graph.Causes("C", "A").Should().Equal(["Gamma → Alpha"], "a partly qualified name is a reference");
        graph.DependenciesOf("D").Should().Equal(["A"], "comments and strings are not references");
        graph.Describe(cycles).Should().Contain("A → B: Alpha → Beta");
    }

    [Fact]
    public void Cycles_OneWayDependencies_NoneFound()
    {
        var graph = FeatureGraph.Build("App",
        [
            new SourceFile("A/Alpha.cs", "using App.B;\nnamespace App.A;\ninternal sealed class Alpha { private Beta? _b; }"),
            new SourceFile("B/Beta.cs", "using App.C;\nnamespace App.B;\ninternal static class Beta { public static void Use(this Gamma g) { } }"),
            new SourceFile("C/Gamma.cs", "namespace App.C;\ninternal sealed class Gamma;"),
        ]);

        graph.Cycles().Should().BeEmpty();
        graph.DependenciesOf("A").Should().Equal("B");
        graph.DependenciesOf("B").Should().Equal("C");
    }

    [Fact]
    public void Cycles_ThroughATypeCountedAtTheRoot_NotFound()
    {
        SourceFile[] files =
        [
            new("A/Alpha.cs", "using App.B;\nnamespace App.A;\ninternal sealed class Alpha { private Beta? _b; }"),
            new("A/Settings.cs", "namespace App.A;\ninternal sealed class Settings;"),
            new("B/Beta.cs", "using App.A;\nnamespace App.B;\ninternal sealed class Beta { private Settings? _s; }"),
        ];

        FeatureGraph.Build("App", files).Cycles().Should().ContainSingle("B uses A's Settings");
        var graph = FeatureGraph.Build("App", files, new HashSet<string> { "Settings" });
        graph.Cycles().Should().BeEmpty("Settings counts as a root type, and B's using of App.A only serves it");
        graph.DependenciesOf("B").Should().BeEmpty();
    }
}
