using Tunnel.Bench;
using Tunnel.Bench.Processes;

// Issue 5: the tunnel against direct access, nginx and ssh -R, on loopback, in one run. See BenchOptions.Usage.
var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    return args.Contains("--help") || args.Contains("-h") ? 0 : 2;
}

ChildProcesses.KillAllOnExit();
try
{
    var command = "dotnet run -c Release --project bench/Tunnel.Bench" + (args.Length == 0 ? "" : " -- " + string.Join(' ', args));
    return options.SoakMinutes is null
        ? await new BenchRunner(options, command).RunAsync()
        : await new Tunnel.Bench.Soak.SoakRunner(options, command).RunAsync();
}
finally
{
    ChildProcesses.KillAll();
}
