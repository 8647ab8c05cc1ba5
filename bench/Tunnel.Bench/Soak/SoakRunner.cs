using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tunnel.Bench.Origin;
using Tunnel.Bench.Processes;
using Tunnel.Bench.Reporting;

namespace Tunnel.Bench.Soak;

/// <summary>
/// The soak (issue 6, "Faults"): origin in process, tunnel server (SQLite) and agent as child processes, N workers
/// sending mixed traffic for the given time, every answer checked byte for byte and for being the answer to its own
/// request. Every few minutes the agent is SIGKILLed and restarted; once or twice the server is SIGKILLed and
/// restarted on the same port and database (the agent reconnects by itself). Failures within a kill's window (from
/// the kill to 5 s after the first success after it) that are visible (aborted body, connection error, 424, 502,
/// 503) are expected; every other failure, and any wrong, short or corrupted 2xx body, 500 or hang, is a real error.
/// </summary>
internal sealed class SoakRunner(BenchOptions options, string commandLine)
{
    /// <summary>After the first success following a kill, visible failures are still expected for this long.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>A kill not followed by a success within this long is a real error.</summary>
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Stopwatch _clock = new();
    private readonly ConcurrentQueue<Failure> _failures = new();
    private readonly ConcurrentQueue<RealError> _realErrors = new();
    private readonly List<KillEvent> _events = [];
    private readonly Lock _eventsGate = new();
    private readonly ConcurrentDictionary<string, long> _okByKind = new();
    private readonly ConcurrentDictionary<string, long> _failedByKind = new();
    private readonly ConcurrentQueue<double> _smallOkMs = new();
    private readonly SortedDictionary<int, (long Server, long Agent)> _rssByMinute = [];
    private double _trafficStart;
    private long _requests;
    private long _ok;
    private long _responseBytes;
    private long _uploadBytes;
    private long _maxServerRss;
    private long _maxAgentRss;
    private long _inFlight;
    private volatile bool _disturbing;
    private KillEvent? _current;
    private SoakStack? _stack;

    private double Now => _clock.Elapsed.TotalSeconds;

    public async Task<int> RunAsync()
    {
        var duration = TimeSpan.FromMinutes(options.SoakMinutes!.Value);
        var workers = options.SoakWorkers;
        var startedAt = DateTimeOffset.UtcNow;
        var workDir = Directory.CreateTempSubdirectory("tunnel-soak-").FullName;
        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromMinutes(10));
        var ct = hardStop.Token;
        Progress($"soak of {duration.TotalMinutes:0.##} min, {workers} workers; work dir {workDir}");
        var machine = await MachineInfo.ReadAsync(options.RepoRoot, ct);
        var dirty = await DirtyAsync(ct);
        OriginServer? origin = null;
        SoakStack? stack = null;
        var setupError = (string?)null;
        var finalConnected = -1;
        var finalServed = false;
        try
        {
            origin = await OriginServer.StartAsync(ct);
            stack = _stack = new SoakStack(options, origin.BaseAddress, workDir);
            _clock.Start();
            await stack.StartAsync(ct);
            using var client = CreateClient(stack);
            var firstServed = await WaitServedAsync(client, stack, TimeSpan.FromSeconds(60), ct);
            Progress($"server on {stack.ServerAddress}, agent served after {firstServed:0.0} s; traffic starts");

            var trafficStart = _trafficStart = Now;
            using var stopTraffic = new CancellationTokenSource();
            var sampler = Task.Run(() => SampleAsync(stack, stopTraffic.Token), CancellationToken.None);
            var killer = Task.Run(() => KillLoopAsync(stack, trafficStart, duration, stopTraffic.Token), CancellationToken.None);
            var progress = Task.Run(() => ProgressLoopAsync(stopTraffic.Token), CancellationToken.None);
            var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(client, w, trafficStart + duration.TotalSeconds, ct), CancellationToken.None)).ToArray();
            await Task.WhenAll(tasks);
            await stopTraffic.CancelAsync();
            await Task.WhenAll(killer, sampler, progress);

            // The end state: one agent connected, and it serves.
            finalConnected = await stack.ConnectedAgentsAsync(ct);
            finalServed = await WaitServedAsync(client, stack, TimeSpan.FromSeconds(30), ct) >= 0;
            if (finalConnected != 1)
            {
                Real(Now, "end state", $"/health says connectedAgents={finalConnected} at the end, expected 1");
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or OperationCanceledException or IOException)
        {
            setupError = ex.Message;
            Progress("FAILED: " + ex);
        }

        var finishedAt = DateTimeOffset.UtcNow;
        var serverTail = stack?.ServerLogTail() ?? string.Empty;
        var agentTail = stack?.AgentLogTail() ?? string.Empty;
        stack?.Dispose();
        if (origin is not null)
        {
            await origin.DisposeAsync();
        }

        var summary = Summarise(machine, dirty, duration, workers, startedAt, finishedAt, setupError, finalConnected, finalServed);
        Print(summary);
        Write(summary);
        var clean = setupError is null && summary.RealErrorCount == 0;
        if (clean && !options.KeepTemp)
        {
            Directory.Delete(workDir, recursive: true);
        }
        else
        {
            Progress($"child logs kept in {workDir}");
            if (!clean)
            {
                Progress("server log tail:\n" + serverTail);
                Progress("agent log tail:\n" + agentTail);
            }
        }

        return clean ? 0 : 1;
    }

    private static HttpClient CreateClient(SoakStack stack)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        var client = new HttpClient(handler) { BaseAddress = stack.ServerAddress, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.AgentToken);
        return client;
    }

    private static void Progress(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] soak: {message}");

    private async Task<double> WaitServedAsync(HttpClient client, SoakStack stack, TimeSpan timeout, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var rng = new Random(1);
        var last = "no answer";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var request = new SoakRequest("probe-" + rng.Next(), SoakKind.Small, rng.NextInt64(0, TestPattern.Period), 1024, false, null, 0, 0);
            var outcome = await ExecuteAsync(client, request, ct);
            if (outcome.Kind == OutcomeKind.Ok)
            {
                return Stopwatch.GetElapsedTime(started).TotalSeconds;
            }

            last = outcome.Detail;
            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"the tunnel did not serve within {timeout.TotalSeconds:0} s (last: {last})\nserver:\n{stack.ServerLogTail()}\nagent:\n{stack.AgentLogTail()}");
    }

    private async Task WorkerAsync(HttpClient client, int worker, double endAt, CancellationToken ct)
    {
        var rng = new Random(1000 + worker);
        long seq = 0;
        while (Now < endAt && !ct.IsCancellationRequested)
        {
            var request = SoakRequest.Draw(rng, string.Create(CultureInfo.InvariantCulture, $"w{worker}-{seq++}"));
            var start = Now;
            Interlocked.Increment(ref _inFlight);
            var outcome = await ExecuteAsync(client, request, ct);
            Interlocked.Decrement(ref _inFlight);
            var end = Now;
            Interlocked.Increment(ref _requests);
            var kindKey = request.Kind + (request.Buffered ? "/buffered" : "/streamed");
            switch (outcome.Kind)
            {
                case OutcomeKind.Ok:
                    Interlocked.Increment(ref _ok);
                    _okByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                    if (request.Kind == SoakKind.Upload)
                    {
                        Interlocked.Add(ref _uploadBytes, request.Length);
                    }
                    else
                    {
                        Interlocked.Add(ref _responseBytes, request.ExpectedBytes);
                    }

                    if (request.Kind == SoakKind.Small && _smallOkMs.Count < 2_000_000)
                    {
                        _smallOkMs.Enqueue((end - start) * 1000);
                    }

                    NoteSuccess(start, end);
                    break;
                case OutcomeKind.Visible:
                    _failedByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                    _failures.Enqueue(new Failure(start, end, outcome.Category, outcome.Detail, request.Describe()));
                    // Do not spin on instant 424s / refused connections while the tunnel is down.
                    await Task.Delay(100 + rng.Next(100), CancellationToken.None);
                    break;
                default:
                    _failedByKind.AddOrUpdate(kindKey, 1, (_, v) => v + 1);
                    Real(end, outcome.Category, $"{request.Describe()}: {outcome.Detail} (started at {start:0.0} s, took {end - start:0.0} s)");
                    break;
            }
        }
    }

    private async Task<Outcome> ExecuteAsync(HttpClient client, SoakRequest request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(request.Timeout);
        var token = timeout.Token;
        long received = 0;
        var bodyStarted = false;
        PatternContent? upload = null;
        try
        {
            using var message = new HttpRequestMessage(request.Kind == SoakKind.Upload ? HttpMethod.Post : HttpMethod.Get, request.PathAndQuery(SoakStack.ClientId));
            message.Headers.TryAddWithoutValidation(SoakEndpoints.IdHeader, request.Id);
            if (request.Buffered)
            {
                message.Headers.TryAddWithoutValidation("X-Tunnel-Response", "buffered");
            }

            if (request.Range is not null)
            {
                message.Headers.TryAddWithoutValidation("Range", request.Range);
            }

            if (request.Kind == SoakKind.Upload)
            {
                upload = new PatternContent(request.Seed, request.Length);
                message.Content = upload;
            }

            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token);
            var status = (int)response.StatusCode;
            if (response.StatusCode != request.ExpectedStatus)
            {
                var text = await SafeTextAsync(response, token);
                return status is 424 or 502 or 503
                    ? new Outcome(OutcomeKind.Visible, $"HTTP {status}", $"HTTP {status}: {text}")
                    : new Outcome(OutcomeKind.Real, status == 500 ? "HTTP 500" : "unexpected status", $"HTTP {status} (expected {(int)request.ExpectedStatus}): {text}");
            }

            var echoed = response.Headers.TryGetValues(SoakEndpoints.IdHeader, out var ids) ? string.Join(",", ids) : "(none)";
            if (echoed != request.Id)
            {
                return new Outcome(OutcomeKind.Real, "mix-up", $"answer carries {SoakEndpoints.IdHeader}: {echoed}");
            }

            if (request.Kind == SoakKind.Range)
            {
                var contentRange = response.Content.Headers.ContentRange?.ToString() ?? "(none)";
                if (contentRange != request.ExpectedContentRange)
                {
                    return new Outcome(OutcomeKind.Real, "wrong range", $"Content-Range {contentRange}, expected {request.ExpectedContentRange}");
                }
            }

            if (request.Kind == SoakKind.Upload)
            {
                return await CheckUploadAsync(response, request, upload!, token);
            }

            if (response.Content.Headers.ContentLength is { } declared && declared != request.ExpectedBytes)
            {
                return new Outcome(OutcomeKind.Real, "wrong length", $"Content-Length {declared}, expected {request.ExpectedBytes}");
            }

            if (request.Buffered && response.Content.Headers.ContentLength is null)
            {
                return new Outcome(OutcomeKind.Real, "wrong length", "buffered answer without Content-Length");
            }

            bodyStarted = true;
            var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(token);
                var expected = request.ExpectedBytes;
                var patternStart = request.Seed + request.RangeStart;
                while (true)
                {
                    var n = await body.ReadAsync(buffer.AsMemory(0, 256 * 1024), token);
                    if (n == 0)
                    {
                        break;
                    }

                    if (received + n > expected)
                    {
                        return new Outcome(OutcomeKind.Real, "long body", $"body longer than {expected} bytes");
                    }

                    if (!TestPattern.Matches(patternStart + received, buffer.AsSpan(0, n)))
                    {
                        return new Outcome(OutcomeKind.Real, "corrupted body", $"bytes differ from the pattern within [{received}, {received + n}) of {expected}");
                    }

                    received += n;
                }

                return received == expected
                    ? new Outcome(OutcomeKind.Ok, "ok", string.Empty)
                    : new Outcome(OutcomeKind.Real, "short 2xx body", $"HTTP {status} body ended cleanly after {received} of {expected} bytes");
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new Outcome(OutcomeKind.Real, "hang", $"no end within {request.Timeout.TotalSeconds:0} s ({(bodyStarted ? $"body at {received} of {request.ExpectedBytes} bytes" : "no response headers")})");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            var what = bodyStarted ? $"aborted body after {received} of {request.ExpectedBytes} bytes" : "no response";
            return new Outcome(OutcomeKind.Visible, bodyStarted ? "aborted body" : "connection error", $"{what}: {Flatten(ex)}");
        }
    }

    private static async Task<Outcome> CheckUploadAsync(HttpResponseMessage response, SoakRequest request, PatternContent upload, CancellationToken token)
    {
        var text = await response.Content.ReadAsStringAsync(token);
        SoakEndpoints.UploadAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize<SoakEndpoints.UploadAnswer>(text);
        }
        catch (JsonException ex)
        {
            return new Outcome(OutcomeKind.Real, "corrupted body", $"upload answer is not JSON ({ex.Message}): {Clip(text)}");
        }

        if (answer is null || answer.Id != request.Id || answer.Seed != request.Seed)
        {
            return new Outcome(OutcomeKind.Real, "mix-up", $"upload answer for another request: {Clip(text)}");
        }

        if (answer.Received != request.Length || !answer.Match || answer.Sha256 != upload.Sha256)
        {
            return new Outcome(OutcomeKind.Real, "corrupted upload", $"origin received {answer.Received} of {request.Length} bytes, match={answer.Match}, sha256 {answer.Sha256} vs sent {upload.Sha256}");
        }

        return new Outcome(OutcomeKind.Ok, "ok", string.Empty);
    }

    private static async Task<string> SafeTextAsync(HttpResponseMessage response, CancellationToken token)
    {
        try
        {
            return Clip(await response.Content.ReadAsStringAsync(token));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return "(body aborted: " + ex.Message + ")";
        }
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Flatten(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            parts.Add(e.Message);
        }

        return string.Join(" → ", parts.Distinct());
    }

    private void NoteSuccess(double start, double end)
    {
        var ev = Volatile.Read(ref _current);
        if (ev is null || ev.RecoveredAt is not null || start < ev.KilledAt)
        {
            return;
        }

        lock (_eventsGate)
        {
            if (ev.RecoveredAt is null || end < ev.RecoveredAt)
            {
                ev.RecoveredAt = end;
            }
        }
    }

    private void Real(double at, string category, string detail)
    {
        _realErrors.Enqueue(new RealError(at, category, detail));
        Progress($"REAL ERROR [{category}] at {at:0.0} s: {detail}");
    }

    /// <summary>The kill plan: every interval (3 min, or a third of a short run) the agent; at ~40 % and ~80 % the server instead.</summary>
    private async Task KillLoopAsync(SoakStack stack, double trafficStart, TimeSpan duration, CancellationToken stop)
    {
        var interval = Math.Min(180, duration.TotalSeconds / 3);
        var times = new List<double>();
        for (var k = 1; k * interval <= duration.TotalSeconds - (interval / 2); k++)
        {
            times.Add(k * interval);
        }

        var serverKills = times.Count >= 5 ? new HashSet<int> { (int)(times.Count * 0.4), (int)(times.Count * 0.8) } : [times.Count - 1];
        Progress($"kill plan (s after start): {string.Join(", ", times.Select((t, i) => $"{t:0}{(serverKills.Contains(i) ? " server" : " agent")}"))}");
        try
        {
            for (var i = 0; i < times.Count; i++)
            {
                var wait = trafficStart + times[i] - Now;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), stop);
                }

                var server = serverKills.Contains(i);
                var ev = new KillEvent { Number = i + 1, Target = server ? "server" : "agent", KillAt = Now, InFlightAtKill = Interlocked.Read(ref _inFlight) };
                _disturbing = true;
                lock (_eventsGate)
                {
                    _events.Add(ev);
                }

                if (server)
                {
                    var agentPid = stack.AgentPid;
                    stack.KillServer();
                    ev.KilledAt = Now;
                    Volatile.Write(ref _current, ev);
                    await stack.StartServerAsync(stop);
                    ev.RestartedAt = Now;
                    if (stack.AgentPid != agentPid || agentPid == 0)
                    {
                        Real(Now, "agent died", "the agent process exited when the server was killed (it should reconnect by itself)");
                    }
                }
                else
                {
                    stack.KillAgent();
                    ev.KilledAt = Now;
                    Volatile.Write(ref _current, ev);
                    // A supervisor (systemd Restart=) would bring it back after about a second.
                    await Task.Delay(TimeSpan.FromSeconds(1), stop);
                    stack.StartAgent();
                    ev.RestartedAt = Now;
                }

                Progress($"kill {ev.Number}: {ev.Target} SIGKILLed at {ev.KillAt - trafficStart:0.0} s of traffic ({ev.InFlightAtKill} requests in flight), back up {ev.RestartedAt - ev.KillAt:0.00} s later");
                while (ev.RecoveredAt is null && Now - ev.KilledAt < RecoveryLimit.TotalSeconds)
                {
                    await Task.Delay(50, stop);
                }

                if (ev.RecoveredAt is null)
                {
                    Real(Now, "no recovery", $"kill {ev.Number} ({ev.Target}): no successful request within {RecoveryLimit.TotalSeconds:0} s");
                }
                else
                {
                    Progress($"kill {ev.Number}: recovered {ev.RecoveredAt - ev.KillAt:0.00} s after the kill ({ev.RecoveredAt - ev.RestartedAt:0.00} s after the restart)");
                }

                _disturbing = false;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private async Task SampleAsync(SoakStack stack, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        int lastServer = 0, lastAgent = 0;
        try
        {
            do
            {
                var serverPid = stack.ServerPid;
                var agentPid = stack.AgentPid;
                var server = serverPid == 0 ? 0 : ProcFs.RssBytes(serverPid);
                var agent = agentPid == 0 ? 0 : ProcFs.RssBytes(agentPid);
                InterlockedMax(ref _maxServerRss, server);
                InterlockedMax(ref _maxAgentRss, agent);
                var minute = (int)(Now / 60);
                lock (_rssByMinute)
                {
                    _rssByMinute.TryGetValue(minute, out var m);
                    _rssByMinute[minute] = (Math.Max(m.Server, server), Math.Max(m.Agent, agent));
                }

                // A process that is gone while no kill is in progress died by itself.
                if (!_disturbing)
                {
                    if (serverPid == 0 && lastServer != 0)
                    {
                        Real(Now, "server died", $"the server (pid {lastServer}) exited by itself:\n{stack.ServerLogTail()}");
                    }

                    if (agentPid == 0 && lastAgent != 0)
                    {
                        Real(Now, "agent died", $"the agent (pid {lastAgent}) exited by itself:\n{stack.AgentLogTail()}");
                    }
                }

                lastServer = serverPid;
                lastAgent = agentPid;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private async Task ProgressLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), stop);
                Progress($"{Now / 60:0.0} min: {Interlocked.Read(ref _requests)} requests, {Interlocked.Read(ref _ok)} ok, {_failures.Count} visible failures, {_realErrors.Count} real errors, {(Interlocked.Read(ref _responseBytes) + Interlocked.Read(ref _uploadBytes)) / 1e9:0.00} GB; RSS server {_maxServerRss / 1048576.0:0} MiB max, agent {_maxAgentRss / 1048576.0:0} MiB max");
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private async Task<string> DirtyAsync(CancellationToken ct)
    {
        if (options.RepoRoot is null)
        {
            return string.Empty;
        }

        try
        {
            var (code, output) = await Command.RunAsync("git", ["-C", options.RepoRoot, "status", "--porcelain", "--", "Tunnel.Server", "Tunnel.Agent", "Tunnel.Contracts"], TimeSpan.FromSeconds(10), ct);
            return code == 0 ? output.Trim() : string.Empty;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return string.Empty;
        }
    }

    private SoakSummary Summarise(MachineInfo machine, string dirty, TimeSpan duration, int workers, DateTimeOffset startedAt, DateTimeOffset finishedAt, string? setupError, int finalConnected, bool finalServed)
    {
        KillEvent[] events;
        lock (_eventsGate)
        {
            events = [.. _events];
        }

        // Each visible failure must fall within a kill's window: [kill, first success after it + grace].
        var expected = new Dictionary<string, long>();
        var failures = _failures.ToArray();
        foreach (var failure in failures)
        {
            var window = events.FirstOrDefault(e => failure.End >= e.KillAt && failure.End <= (e.RecoveredAt ?? e.KillAt + RecoveryLimit.TotalSeconds) + Grace.TotalSeconds);
            if (window is null)
            {
                Real(failure.End, "failure outside a kill window", $"{failure.Request}: {failure.Detail} (started at {failure.Start:0.0} s, failed at {failure.End:0.0} s)");
                continue;
            }

            window.ExpectedFailures++;
            window.LastFailureAfterKill = Math.Max(window.LastFailureAfterKill, failure.End - window.KillAt);
            expected[failure.Category] = expected.GetValueOrDefault(failure.Category) + 1;
        }

        var realErrors = _realErrors.ToArray();
        var small = _smallOkMs.ToArray();
        Array.Sort(small);
        double Percentile(double p) => small.Length == 0 ? 0 : small[Math.Min(small.Length - 1, (int)(p * small.Length))];
        var elapsed = (finishedAt - startedAt).TotalSeconds;
        var responseBytes = Interlocked.Read(ref _responseBytes);
        var uploadBytes = Interlocked.Read(ref _uploadBytes);
        (int Minute, long Server, long Agent)[] timeline;
        lock (_rssByMinute)
        {
            timeline = [.. _rssByMinute.Select(kv => (kv.Key, kv.Value.Server, kv.Value.Agent))];
        }

        return new SoakSummary
        {
            Command = commandLine,
            StartedAt = startedAt,
            FinishedAt = finishedAt,
            PlannedMinutes = duration.TotalMinutes,
            ElapsedSeconds = Math.Round(elapsed, 1),
            Workers = workers,
            Machine = machine,
            UncommittedTunnelChanges = dirty,
            SetupError = setupError,
            Requests = Interlocked.Read(ref _requests),
            Ok = Interlocked.Read(ref _ok),
            ExpectedFailures = failures.Length - realErrors.Count(r => r.Category == "failure outside a kill window"),
            ExpectedFailuresByCategory = expected,
            RealErrorCount = realErrors.Length,
            RealErrorsByCategory = realErrors.GroupBy(r => r.Category).ToDictionary(g => g.Key, g => (long)g.Count()),
            RealErrors = [.. realErrors.OrderBy(r => r.At).Take(50).Select(r => $"{r.At:0.0} s [{r.Category}] {r.Detail}")],
            OkByKind = new SortedDictionary<string, long>(_okByKind),
            FailedByKind = new SortedDictionary<string, long>(_failedByKind),
            ResponseBytes = responseBytes,
            UploadBytes = uploadBytes,
            AverageMBps = elapsed > 0 ? Math.Round((responseBytes + uploadBytes) / 1e6 / elapsed, 1) : 0,
            SmallOkP50Ms = Math.Round(Percentile(0.5), 1),
            SmallOkP99Ms = Math.Round(Percentile(0.99), 1),
            MaxServerRssMiB = Math.Round(Interlocked.Read(ref _maxServerRss) / 1048576.0, 1),
            MaxAgentRssMiB = Math.Round(Interlocked.Read(ref _maxAgentRss) / 1048576.0, 1),
            RssByMinuteMiB = [.. timeline.Select(t => new RssPoint(t.Minute, Math.Round(t.Server / 1048576.0, 1), Math.Round(t.Agent / 1048576.0, 1)))],
            Kills = [.. events.Select(e => new KillResult(
                e.Number,
                e.Target,
                Math.Round(e.KillAt - _trafficStart, 1),
                e.InFlightAtKill,
                Math.Round(e.RestartedAt - e.KillAt, 2),
                e.RecoveredAt is { } r ? Math.Round(r - e.KillAt, 2) : null,
                e.RecoveredAt is { } r2 ? Math.Round(r2 - e.RestartedAt, 2) : null,
                e.ExpectedFailures,
                Math.Round(e.LastFailureAfterKill, 2)))],
            OriginShortUploads = SoakEndpoints.ShortUploads,
            FinalConnectedAgents = finalConnected,
            FinalServed = finalServed,
        };
    }

    private static void Print(SoakSummary s)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Soak: {s.ElapsedSeconds / 60:0.0} min, {s.Workers} workers, {s.Machine.Cores} cores / {s.Machine.MemoryGiB} GiB");
        text.AppendLine(CultureInfo.InvariantCulture, $"  requests {s.Requests}, ok {s.Ok}, expected failures {s.ExpectedFailures}, REAL ERRORS {s.RealErrorCount}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  bytes: responses {s.ResponseBytes / 1e9:0.00} GB, uploads {s.UploadBytes / 1e9:0.00} GB, {s.AverageMBps} MB/s average");
        text.AppendLine(CultureInfo.InvariantCulture, $"  max RSS: server {s.MaxServerRssMiB} MiB, agent {s.MaxAgentRssMiB} MiB; small requests p50 {s.SmallOkP50Ms} ms, p99 {s.SmallOkP99Ms} ms");
        foreach (var k in s.Kills)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  kill {k.Number} {k.Target} at {k.AtSeconds} s: restart {k.RestartSeconds} s, recovered {k.RecoverySeconds?.ToString(CultureInfo.InvariantCulture) ?? "NEVER"} s after the kill, {k.ExpectedFailures} expected failures");
        }

        foreach (var e in s.RealErrors)
        {
            text.AppendLine("  real error: " + e);
        }

        Console.WriteLine(text.ToString());
    }

    private void Write(SoakSummary s)
    {
        var json = options.SoakOutPath;
        Directory.CreateDirectory(Path.GetDirectoryName(json)!);
        File.WriteAllText(json, JsonSerializer.Serialize(s, Json));
        var md = options.SoakMarkdownPath;
        File.WriteAllText(md, SoakMarkdown.Render(s, Path.GetRelativePath(Path.GetDirectoryName(md)!, json)));
        Progress($"wrote {json} and {md}");
    }

    private enum OutcomeKind
    {
        Ok,
        Visible,
        Real,
    }

    private sealed record Outcome(OutcomeKind Kind, string Category, string Detail);

    private sealed record Failure(double Start, double End, string Category, string Detail, string Request);

    private sealed record RealError(double At, string Category, string Detail);

    private sealed class KillEvent
    {
        public int Number { get; init; }

        public required string Target { get; init; }

        public double KillAt { get; init; }

        public double KilledAt { get; set; }

        public double RestartedAt { get; set; }

        public double? RecoveredAt { get; set; }

        public long InFlightAtKill { get; init; }

        public long ExpectedFailures { get; set; }

        public double LastFailureAfterKill { get; set; }
    }
}
