namespace Tunnel.Bench.Reporting;

/// <summary>One target of issue 5, checked against this run's tunnel (streamed) numbers. Reported, never asserted.</summary>
internal sealed record TargetResult(string Target, string Level, string Goal, double? Value, bool Met);
