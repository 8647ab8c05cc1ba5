namespace Tunnel.Bench.Processes;

/// <summary>
/// How the bench starts Tunnel.Agent: the native executable run directly (Native AOT, as the agent ships), or
/// <c>Tunnel.Agent.dll</c> under <c>dotnet</c> (JIT, for comparison). <see cref="Description"/> goes into the
/// reports, so that their numbers say which build they measured.
/// </summary>
internal sealed class AgentLauncher
{
    private AgentLauncher(string path, bool native, string description)
    {
        Path = path;
        IsNative = native;
        Description = description;
    }

    /// <summary>The executable, or the dll that <c>dotnet</c> runs.</summary>
    public string Path { get; }

    public bool IsNative { get; }

    /// <summary>For the reports, e.g. "Native AOT linux-x64" or "dotnet Tunnel.Agent.dll (JIT)".</summary>
    public string Description { get; }

    /// <summary>The build's folder, where its shipped appsettings.json is.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public static AgentLauncher Native(string executable, string description) =>
        new(System.IO.Path.GetFullPath(executable), native: true, description);

    public static AgentLauncher Dll(string dll) =>
        new(System.IO.Path.GetFullPath(dll), native: false, $"dotnet {System.IO.Path.GetFileName(dll)} (JIT)");

    /// <summary>Starts the agent with <paramref name="arguments"/> (its configuration) as a <see cref="ChildProcess"/>.</summary>
    public ChildProcess Start(
        string name,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        string logDir,
        IReadOnlyDictionary<string, string?> environment) =>
        IsNative
            ? ChildProcess.Start(name, Path, arguments, workingDirectory, logDir, environment)
            : ChildProcess.Start(name, DotnetHost.Path(), [Path, .. arguments], workingDirectory, logDir, environment);

    /// <summary>
    /// The same build copied into <paramref name="targetDir"/>: a dll with its whole folder (deps.json,
    /// runtimeconfig.json, dependencies), an executable with its appsettings.json only (its symbols file is large and
    /// not needed to run it).
    /// </summary>
    public AgentLauncher CopyTo(string targetDir)
    {
        System.IO.Directory.CreateDirectory(targetDir);
        IEnumerable<string> files = IsNative
            ? [Path, System.IO.Path.Combine(Directory, "appsettings.json")]
            : System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories);
        foreach (var file in files.Where(File.Exists))
        {
            var target = System.IO.Path.Combine(targetDir, System.IO.Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return new AgentLauncher(System.IO.Path.Combine(targetDir, System.IO.Path.GetFileName(Path)), IsNative, Description);
    }
}
