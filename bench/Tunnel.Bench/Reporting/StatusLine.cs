using System.Diagnostics;
using System.Text;

namespace Tunnel.Bench.Reporting;

/// <summary>
/// Progress of long work on stderr, for a person at a terminal or for a log file. On a terminal (stderr not
/// redirected, <c>TERM</c> not <c>dumb</c>) log lines scroll above one status line that is redrawn in place: a bar,
/// the share done, what runs now and the time so far, refreshed every <see cref="RedrawInterval"/>. When stderr is a
/// file or a pipe nothing is redrawn: every log line and milestone is a plain line, and periodic updates are written
/// at most every <c>plainInterval</c>.
/// </summary>
/// <remarks>The check is on stderr, the stream written to: <c>bench &gt; results.txt</c> still shows the bar.</remarks>
internal sealed class StatusLine : IDisposable
{
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(250);

    private const int BarWidth = 24;

    private readonly TextWriter _output;
    private readonly TimeSpan _plainInterval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly Timer? _redraw;
    private double? _fraction;
    private string _text = string.Empty;
    /// <summary>When the last plain line was written; null before the first (MinValue would overflow the subtraction).</summary>
    private TimeSpan? _lastPlain;
    private bool _drawn;

    public StatusLine(TextWriter output, bool isTerminal, TimeSpan plainInterval)
    {
        _output = output;
        IsTerminal = isTerminal;
        _plainInterval = plainInterval;
        if (isTerminal)
        {
            _redraw = new Timer(_ => Redraw(), null, RedrawInterval, RedrawInterval);
        }
    }

    /// <summary>True when stderr is an interactive terminal that can redraw a line.</summary>
    public static bool StderrIsTerminal =>
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

    /// <summary>On stderr, redrawn on a terminal, plain otherwise.</summary>
    public static StatusLine ForStderr(TimeSpan plainInterval) => new(Console.Error, StderrIsTerminal, plainInterval);

    public bool IsTerminal { get; }

    /// <summary>A log line: above the status line on a terminal, a plain line otherwise.</summary>
    public void Line(string message)
    {
        lock (_lock)
        {
            Erase();
            _output.WriteLine(message);
            Draw();
        }
    }

    /// <summary>A milestone (a new phase): redrawn on a terminal, always a plain line otherwise.</summary>
    public void Phase(double? fraction, string text) => Set(fraction, text, milestone: true);

    /// <summary>A periodic update: redrawn on a terminal, a plain line at most every plain interval otherwise.</summary>
    public void Update(double? fraction, string text) => Set(fraction, text, milestone: false);

    /// <summary>Removes the status line (the work is over); log lines still work after it.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            Erase();
            _text = string.Empty;
            _fraction = null;
        }
    }

    /// <summary>
    /// The status: <c>[█████░░░░░]  42%  text  1m05s</c> with a <paramref name="bar"/>, else <c>42%  text  1m05s</c>
    /// (no share when it is unknown).
    /// </summary>
    public static string Format(double? fraction, string text, TimeSpan elapsed, bool bar = true)
    {
        var line = new StringBuilder();
        if (fraction is { } f)
        {
            f = Math.Clamp(f, 0, 1);
            var full = (int)Math.Round(f * BarWidth);
            if (bar)
            {
                line.Append('[').Append('█', full).Append('░', BarWidth - full).Append("] ");
            }

            line.Append($"{f * 100,3:0}%  ");
        }

        line.Append(text);
        line.Append("  ").Append(elapsed.TotalHours >= 1 ? $"{(int)elapsed.TotalHours}h{elapsed.Minutes:00}m" : $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s");
        return line.ToString();
    }

    public void Dispose()
    {
        _redraw?.Dispose();
        Clear();
    }

    private void Set(double? fraction, string text, bool milestone)
    {
        lock (_lock)
        {
            _fraction = fraction;
            _text = text;
            if (IsTerminal)
            {
                Erase();
                Draw();
            }
            else if (milestone || _lastPlain is not { } last || _clock.Elapsed - last >= _plainInterval)
            {
                _lastPlain = _clock.Elapsed;
                _output.WriteLine(Format(fraction, text, _clock.Elapsed, bar: false));
            }
        }
    }

    private void Redraw()
    {
        lock (_lock)
        {
            if (_text.Length > 0)
            {
                Erase();
                Draw();
            }
        }
    }

    private void Draw()
    {
        if (!IsTerminal || _text.Length == 0)
        {
            return;
        }

        // One row only: a line that wraps cannot be erased with a carriage return.
        var line = Format(_fraction, _text, _clock.Elapsed);
        var width = Width();
        _output.Write(line.Length < width ? line : line[..(width - 2)] + "…");
        _output.Flush();
        _drawn = true;
    }

    private void Erase()
    {
        if (_drawn)
        {
            // Carriage return, then ANSI "erase in line".
            _output.Write("\r\u001b[2K");
            _drawn = false;
        }
    }

    private static int Width()
    {
        try
        {
            return Console.WindowWidth is > 10 and var w ? w : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
