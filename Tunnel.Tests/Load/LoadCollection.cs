namespace Tunnel.Tests.Load;

/// <summary>
/// Load and process-fault tests run alone: on two cores they would starve the timing-sensitive tests beside them, and
/// their own time bounds (a restarted agent serves within 5 s) must not depend on what else runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
