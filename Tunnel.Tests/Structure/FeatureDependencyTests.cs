using Xunit.Abstractions;

namespace Tunnel.Tests.Structure;

/// <summary>
/// Dependencies between top-level feature folders point one way (issue 15): no two features may depend on each
/// other, directly or around a loop. The graph is read from the sources (see <see cref="FeatureGraph"/>).
/// </summary>
public sealed class FeatureDependencyTests(ITestOutputHelper output)
{
    [Fact]
    public void FeatureFolders_OfAgent_HaveNoCycle()
    {
        var graph = Print(FeatureGraph.OfProject("Tunnel.Agent"));

        graph.Features.Should().Contain(["Connection", "Origin", "Requests"]);
        graph.DependenciesOf("Requests").Should().Contain("Origin", "proves the graph is read from the real sources");
        var cycles = graph.Cycles();
        cycles.Should().BeEmpty("features of Tunnel.Agent must depend on each other one way only:\n{0}", graph.Describe(cycles));
    }

    [Fact]
    public void FeatureFolders_OfServer_HaveNoCycle()
    {
        var graph = Print(FeatureGraph.OfProject("Tunnel.Server"));

        graph.Features.Should().Contain(["Agents", "Auth", "Forwarding", "Hosting", "Hubs", "Registry", "Relay"]);
        graph.DependenciesOf("Forwarding").Should().Contain(["Agents", "Registry"], "proves the graph is read from the real sources");
        var cycles = graph.Cycles();
        cycles.Should().BeEmpty("features of Tunnel.Server must depend on each other one way only:\n{0}", graph.Describe(cycles));
    }

    [Fact]
    public void FeatureFolders_OfServer_NeverDependOnTheHub()
    {
        // The hub is a thin SignalR surface over the features (conventions, "Dependencies point one way"): a feature
        // that needs it has its work in the wrong place. Only the composition root (Hosting, Program) may use it.
        var graph = FeatureGraph.OfProject("Tunnel.Server");
        foreach (var feature in graph.Features.Where(f => f is not "Hosting" and not "Hubs"))
        {
            graph.Causes(feature, "Hubs").Should().BeEmpty($"{feature} must not depend on Hubs");
        }

        graph.Causes("Auth", "Forwarding").Should().BeEmpty("the magic-token GET that forwards belongs to Forwarding");
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

    private FeatureGraph Print(FeatureGraph graph)
    {
        foreach (var feature in graph.Features)
        {
            output.WriteLine($"{feature} → {string.Join(", ", graph.DependenciesOf(feature))}");
        }

        return graph;
    }
}
