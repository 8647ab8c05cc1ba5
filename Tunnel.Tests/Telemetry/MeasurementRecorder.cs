using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Tunnel.Tests.Telemetry;

/// <summary>
/// Listens to the instruments of one host's meters (those its <see cref="IMeterFactory"/> made), so that other
/// servers in the test process do not add to the numbers.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, string?> Tags)> _measurements = new();

    public MeasurementRecorder(params IMeterFactory[] scopes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (scopes.Any(s => ReferenceEquals(instrument.Meter.Scope, s)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements whose tags include <paramref name="tags"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] tags) =>
        Matching(name, tags).Sum(m => m.Value);

    public int Count(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Count();

    /// <summary>Reads every observable gauge now and returns the latest value of <paramref name="name"/>.</summary>
    public double Observe(string name)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return _measurements.Skip(before).Where(m => m.Name == name).Select(m => m.Value).DefaultIfEmpty(double.NaN).Last();
    }

    private IEnumerable<(string Name, double Value, Dictionary<string, string?> Tags)> Matching(string name, (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Name == name && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && v == t.Value));

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, string?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    public void Dispose() => _listener.Dispose();
}
