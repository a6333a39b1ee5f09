using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;
using System.Text.RegularExpressions;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Control;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Http;

public enum FaultKind
{
    None,
    RateLimit,
    ServerError,
    ServiceUnavailable,
    Drop,
}

/// <summary>
/// Decides whether a request on the OpenAI routes fails before it reaches an endpoint: the
/// <c>X-Mock-Fault</c> header first, then faults queued through <c>POST /_mock/faults/next</c> (the
/// first entry the request matches, in the order queued), then a seeded draw against the
/// <c>Mock:Faults</c> probabilities.
/// </summary>
public sealed class FaultInjector(LiveConfig config, IOptions<MockOptions> options)
{
    public const string HeaderName = "X-Mock-Fault";
    public static readonly string[] Names = ["429", "500", "503", "drop"];

    /// <summary>The methods the OpenAI routes serve, which a queued fault may be aimed at.</summary>
    public static readonly string[] Methods = ["GET", "POST", "DELETE"];

    /// <summary>Bounds of the queue: every request on the OpenAI routes looks through it, under its lock.</summary>
    public const int MaxEntries = 1_000;

    public const int MaxQueued = 10_000_000;

    /// <summary>
    /// Different path patterns queued at once: each is a regex without backtracking (deterministic),
    /// which holds 0.1–1.2 MB; entries with the same pattern share one.
    /// </summary>
    public const int MaxPatterns = Generation.UserPattern.MaxWithoutBacktracking;

    private const int Salt = 0x0FA017;
    private readonly DerivedRandom random = new(options.Value.Seed, Salt);
    private readonly Lock gate = new();

    /// <summary>Entries in the order queued; each fails the next requests it matches until its count is spent.</summary>
    private readonly List<Entry> queue = [];
    private int queuedCount;

    private sealed class Entry(FaultKind kind, int remaining, Regex? path, string? method)
    {
        public FaultKind Kind => kind;
        public int Remaining { get; set; } = remaining;
        public Regex? Path => path;
        public string? Method => method;

        public bool Matches(HttpRequest request) =>
            (method is null || string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
            && (path is null || Found(path, request.Path.Value ?? string.Empty));

        private static bool Found(Regex pattern, string value)
        {
            try
            {
                return pattern.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }

    public FaultKind Decide(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } forced)
        {
            return TryParseName(forced.Trim(), out var kind)
                ? kind
                : throw ApiError.BadRequest($"Invalid value for header '{HeaderName}': '{forced}'. Supported values are: {FieldReader.SupportedList(Names)}.", null, "invalid_value");
        }
        if (Volatile.Read(ref queuedCount) > 0 && TakeQueued(request) is var next and not FaultKind.None)
        {
            return next;
        }
        var faults = config.Settings.Faults;
        var total = faults.Total();
        if (total <= 0)
        {
            return FaultKind.None;
        }
        var draw = random.NextDouble();
        if ((draw -= faults.RateLimit) < 0)
        {
            return FaultKind.RateLimit;
        }
        if ((draw -= faults.ServerError) < 0)
        {
            return FaultKind.ServerError;
        }
        if ((draw -= faults.ServiceUnavailable) < 0)
        {
            return FaultKind.ServiceUnavailable;
        }
        return draw - faults.Drop < 0 ? FaultKind.Drop : FaultKind.None;
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests on the OpenAI routes that match (a path in which
    /// <paramref name="path"/> is found, the method <paramref name="method"/>; either may be null) fail
    /// with <paramref name="kind"/>, after what was queued before.
    /// </summary>
    public FaultQueueState Queue(FaultKind kind, int count, string? path = null, string? method = null)
    {
        lock (gate)
        {
            if (queue.Count >= MaxEntries || (long)queuedCount + count > MaxQueued)
            {
                throw ApiError.BadRequest(
                    $"The fault queue holds at most {MaxEntries} entries and {MaxQueued} requests in all ({queue.Count} entries and {queuedCount} requests are queued). DELETE /_mock/faults/next empties it.",
                    "count", "invalid_value");
            }
            queue.Add(new Entry(kind, count, path is null ? null : PathPattern(path), method));
            Volatile.Write(ref queuedCount, queuedCount + count);
            return State();
        }
    }

    /// <summary>The entry's path regex: the one a queued entry with the same pattern has, else a new one. The caller holds the lock.</summary>
    private Regex PathPattern(string pattern)
    {
        if (queue.Find(entry => entry.Path?.ToString() == pattern)?.Path is { } shared)
        {
            return shared;
        }
        if (queue.Select(entry => entry.Path?.ToString()).OfType<string>().Distinct(StringComparer.Ordinal).Count() >= MaxPatterns)
        {
            throw ApiError.BadRequest(
                $"The fault queue holds at most {MaxPatterns} different path patterns at once; queue this one after those entries are spent, or DELETE /_mock/faults/next.",
                "path", "invalid_value");
        }
        try
        {
            // In any case, as routing matches paths.
            return Generation.UserPattern.Create(pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        }
        catch (ArgumentException invalid)
        {
            throw ApiError.BadRequest($"Invalid 'path': not a regular expression ({invalid.Message}).", "path", "invalid_value");
        }
    }

    public FaultQueueState Clear()
    {
        lock (gate)
        {
            queue.Clear();
            Volatile.Write(ref queuedCount, 0);
            return State();
        }
    }

    public FaultQueueState Pending
    {
        get
        {
            lock (gate)
            {
                return State();
            }
        }
    }

    /// <summary>The queue as the control API shows it; the caller holds the lock.</summary>
    private FaultQueueState State() => new(
        queue.Count > 0 ? Name(queue[0].Kind) : null,
        queuedCount,
        queue.ConvertAll(entry => new QueuedFault(Name(entry.Kind)!, entry.Remaining, entry.Path?.ToString(), entry.Method)));

    public void Reset()
    {
        Clear();
        random.Reset();
    }

    /// <summary>After a saved state is loaded: the draws go on anew, as the ids do.</summary>
    public void ContinueAfter(int session) => random.ContinueAfter(session);

    public static bool TryParseName(string value, out FaultKind kind)
    {
        kind = value switch
        {
            "429" => FaultKind.RateLimit,
            "500" => FaultKind.ServerError,
            "503" => FaultKind.ServiceUnavailable,
            "drop" => FaultKind.Drop,
            _ => FaultKind.None,
        };
        return kind != FaultKind.None;
    }

    public static string? Name(FaultKind kind) => kind switch
    {
        FaultKind.RateLimit => "429",
        FaultKind.ServerError => "500",
        FaultKind.ServiceUnavailable => "503",
        FaultKind.Drop => "drop",
        _ => null,
    };

    /// <summary>The fault of the first entry this request matches, spending one of its count.</summary>
    private FaultKind TakeQueued(HttpRequest request)
    {
        lock (gate)
        {
            for (var i = 0; i < queue.Count; i++)
            {
                var entry = queue[i];
                if (!entry.Matches(request))
                {
                    continue;
                }
                if (--entry.Remaining == 0)
                {
                    queue.RemoveAt(i);
                }
                Volatile.Write(ref queuedCount, queuedCount - 1);
                return entry.Kind;
            }
            return FaultKind.None;
        }
    }
}
