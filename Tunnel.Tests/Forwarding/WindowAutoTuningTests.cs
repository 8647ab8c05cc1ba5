using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tunnel.Server.Forwarding;
using Tunnel.Server.Agents;
using Tunnel.Tests.Fixtures;
using Xunit.Abstractions;

namespace Tunnel.Tests.Forwarding;

/// <summary>
/// Credit windows that grow with the bandwidth-delay product: the agent reaches the server through a proxy adding
/// 25 ms in each direction (a 50 ms round trip, as on a home link), where a fixed 8 × 64 KiB window caps a download
/// at 512 KiB per round trip. The windows must grow past that, within the budgets, shrink back once the caller is
/// the bottleneck, and a stalled caller must still not slow another request. Asserts on the windows the server
/// observed, not on wall-clock throughput (logged only).
/// </summary>
[Collection(MeasuredCollection.Name)]
public sealed class WindowAutoTuningTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const int InitialWindow = 8;
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(25);

    [Fact]
    public async Task Download_Through25msDelay_WindowGrowsPastFixedWindow()
    {
        await using var link = await DelayedStack.StartAsync(OneWay);
        var windows = link.Windows;

        var seconds = await link.DownloadAsync(32 * MiB);

        var roundTrips = seconds / (2 * OneWay.TotalSeconds);
        output.WriteLine($"32 MiB through {OneWay.TotalMilliseconds:0} ms one-way: {32 / seconds:0.0} MiB/s, {32 * 1024 / roundTrips:0} KiB per round trip (a fixed window: 512); largest window {windows.LargestResponseWindow} chunks");
        windows.LargestResponseWindow.Should().BeGreaterThanOrEqualTo(4 * InitialWindow,
            "the sender was held back by credit for several round trips, so its window must have grown to at least 4 × 512 KiB");
        windows.LargestResponseWindow.Should().BeLessThanOrEqualTo((int)(link.Options.ResponseWindowMaxBytes / (64 * 1024)));
        link.HubStreamBufferCapacity.Should().BeGreaterThan(ForwardingOptions.MaxCreditWindow,
            "the hub's stream buffer must stay above the largest possible window, or one slow caller stalls the agent");
        (await Eventually.HoldsAsync(() => windows.NodeReservedBytes == 0, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("a finished request gives its window growth back to the budgets");
    }

    [Fact]
    public async Task StalledCaller_Through25msDelay_OtherDownloadKeepsItsThroughputAndMemoryStaysBounded()
    {
        await using var link = await DelayedStack.StartAsync(OneWay);
        await link.DownloadAsync(8 * MiB);
        var alone = 32 / await link.DownloadAsync(32 * MiB);

        await using var stalled = await link.OpenStalledAsync(256 * MiB);
        (await Eventually.HoldsAsync(() => link.Pending.Count == 1, TimeSpan.FromSeconds(5))).Should().BeTrue();
        await Task.Delay(1000);
        var heldByStalled = link.Windows.NodeReservedBytes;
        var beside = 32 / await link.DownloadAsync(32 * MiB);

        output.WriteLine($"32 MiB through {OneWay.TotalMilliseconds:0} ms one-way alone: {alone:0.0} MiB/s; beside a stalled 256 MiB download: {beside:0.0} MiB/s; window growth held by the stalled request: {heldByStalled / (double)MiB:0.0} MiB");
        heldByStalled.Should().BeLessThanOrEqualTo(link.Options.ResponseWindowMaxBytes, "a stalled request holds at most one window");
        (await Eventually.HoldsAsync(() => link.Pending.Count == 1, TimeSpan.FromSeconds(5)))
            .Should().BeTrue("the other request finishes and the stalled one is still open");
        beside.Should().BeGreaterThan(alone / 4, "a stalled caller must not slow another request of the same agent");
    }

    [Fact]
    public async Task CallerTurnsSlow_Through25msDelay_WindowShrinksBackWhileTheRequestRuns()
    {
        await using var link = await DelayedStack.StartAsync(OneWay);
        await using var caller = await link.OpenDownloadAsync(1024 * MiB);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        // Fast at first, as any caller is while the kernel's socket buffers soak the body up: the window grows.
        var buffer = new byte[64 * 1024];
        long fast = 0;
        while (link.Windows.NodeReservedBytes == 0 && fast < 256 * MiB)
        {
            var read = await caller.Body.ReadAsync(buffer, cts.Token);
            read.Should().BePositive("the body is far from its end");
            fast += read;
        }

        link.Windows.NodeReservedBytes.Should().BePositive("a caller that keeps up through a 50 ms round trip grows its window");

        // Then slow (curl --limit-rate 4M): the link could carry more, so the server finds every chunk queued.
        var clock = Stopwatch.StartNew();
        using var slow = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);
        var reading = ReadPacedAsync(caller.Body, 4 * MiB, slow.Token);
        var shrank = await Eventually.HoldsAsync(() => link.Windows.NodeReservedBytes == 0 || reading.IsCompleted, TimeSpan.FromSeconds(60));
        var running = link.Pending.Count == 1 && !reading.IsCompleted;
        await slow.CancelAsync();
        var slowBytes = await reading;

        output.WriteLine($"read {fast / (double)MiB:0.0} MiB fast, largest window {link.Windows.LargestResponseWindow} chunks; then {slowBytes / (double)MiB:0.0} MiB at 4 MiB/s in {clock.Elapsed.TotalSeconds:0.0} s, after which the node still held {link.Windows.NodeReservedBytes / (double)MiB:0.0} MiB of growth");
        shrank.Should().BeTrue("a window whose caller became the bottleneck shrinks back to the initial one, giving its growth back");
        link.Windows.NodeReservedBytes.Should().Be(0);
        running.Should().BeTrue("the growth came back while the request was still running, not when it ended");
    }

    [Fact]
    public async Task Upload_Through25msDelay_AgentGrowsItsWindow()
    {
        await using var link = await DelayedStack.StartAsync(OneWay);
        const long Size = 32 * MiB;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var request = new HttpRequestMessage(HttpMethod.Post, link.Url("/upload")) { Content = new PatternContent(Size, seed: 7) };
        var clock = Stopwatch.StartNew();

        using var response = await link.Http.SendAsync(request, cts.Token);
        var result = await response.Content.ReadFromJsonAsync<UploadResult>(cts.Token);

        output.WriteLine($"32 MiB upload through {OneWay.TotalMilliseconds:0} ms one-way: {32 / clock.Elapsed.TotalSeconds:0.0} MiB/s; largest credit the agent gave ahead: {link.Windows.LargestUploadWindow} chunks");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        result.Should().Be(BodyHash.OfPattern(Size, seed: 7));
        link.Windows.LargestUploadWindow.Should().BeGreaterThan(InitialWindow, "the agent's request body window must grow past its initial 8 chunks");
    }

    [Theory]
    [InlineData(nameof(ForwardingOptions.ResponseWindowMaxBytes), 1L, "ResponseWindowMaxBytes must be between")]
    [InlineData(nameof(ForwardingOptions.ResponseWindowMaxBytes), 128L * MiB, "ResponseWindowMaxBytes must be between")]
    [InlineData(nameof(ForwardingOptions.ResponseWindowAgentBudgetBytes), -1L, "ResponseWindowAgentBudgetBytes must not be negative")]
    [InlineData(nameof(ForwardingOptions.ResponseWindowNodeBudgetBytes), -1L, "ResponseWindowNodeBudgetBytes must not be negative")]
    [InlineData(nameof(ForwardingOptions.ResponseCreditWindow), 257L, "ResponseCreditWindow must be between 2 and 256")]
    public void Options_OutOfRange_RefusedByTheStartValidation(string property, long value, string message)
    {
        var options = new ForwardingOptions();
        var info = typeof(ForwardingOptions).GetProperty(property)!;
        info.SetValue(options, info.PropertyType == typeof(int) ? (object)(int)value : value);
        var errors = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), errors, validateAllProperties: true);

        valid.Should().BeFalse();
        errors.Should().ContainSingle().Which.ErrorMessage.Should().Contain(message);
        var defaults = new ForwardingOptions();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(defaults, new(defaults), null, validateAllProperties: true)
            .Should().BeTrue("the defaults are valid");
    }

    /// <summary>
    /// Reads at <paramref name="bytesPerSecond"/> at most until cancelled or the body ends; returns the bytes read. The
    /// delays pace the caller (as <c>curl --limit-rate</c> does), they synchronise nothing.
    /// </summary>
    private static async Task<long> ReadPacedAsync(Stream body, long bytesPerSecond, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        long total = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                var ahead = TimeSpan.FromSeconds((double)total / bytesPerSecond) - clock.Elapsed;
                if (ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Done reading: the test has what it waited for.
        }

        return total;
    }

    /// <summary>Origin, server and an agent that reaches the server through a <see cref="DelayingTcpProxy"/>.</summary>
    private sealed class DelayedStack : IAsyncDisposable
    {
        private const string ClientId = "wan-1";

        private readonly OriginApp _origin;
        private readonly TunnelServer _server;
        private readonly DelayingTcpProxy _proxy;
        private readonly AgentHost _agent;

        private DelayedStack(OriginApp origin, TunnelServer server, DelayingTcpProxy proxy, AgentHost agent, string token)
        {
            _origin = origin;
            _server = server;
            _proxy = proxy;
            _agent = agent;
            Token = token;
            Http = server.CreateClient();
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Http.Timeout = TimeSpan.FromMinutes(2);
        }

        public string Token { get; }

        public HttpClient Http { get; }

        public ResponseWindows Windows => _server.Services.GetRequiredService<ResponseWindows>();

        public ForwardingOptions Options => _server.Services.GetRequiredService<IOptionsMonitor<ForwardingOptions>>().CurrentValue;

        public PendingRequests Pending => _server.Services.GetRequiredService<PendingRequests>();

        public int HubStreamBufferCapacity =>
            _server.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.SignalR.HubOptions>>().Value.StreamBufferCapacity ?? 10;

        public static async Task<DelayedStack> StartAsync(TimeSpan oneWay)
        {
            var origin = await OriginApp.StartAsync();
            var server = await TunnelServer.StartAsync();
            var token = await server.RegisterClientAsync(ClientId);
            var proxy = new DelayingTcpProxy(server.BaseAddress.Port, oneWay);
            var agent = await AgentHost.StartAsync(proxy.BaseAddress, ClientId, token, origin.BaseAddress);
            var stack = new DelayedStack(origin, server, proxy, agent, token);
            (await Eventually.HoldsAsync(() => server.Services.GetRequiredService<ConnectedAgents>().TryGet(ClientId, out _), TimeSpan.FromSeconds(15)))
                .Should().BeTrue("the agent connects through the delaying proxy");
            return stack;
        }

        public string Url(string path) => path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "clientId=" + ClientId;

        /// <summary>Downloads <paramref name="size"/> pattern bytes streamed, checks them, returns the seconds taken.</summary>
        public async Task<double> DownloadAsync(long size)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var clock = Stopwatch.StartNew();
            using var response = await Http.GetAsync(Url($"/files/{size}"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var received = await BodyHash.ReadAsync(response, cts.Token);
            var seconds = clock.Elapsed.TotalSeconds;
            received.Should().Be(BodyHash.OfPattern(size));
            return seconds;
        }

        /// <summary>A caller that reads the headers of a large streamed response and then never reads again.</summary>
        public Task<RawHttpConnection> OpenStalledAsync(long size) => OpenDownloadAsync(size);

        /// <summary>
        /// A streamed download of <paramref name="size"/> pattern bytes on a bare socket with a small receive buffer,
        /// its head read; its body is read at the pace the test chooses.
        /// </summary>
        public async Task<RawHttpConnection> OpenDownloadAsync(long size)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            var connection = await RawHttpConnection.OpenAsync(_server.BaseAddress, cts.Token, receiveBufferSize: 64 * 1024);
            await connection.SendAsync("GET", Url($"/files/{size}"), [("Authorization", "Bearer " + Token)], cts.Token);
            var head = await connection.ReadHeadAsync(cts.Token);
            head.StatusCode.Should().Be(200);
            return connection;
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await _agent.DisposeAsync();
            await _proxy.DisposeAsync();
            await _server.DisposeAsync();
            await _origin.DisposeAsync();
        }
    }
}
