using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// <c>Mock:RateLimits</c> on the OpenAI routes, per API key (requests without one share one
/// anonymous budget). A request costs one request and, for tokens, its body size estimate
/// (a token per four bytes, the TokenEstimator rule): Content-Length, or for a body sent without
/// one (chunked), what arrives, read ahead up to the body limit. Every answer carries the
/// x-ratelimit-* headers while a limit is set; a refusal is OpenAI's 429.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateLimiter limiter, LiveConfig config, MockStore store, IOptions<MockOptions> options)
{
    private readonly long maxBody = options.Value.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        if (!config.Settings.RateLimits.Enabled() || !MockPaths.IsOpenAI(context.Request.Path))
        {
            return next(context);
        }
        if (context.Request.ContentLength is { } length)
        {
            return Admit(context, length);
        }
        return AdmitUnlengthedAsync(context);
    }

    private async Task AdmitUnlengthedAsync(HttpContext context)
    {
        var request = context.Request;
        long bytes = 0;
        if (BufferedBody.IsBuffered(request))
        {
            // Read ahead by the journal; one that broke off is refused by its endpoint whatever it costs.
            bytes = request.Body is MemoryStream buffered ? buffered.Length : 0;
        }
        else if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // One byte past the limit at most, as the state gate reads: enough for the endpoint to refuse it.
            bytes = (await BufferedBody.ReadAsync(context, maxBody + 1)).Length;
        }
        await Admit(context, bytes);
    }

    private Task Admit(HttpContext context, long bodyBytes)
    {
        var key = RequestNotes.Of(context)?.ApiKey ?? ApiKeys.Read(context.Request) ?? string.Empty;
        var decision = limiter.Admit(key, TokenEstimator.ForBytes(bodyBytes));
        if (!decision.Allowed)
        {
            RequestNotes.Of(context)?.Fault = "rate_limit";
            return RefuseAsync(context, decision);
        }
        context.Response.OnStarting(static state =>
        {
            var (response, admitted) = ((HttpResponse, RateDecision))state;
            RateLimitErrors.WriteBudgets(response.Headers, admitted);
            return Task.CompletedTask;
        }, (context.Response, decision));
        return next(context);
    }

    private async Task RefuseAsync(HttpContext context, RateDecision decision) =>
        throw RateLimitErrors.Exceeded(decision, await RateLimitModel.FindAsync(context, store, maxBody));
}
