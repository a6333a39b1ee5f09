using System.Collections.Concurrent;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Http;

/// <summary>One dimension (requests or tokens) of a key's budget as the x-ratelimit-* headers show it.</summary>
public readonly record struct RateBudget(long Limit, long Remaining, long ResetMs);

/// <summary>The limiter's answer for one request.</summary>
public sealed record RateDecision(
    bool Allowed,
    string? Exhausted,
    bool TooLarge,
    long RetryAfterMs,
    long RequestedTokens,
    RateBudget? Requests,
    RateBudget? Tokens);

/// <summary>
/// <c>Mock:RateLimits</c>: a token bucket per API key and dimension, as OpenAI describes its
/// limits — full at the start, refilled continuously at the per-minute rate, so the
/// x-ratelimit-reset-* headers say how long until the bucket is full again. Time comes from
/// <see cref="MockClock"/>, so with the manual clock every header value is exact. A request
/// is admitted only if both budgets cover it and is then charged to both; a refused request
/// costs nothing. Limits are read from the live config on every request.
/// </summary>
public sealed class RateLimiter(MockClock clock, LiveConfig config)
{
    // One request (or token) is 60 000 units, and a limit of L per minute refills L units per
    // millisecond: all the arithmetic stays in exact integers.
    private const long Unit = 60_000;
    private const int PruneAbove = 10_000;

    /// <summary>Every bucket refills within a minute, so a look once a minute finds every key left idle since.</summary>
    private const long PruneEveryMs = 60_000;

    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);
    private readonly Lock pruneGate = new();

    /// <summary>Keys added since the last prune, and how many more may come before the next: counted here, as the dictionary's own count takes all its locks.</summary>
    private int added;
    private int pruneAt = PruneAbove;
    private long lastPruneMs;

    internal int KeyCount => buckets.Count;

    public RateDecision Admit(string key, long tokens)
    {
        var limits = config.Settings.RateLimits;
        var rpm = limits.RequestsPerMinute;
        var tpm = limits.TokensPerMinute;
        if (Volatile.Read(ref added) > Volatile.Read(ref pruneAt) || clock.NowMs - Volatile.Read(ref lastPruneMs) >= PruneEveryMs)
        {
            Prune();
        }
        while (true)
        {
            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = buckets.GetOrAdd(key, static _ => new Bucket());
                Interlocked.Increment(ref added);
            }
            lock (bucket)
            {
                // A prune (under this lock) may have dropped the bucket since it was found: charge the one in the map.
                if (bucket.Dropped)
                {
                    continue;
                }
                return Charge(bucket, rpm, tpm, tokens);
            }
        }
    }

    /// <summary>Admits or refuses against the bucket; the caller holds its lock.</summary>
    private RateDecision Charge(Bucket bucket, int? rpm, int? tpm, long tokens)
    {
        var now = clock.NowMs;
        var elapsed = Elapsed(bucket, now);
        bucket.LastMs = Math.Max(bucket.LastMs, now);
        bucket.RequestsUsed = Drained(bucket.RequestsUsed, rpm, elapsed);
        bucket.TokensUsed = Drained(bucket.TokensUsed, tpm, elapsed);

        if (rpm is { } requestLimit && bucket.RequestsUsed + Unit > requestLimit * Unit)
        {
            return Refused(bucket, rpm, tpm, tokens, "requests", WaitMs(bucket.RequestsUsed, Unit, requestLimit), tooLarge: false);
        }
        if (tpm is { } tokenLimit && tokens > tokenLimit)
        {
            return Refused(bucket, rpm, tpm, tokens, "tokens", 0, tooLarge: true);
        }
        if (tpm is { } limit && bucket.TokensUsed + tokens * Unit > limit * Unit)
        {
            return Refused(bucket, rpm, tpm, tokens, "tokens", WaitMs(bucket.TokensUsed, tokens * Unit, limit), tooLarge: false);
        }
        if (rpm is not null)
        {
            bucket.RequestsUsed += Unit;
        }
        if (tpm is not null)
        {
            bucket.TokensUsed += tokens * Unit;
        }
        return new RateDecision(true, null, false, 0, tokens, Budget(bucket.RequestsUsed, rpm), Budget(bucket.TokensUsed, tpm));
    }

    /// <summary>The key's budgets as they stand, charging nothing: what an injected 429 shows while limits are set.</summary>
    public (RateBudget? Requests, RateBudget? Tokens) Peek(string key)
    {
        var limits = config.Settings.RateLimits;
        long requestsUsed = 0, tokensUsed = 0;
        if (buckets.TryGetValue(key, out var bucket))
        {
            lock (bucket)
            {
                var elapsed = Elapsed(bucket, clock.NowMs);
                requestsUsed = Drained(bucket.RequestsUsed, limits.RequestsPerMinute, elapsed);
                tokensUsed = Drained(bucket.TokensUsed, limits.TokensPerMinute, elapsed);
            }
        }
        return (Budget(requestsUsed, limits.RequestsPerMinute), Budget(tokensUsed, limits.TokensPerMinute));
    }

    public void Reset()
    {
        lock (pruneGate)
        {
            buckets.Clear();
            Volatile.Write(ref added, 0);
            Volatile.Write(ref pruneAt, PruneAbove);
        }
    }

    private static RateDecision Refused(Bucket bucket, int? rpm, int? tpm, long tokens, string exhausted, long waitMs, bool tooLarge) =>
        new(false, exhausted, tooLarge, waitMs, tokens, Budget(bucket.RequestsUsed, rpm), Budget(bucket.TokensUsed, tpm));

    /// <summary>Milliseconds until <paramref name="used"/> has drained enough for <paramref name="cost"/> more to fit.</summary>
    private static long WaitMs(long used, long cost, long limit) => CeilDiv(used + cost - limit * Unit, limit);

    private static RateBudget? Budget(long used, int? limit) =>
        limit is { } l ? new RateBudget(l, Math.Max(0, l * Unit - used) / Unit, CeilDiv(used, l)) : null;

    // A day is far more than any bucket needs to refill; the cap keeps the products in range.
    private static long Elapsed(Bucket bucket, long now) => Math.Clamp(now - bucket.LastMs, 0, 86_400_000);

    private static long Drained(long used, int? limit, long elapsed) => limit is { } l ? Math.Max(0, used - l * elapsed) : 0;

    private static long CeilDiv(long value, long divisor) => value <= 0 ? 0 : (value + divisor - 1) / divisor;

    /// <summary>
    /// Forgets keys whose buckets are full again, so a stream of distinct keys can't grow the map for
    /// ever: when as many keys were added as survived the last look (10,000 at least), and once a
    /// minute, so the map also shrinks back after a burst of keys that never come again.
    /// </summary>
    private void Prune()
    {
        if (!pruneGate.TryEnter())
        {
            return;
        }
        try
        {
            var limits = config.Settings.RateLimits;
            var now = clock.NowMs;
            var kept = 0;
            foreach (var (key, bucket) in buckets)
            {
                lock (bucket)
                {
                    var elapsed = Elapsed(bucket, now);
                    if (Drained(bucket.RequestsUsed, limits.RequestsPerMinute, elapsed) == 0 && Drained(bucket.TokensUsed, limits.TokensPerMinute, elapsed) == 0)
                    {
                        bucket.Dropped = true;
                        buckets.TryRemove(key, out _);
                    }
                    else
                    {
                        kept++;
                    }
                }
            }
            Volatile.Write(ref added, 0);
            Volatile.Write(ref pruneAt, Math.Max(PruneAbove, kept));
            Volatile.Write(ref lastPruneMs, now);
        }
        finally
        {
            pruneGate.Exit();
        }
    }

    private sealed class Bucket
    {
        public bool Dropped;
        public long RequestsUsed;
        public long TokensUsed;
        public long LastMs;
    }
}
