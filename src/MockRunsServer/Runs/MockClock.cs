using Microsoft.Extensions.Options;
using MockRunsServer.Options;

namespace MockRunsServer.Runs;

/// <summary>
/// The server's one <see cref="TimeProvider"/>. In real mode it reads the underlying provider
/// (the system clock, or a fake in tests); in manual mode time stands still until
/// <see cref="MoveTo"/> moves it, which only <see cref="RunEngine"/>'s advance does, step by step as
/// it fires due transitions.
/// </summary>
public sealed class MockClock : TimeProvider
{
    private readonly TimeProvider inner;
    private readonly long startMs;
    private long manualNowMs;

    public MockClock(IOptions<MockOptions> options, TimeProvider inner)
    {
        this.inner = inner;
        Mode = options.Value.Clock.Mode;
        startMs = options.Value.Clock.Start is { } start
            ? (long)Math.Round(start * 1000)
            : inner.GetUtcNow().ToUnixTimeMilliseconds();
        manualNowMs = startMs;
    }

    public ClockMode Mode { get; }

    public bool IsManual => Mode == ClockMode.Manual;

    /// <summary>The mode as the control API and the health probe show it.</summary>
    public string ModeName => IsManual ? "manual" : "real";

    public long NowMs => IsManual ? Volatile.Read(ref manualNowMs) : inner.GetUtcNow().ToUnixTimeMilliseconds();

    public long NowSeconds => Math.DivRem(NowMs, 1000).Quotient;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Manual mode only: moves time forward (never back, except through <see cref="ResetToStart"/>).</summary>
    internal void MoveTo(long unixMs)
    {
        if (!IsManual)
        {
            throw new InvalidOperationException("The real clock cannot be moved.");
        }
        if (unixMs > Volatile.Read(ref manualNowMs))
        {
            Volatile.Write(ref manualNowMs, unixMs);
        }
    }

    /// <summary>Manual mode only: the time a saved state was at, earlier or not than this start's.</summary>
    internal void RestoreTo(long unixMs)
    {
        if (IsManual)
        {
            Volatile.Write(ref manualNowMs, unixMs);
        }
    }

    internal void ResetToStart()
    {
        if (IsManual)
        {
            Volatile.Write(ref manualNowMs, startMs);
        }
    }

    public static long ToSeconds(long unixMs) => Math.DivRem(unixMs, 1000).Quotient;
}
