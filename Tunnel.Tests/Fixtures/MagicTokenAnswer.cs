namespace Tunnel.Tests.Fixtures;

/// <summary>The origin's answer to <c>GET /auth/magic-token</c>: what it received, and which origin it is.</summary>
public sealed record MagicTokenAnswer(string MagicToken, int Seed, string Target, string Authorization);
