namespace Tunnel.Bench.Soak;

/// <summary>The checked result of one soak request: its kind, a short category for the tallies, and what was seen.</summary>
internal sealed record SoakOutcome(SoakOutcomeKind Kind, string Category, string Detail)
{
    public static SoakOutcome Ok { get; } = new(SoakOutcomeKind.Ok, "ok", string.Empty);

    public static SoakOutcome Visible(string category, string detail) => new(SoakOutcomeKind.Visible, category, detail);

    public static SoakOutcome Real(string category, string detail) => new(SoakOutcomeKind.Real, category, detail);
}
