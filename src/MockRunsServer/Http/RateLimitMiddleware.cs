using MockRunsServer.Generation;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Http;

/// <summary>
/// <c>Mock:RateLimits</c> on the OpenAI routes, per API key (requests without one share one
/// anonymous budget). A request costs one request and, for tokens, its body size estimate
/// (Content-Length / 4, the TokenEstimator rule), known before the endpoint runs. Every answer
/// carries the x-ratelimit-* headers while a limit is set; a refusal is OpenAI's 429.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateLimiter limiter, LiveConfig config)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!config.Settings.RateLimits.Enabled() || !MockPaths.IsOpenAI(context.Request.Path))
        {
            return next(context);
        }
        var key = RequestNotes.Of(context)?.ApiKey ?? ApiKeys.Read(context.Request) ?? string.Empty;
        var decision = limiter.Admit(key, TokenEstimator.ForBytes(context.Request.ContentLength ?? 0));
        if (!decision.Allowed)
        {
            RequestNotes.Of(context)?.Fault = "rate_limit";
            throw RateLimitErrors.Exceeded(decision);
        }
        context.Response.OnStarting(static state =>
        {
            var (response, admitted) = ((HttpResponse, RateDecision))state;
            RateLimitErrors.WriteBudgets(response.Headers, admitted);
            return Task.CompletedTask;
        }, (context.Response, decision));
        return next(context);
    }
}
