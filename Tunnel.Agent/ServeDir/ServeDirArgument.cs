namespace Tunnel.Agent.ServeDir;

/// <summary>Finds <c>--serve-dir PATH</c> (or <c>--serve-dir=PATH</c>) among the agent's arguments.</summary>
internal static class ServeDirArgument
{
    public const string Name = "--serve-dir";

    /// <summary>The folder, null without the option; an empty string when the option has no value.</summary>
    public static string? Find(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == Name)
            {
                return i + 1 < args.Count ? args[i + 1] : "";
            }

            if (args[i].StartsWith(Name + "=", StringComparison.Ordinal))
            {
                return args[i][(Name.Length + 1)..];
            }
        }

        return null;
    }
}
