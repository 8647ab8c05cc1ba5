using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Tunnel.Agent;

/// <summary>
/// The agent's settings as they stand (issue 14): the validated ones it started with, replaced when the configuration
/// reloads (appsettings.json with reloadOnChange, or any other reloadable source) with values that pass every
/// validation. A new value that fails is refused with a warning naming its key, and the last good settings stay.
/// This is <see cref="IOptionsMonitor{TOptions}"/>'s job without its trap: the monitor re-validates on reload and
/// throws from every later <c>CurrentValue</c> when a value is bad, which would stop the agent serving.
/// </summary>
internal sealed partial class AgentSettings : IDisposable
{
    /// <summary>
    /// Quiet time after a change before the settings are read again: editors and file watchers report one save as
    /// several changes (truncate, write, rename), and a half-written file must not be judged.
    /// </summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly IOptionsFactory<AgentOptions> _factory;
    private readonly ILogger<AgentSettings> _logger;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private volatile AgentOptions _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AgentSettings(
        IOptions<AgentOptions> initial,
        IOptionsFactory<AgentOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<AgentOptions>> sources,
        ILogger<AgentSettings> logger)
    {
        _current = initial.Value;
        _factory = factory;
        _logger = logger;
        _timer = TimeProvider.System.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var source in sources)
        {
            _subscriptions.Add(ChangeToken.OnChange(source.GetChangeToken, () => _timer.Change(Debounce, Timeout.InfiniteTimeSpan)));
        }
    }

    /// <summary>
    /// A settings file that does not parse while it is being saved (half an edit) must not take the agent down: on
    /// reload its error is ignored, the file then reads as empty, and the settings that makes are refused like any bad
    /// value (the last good ones stay) until a save that parses. At start a broken file still stops the agent.
    /// </summary>
    public static void SurviveBrokenFiles(IConfigurationBuilder configuration)
    {
        foreach (var source in configuration.Sources.OfType<FileConfigurationSource>())
        {
            var previous = source.OnLoadException;
            // These sources were loaded when they were added (ConfigurationManager), so every later failure is a reload.
            source.OnLoadException = context =>
            {
                previous?.Invoke(context);
                context.Ignore = true;
            };
        }
    }

    /// <summary>The last good settings. Read it once per unit of work (a request, a connection) and keep that copy.</summary>
    public AgentOptions Current => _current;

    /// <summary>Completes the next time new settings are applied (then ask again for the one after).</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>True when both settings connect the same way (server, client, token, TLS trust).</summary>
    public static bool SameConnection(AgentOptions a, AgentOptions b) =>
        a.ServerUrl == b.ServerUrl && a.ClientId == b.ClientId && a.AccessToken == b.AccessToken
        && a.TrustedCertificatePath == b.TrustedCertificatePath;

    /// <summary>Reads the configuration again; applies it when it is valid and differs, else says why not.</summary>
    public void Reload()
    {
        AgentOptions next;
        try
        {
            next = _factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                AgentLog.SettingRefused(_logger, KeyOf(failure), failure);
            }

            return;
        }
        catch (InvalidOperationException ex)
        {
            // The binder's "Failed to convert configuration value '…' at 'Agent:X'".
            AgentLog.SettingRefused(_logger, KeyOf(ex.Message), ex.Message);
            return;
        }

        var changed = ChangedKeys(_current, next);
        if (changed.Count == 0)
        {
            return; // The same save reported twice, or a change elsewhere in the configuration.
        }

        TaskCompletionSource done;
        lock (_lock)
        {
            _current = next;
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        AgentLog.SettingsReloaded(_logger, string.Join(", ", changed));
        done.TrySetResult();
    }

    /// <summary>The keys whose values differ (names only: never a token's value).</summary>
    private static List<string> ChangedKeys(AgentOptions a, AgentOptions b) =>
        [.. typeof(AgentOptions).GetProperties()
            .Where(p => !Equals(p.GetValue(a), p.GetValue(b)))
            .Select(p => AgentOptions.SectionName + ":" + p.Name)];

    private static string KeyOf(string failure) => KeyPattern().Match(failure) is { Success: true } m ? m.Value : AgentOptions.SectionName;

    [GeneratedRegex(@"Agent:[A-Za-z]+")]
    private static partial Regex KeyPattern();

    public void Dispose()
    {
        _timer.Dispose();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }
}
