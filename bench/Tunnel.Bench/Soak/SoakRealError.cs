namespace Tunnel.Bench.Soak;

/// <summary>A real error at <paramref name="At"/> seconds since the soak started.</summary>
internal sealed record SoakRealError(double At, string Category, string Detail);
