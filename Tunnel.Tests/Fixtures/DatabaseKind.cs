namespace Tunnel.Tests.Fixtures;

/// <summary>Which registry database a test runs against; tests of the registry run on both.</summary>
public enum DatabaseKind
{
    Sqlite,
    MariaDb,
}
