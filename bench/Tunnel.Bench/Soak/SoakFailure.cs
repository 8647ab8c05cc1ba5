namespace Tunnel.Bench.Soak;

/// <summary>A visible failure (seconds since the soak started): expected only within a kill's window.</summary>
internal sealed record SoakFailure(double Start, double End, string Category, string Detail, string Request);
