using System.Text;
using System.Text.RegularExpressions;

namespace Tunnel.Tests.Structure;

/// <summary>
/// The dependencies between the top-level feature folders of one project (<c>Tunnel.Server/Hubs</c> →
/// <c>Tunnel.Server.Hubs</c>): feature A depends on feature B when a file of A names a type declared in B, through
/// <c>using RootNamespace.B;</c>, a fully qualified <c>RootNamespace.B.Type</c> or a partly qualified <c>B.Type</c>;
/// a <c>using</c> of B in which no type of B is named (extension methods, or an unused using) counts as well.
/// Files at the project root (the composition root: Program, AddXxx, shared logs) belong to no feature.
/// </summary>
internal sealed partial class FeatureGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _edges = new(StringComparer.Ordinal);

    private FeatureGraph(IEnumerable<string> features)
    {
        foreach (var feature in features)
        {
            _edges[feature] = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        }
    }

    public IEnumerable<string> Features => _edges.Keys;

    /// <summary>The graph of <paramref name="project"/> (a folder under the repository root whose name is its root namespace).</summary>
    /// <param name="project">The project folder, e.g. <c>Tunnel.Agent</c>.</param>
    public static FeatureGraph OfProject(string project) =>
        Build(project, SourceTree.CSharpFiles(project).Select(f => new SourceFile(Path.GetRelativePath(Path.Combine(SourceTree.RepoRoot, project), f), File.ReadAllText(f))));

    /// <summary>The graph of source files given by their path relative to the project folder.</summary>
    /// <param name="rootNamespace">The project's root namespace.</param>
    /// <param name="files">The files, paths relative to the project folder.</param>
    public static FeatureGraph Build(string rootNamespace, IEnumerable<SourceFile> files)
    {
        var parsed = files
            .Select(f => (Feature: FeatureOf(f.Path), f.Path, Code: CSharpCode.Strip(f.Text)))
            .Where(f => f.Feature is not null)
            .ToList();
        var graph = new FeatureGraph(parsed.Select(f => f.Feature!).Distinct());
        var typesOf = parsed
            .GroupBy(f => f.Feature!)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => TypeDeclaration().Matches(f.Code).Select(m => m.Groups["name"].Value)).ToHashSet(StringComparer.Ordinal));
        var root = Regex.Escape(rootNamespace);
        foreach (var (feature, path, code) in parsed)
        {
            var source = Path.GetFileNameWithoutExtension(path);
            foreach (var other in typesOf.Keys.Where(k => k != feature))
            {
                var types = typesOf[other];
                var imported = Regex.IsMatch(code, $@"\busing\s+(?:static\s+)?(?:\w+\s*=\s*)?(?:global::)?{root}\.{other}(?:\.\w+)*\s*;");
                var named = new SortedSet<string>(StringComparer.Ordinal);
                foreach (Match m in Regex.Matches(code, $@"(?<![\w.])(?:(?:global::)?{root}\.)?{other}\.(?<type>\w+)"))
                {
                    if (types.Contains(m.Groups["type"].Value))
                    {
                        named.Add(m.Groups["type"].Value);
                    }
                }

                if (imported)
                {
                    foreach (var type in types.Where(t => Regex.IsMatch(code, $@"(?<![\w.]){Regex.Escape(t)}\b")))
                    {
                        named.Add(type);
                    }
                }

                if (named.Count > 0)
                {
                    graph.Add(feature!, other, named.Select(t => $"{source} → {t}"));
                }
                else if (imported)
                {
                    graph.Add(feature!, other, [$"{source} → (using only)"]);
                }
            }
        }

        return graph;
    }

    /// <summary>What in <paramref name="from"/> uses what in <paramref name="to"/> (empty: no edge).</summary>
    public IReadOnlyCollection<string> Causes(string from, string to) =>
        _edges.TryGetValue(from, out var targets) && targets.TryGetValue(to, out var causes) ? causes : [];

    public IEnumerable<string> DependenciesOf(string feature) => _edges[feature].Keys;

    /// <summary>Groups of features that depend on each other (strongly connected components of more than one feature).</summary>
    public List<List<string>> Cycles()
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        foreach (var feature in _edges.Keys.Where(f => !index.ContainsKey(f)))
        {
            Connect(feature);
        }

        return result;

        void Connect(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in _edges[v].Keys)
            {
                if (!index.ContainsKey(w))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    result.Add(component);
                }
            }
        }
    }

    /// <summary>Each cycle with every edge inside it and the types that make the edge.</summary>
    public string Describe(IEnumerable<List<string>> cycles)
    {
        var text = new StringBuilder();
        foreach (var cycle in cycles)
        {
            text.AppendLine("cycle: " + string.Join(" ⇄ ", cycle));
            foreach (var from in cycle)
            {
                foreach (var to in cycle.Where(t => Causes(from, t).Count > 0))
                {
                    text.AppendLine($"  {from} → {to}: {string.Join(", ", Causes(from, to))}");
                }
            }
        }

        return text.ToString();
    }

    private static string? FeatureOf(string relativePath)
    {
        var parts = relativePath.Split('/', '\\');
        return parts.Length > 1 ? parts[0] : null;
    }

    private void Add(string from, string to, IEnumerable<string> causes)
    {
        if (!_edges[from].TryGetValue(to, out var set))
        {
            _edges[from][to] = set = new SortedSet<string>(StringComparer.Ordinal);
        }

        set.UnionWith(causes);
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();
}
