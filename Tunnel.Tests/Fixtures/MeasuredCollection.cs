namespace Tunnel.Tests.Fixtures;

/// <summary>
/// Tests that measure time, throughput or the process's memory run in this collection: alone, after the parallel
/// ones, so that other tests' traffic does not blur the numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredCollection
{
    public const string Name = "Measured";
}
