namespace Tunnel.Bench.Soak;

/// <summary>How one soak request ended.</summary>
internal enum SoakOutcomeKind
{
    /// <summary>The right status, the request's own answer, every byte as expected.</summary>
    Ok,

    /// <summary>A failure the caller sees (424, 502, 503, connection error, aborted body): expected within a kill's window.</summary>
    Visible,

    /// <summary>A wrong, short or corrupted answer, a 500, a mix-up or a hang: always a real error.</summary>
    Real,
}
