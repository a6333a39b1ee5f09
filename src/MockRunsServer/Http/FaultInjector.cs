using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;
using MockRunsServer.Wire;
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
/// <c>X-Mock-Fault</c> header first, then faults queued through <c>POST /_mock/faults/next</c>,
/// then a seeded draw against the <c>Mock:Faults</c> probabilities.
/// </summary>
public sealed class FaultInjector(LiveConfig config, IOptions<MockOptions> options)
{
    public const string HeaderName = "X-Mock-Fault";
    public static readonly string[] Names = ["429", "500", "503", "drop"];

    private const int Salt = 0x0FA017;
    private readonly DerivedRandom random = new(options.Value.Seed, Salt);
    private readonly Lock gate = new();
    private FaultKind queued;
    private int queuedCount;

    public FaultKind Decide(HttpRequest request)
    {
        if (request.Headers[HeaderName].ToString() is { Length: > 0 } forced)
        {
            return TryParseName(forced.Trim(), out var kind)
                ? kind
                : throw ApiError.BadRequest($"Invalid value for header '{HeaderName}': '{forced}'. Supported values are: {FieldReader.SupportedList(Names)}.", null, "invalid_value");
        }
        if (Volatile.Read(ref queuedCount) > 0 && TakeQueued() is var next and not FaultKind.None)
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

    /// <summary>Makes the next <paramref name="count"/> requests on the OpenAI routes fail with <paramref name="kind"/> (replacing anything queued before).</summary>
    public (FaultKind Kind, int Remaining) Queue(FaultKind kind, int count)
    {
        lock (gate)
        {
            queued = count > 0 ? kind : FaultKind.None;
            Volatile.Write(ref queuedCount, queued == FaultKind.None ? 0 : count);
            return (queued, queuedCount);
        }
    }

    public (FaultKind Kind, int Remaining) Pending
    {
        get
        {
            lock (gate)
            {
                return (queued, queuedCount);
            }
        }
    }

    public void Reset()
    {
        Queue(FaultKind.None, 0);
        random.Reset();
    }

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

    private FaultKind TakeQueued()
    {
        lock (gate)
        {
            if (queuedCount == 0)
            {
                return FaultKind.None;
            }
            var kind = queued;
            if (--queuedCount == 0)
            {
                queued = FaultKind.None;
            }
            return kind;
        }
    }
}
