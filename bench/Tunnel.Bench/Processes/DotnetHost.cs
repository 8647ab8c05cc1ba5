using System.Runtime.InteropServices;

namespace Tunnel.Bench.Processes;

/// <summary>The <c>dotnet</c> executable that runs this bench, used to start the server and agent dlls.</summary>
internal static class DotnetHost
{
    public static string Path()
    {
        var self = Environment.ProcessPath;
        if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        // Started through the apphost: the runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/.
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
