namespace Tunnel.Tests.Load;

/// <summary>Load tests run alone: on two cores they would starve the timing-sensitive tests beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
