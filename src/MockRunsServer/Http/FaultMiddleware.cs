using MockRunsServer.Scenarios;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>
/// Injected faults on the OpenAI routes. The fault is decided before the endpoint runs, so a
/// faulted request changes nothing: no object created, no run moved.
/// </summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults, LiveConfig config, RateLimiter limiter)
{
    /// <summary>The body OpenAI's 503s carried (the Python SDK's own "The server is overloaded or not ready yet." never came from the server).</summary>
    public static string UnavailableMessage(string? requestId) =>
        "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at " +
        $"help.openai.com if the error persists. (Please include the request ID {requestId} in your message.)";

    public Task InvokeAsync(HttpContext context)
    {
        if (!MockPaths.IsOpenAI(context.Request.Path))
        {
            return next(context);
        }
        var kind = faults.Decide(context.Request);
        if (kind == FaultKind.None)
        {
            return next(context);
        }
        RequestNotes.Of(context)?.Fault = FaultInjector.Name(kind);
        switch (kind)
        {
            case FaultKind.Drop:
                context.Features.Get<JournalMiddleware.Recorder>()?.RecordNow(started: false);
                context.Abort();
                return Task.CompletedTask;
            case FaultKind.RateLimit:
                throw RateLimitErrors.Injected(config.Settings, limiter.Peek(RequestNotes.Of(context)?.ApiKey ?? ApiKeys.Read(context.Request) ?? string.Empty));
            case FaultKind.ServerError:
                throw ApiError.ServerError();
            default:
                throw new ApiError(503, UnavailableMessage(RequestNotes.Of(context)?.RequestId), null, null, "server_error");
        }
    }
}
