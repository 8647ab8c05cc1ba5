using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tunnel.Agent.Links;

/// <summary>The server's device-link answer read by generated code (web defaults: camelCase), as Native AOT needs.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DeviceLink))]
internal sealed partial class DeviceLinkJsonContext : JsonSerializerContext;
