using MockRunsServer.Scenarios;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>
/// Injected faults on the OpenAI routes. The fault is decided before the endpoint runs, so a
/// faulted request changes nothing: no object created, no run moved.
/// </summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults, LiveConfig config)
{
    public const string ServerErrorMessage = "The server had an error while processing your request. Sorry about that!";
    public const string UnavailableMessage = "The server is overloaded or not ready yet.";

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
                throw RateLimitErrors.Injected(config.Settings);
            case FaultKind.ServerError:
                throw new ApiError(500, ServerErrorMessage, null, null, "server_error");
            default:
                throw new ApiError(503, UnavailableMessage, null, null, "server_error");
        }
    }
}
