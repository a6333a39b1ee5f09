using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>Unknown routes, and known paths with a method they don't serve, answer as OpenAI did: 404 Invalid URL.</summary>
public static class InvalidUrl
{
    public static Task Handle(HttpContext context) =>
        OpenAIMiddleware.WriteErrorAsync(context, ApiError.InvalidUrl(context.Request.Method, PathOf(context)));

    /// <summary>The path, or "*" for an asterisk-form target (OPTIONS * HTTP/1.1), whose path Kestrel leaves empty.</summary>
    private static string PathOf(HttpContext context) =>
        context.Request.Path.HasValue
            ? context.Request.Path.Value!
            : context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget is "*" ? "*" : "";

    public static Task WriteAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status)
    {
        var context = status.HttpContext;
        if (context.Response.StatusCode is 404 or 405)
        {
            return Handle(context);
        }
        return OpenAIMiddleware.WriteErrorAsync(context, new ApiError(context.Response.StatusCode, $"The request could not be served (status {context.Response.StatusCode})."));
    }
}
