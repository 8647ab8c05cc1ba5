using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tunnel.Tests.Fixtures;

/// <summary>The messages the stand-in home sends, shaped as MoosicBox's (<c>packages/ws/src/models.rs</c>).</summary>
public static class HomeMessages
{
    /// <summary>The length of <c>{"type":"BLOB","payload":""}</c>, the smallest blob.</summary>
    public const int BlobOverhead = 28;

    public static string ConnectionId(ulong id) =>
        new JsonObject { ["type"] = "CONNECTION_ID", ["connectionId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }.ToJsonString();

    public static string Sessions(IEnumerable<JsonNode> sessions) =>
        new JsonObject { ["type"] = "SESSIONS", ["payload"] = new JsonArray([.. sessions.Select(s => s.DeepClone())]) }.ToJsonString();

    public static string Connections(IEnumerable<ulong> ids) => new JsonObject
    {
        ["type"] = "CONNECTIONS",
        ["payload"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject
        {
            ["connectionId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["alive"] = true,
        })]),
    }.ToJsonString();

    /// <summary><paramref name="type"/> with <paramref name="payload"/> as sent by the home (SESSION_UPDATED, SET_SEEK).</summary>
    public static string WithPayload(string type, JsonElement? payload) =>
        new JsonObject { ["type"] = type, ["payload"] = payload is { } p ? JsonNode.Parse(p.GetRawText()) : null }.ToJsonString();

    /// <summary>
    /// <c>{"type":"BLOB","payload":"…"}</c> of exactly <paramref name="size"/> UTF-8 bytes; its letters depend on
    /// <paramref name="seed"/>, so two blobs of one size differ and a mixed-up one shows.
    /// </summary>
    public static string Blob(int size, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, BlobOverhead);
        var text = new StringBuilder(size).Append("{\"type\":\"BLOB\",\"payload\":\"");
        for (var i = 0; i < size - BlobOverhead; i++)
        {
            text.Append((char)('a' + (int)(((uint)i * 31 + (uint)seed * 7) % 26)));
        }

        return text.Append("\"}").ToString();
    }
}
