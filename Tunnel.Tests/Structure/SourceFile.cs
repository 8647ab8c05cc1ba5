namespace Tunnel.Tests.Structure;

/// <summary>One C# file: its path relative to its project folder, and its text.</summary>
internal sealed record SourceFile(string Path, string Text);
