using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>
/// What every answer has in common: OpenAI's headers, the beta-header requirement on the
/// Assistants routes, and errors — expected ones and bugs alike — in OpenAI's envelope,
/// never a ProblemDetails or an HTML page.
/// </summary>
public sealed partial class OpenAIMiddleware(RequestDelegate next, IOptions<MockOptions> options, RequestIds requestIds, ILogger<OpenAIMiddleware> logger)
{
    public const string BetaMessage =
        "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.";

    /// <summary>What OpenAI answered a client still sending the v1 header (SDKs from before April 2024).</summary>
    public const string BetaV1Message =
        "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'. See the migration guide for more information: https://platform.openai.com/docs/assistants/migration.";

    /// <summary>What openai-organization and openai-project say when the request named none (the API always sends both).</summary>
    public const string DefaultOrganization = "user-mockrunsserver";
    public const string DefaultProject = "proj_mockrunsserver";

    /// <summary>The longest URL (path and query) answered: past 32 KB, OpenAI's front end (Cloudflare) answers 414 URI Too Long.</summary>
    public const int MaxUrlLength = 32 * 1024;

    private readonly bool requireBeta = options.Value.RequireBetaHeader;

    /// <summary>The request's own value when it can go back out as a header (printable ASCII, short), else the default.</summary>
    private static string Echo(string? value, string fallback) =>
        !string.IsNullOrEmpty(value) && value.Length <= 256 && !value.AsSpan().ContainsAnyExceptInRange(' ', '~') ? value : fallback;

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var notes = new RequestNotes(requestIds, forSession: MockPaths.IsOpenAI(context.Request.Path));
        context.Features.Set(notes);
        var organization = Echo(context.Request.Headers["OpenAI-Organization"], DefaultOrganization);
        var project = Echo(context.Request.Headers["OpenAI-Project"], DefaultProject);
        var response = context.Response;
        // A static callback and its state: no closure and delegate per request on every answer's path.
        response.OnStarting(static state =>
        {
            var (response, notes, organization, project, started) = ((HttpResponse, RequestNotes, string, string, long))state;
            var headers = response.Headers;
            headers["x-request-id"] = notes.RequestId;
            headers["openai-version"] = "2020-10-01";
            headers["openai-organization"] = organization;
            headers["openai-project"] = project;
            headers["openai-processing-ms"] = ((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (response, notes, organization, project, started));

        try
        {
            if (UrlLength(context) > MaxUrlLength)
            {
                throw new ApiError(StatusCodes.Status414UriTooLong,
                    $"The request URL is too long ({UrlLength(context)} characters; the limit is {MaxUrlLength}).");
            }
            if (DotSegmentPath(context) is { } sent)
            {
                // Kestrel resolves "." and ".." segments (percent-encoded too) before routing: DELETE
                // /v1/threads/T/messages/%2E%2E would delete thread T. No OpenAI id is a dot segment.
                throw ApiError.InvalidUrl(context.Request.Method, sent);
            }
            if (requireBeta && IsAssistantsRoute(context.Request.Path) && BetaHeader(context.Request) is not BetaVersion.V2)
            {
                throw ApiError.BadRequest(BetaHeader(context.Request) is BetaVersion.V1 ? BetaV1Message : BetaMessage, null, "invalid_beta");
            }
            if ((HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method)) && !IsJson(context.Request.ContentType))
            {
                // Bodies are read as JSON whatever the Content-Type says (curl -d sends form encoding, an empty
                // POST sends none). Without this, routing's content-type check (the Accepts metadata kept for
                // Swagger) would skip the endpoint and answer "Invalid URL".
                context.Request.ContentType = "application/json";
            }
            await next(context);
        }
        catch (ApiError error) when (!response.HasStarted)
        {
            await WriteErrorAsync(context, error);
        }
        catch (BadHttpRequestException bad) when (!response.HasStarted)
        {
            var error = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new ApiError(413, "Request body too large.", null, "request_too_large")
                : new ApiError(bad.StatusCode, bad.Message);
            await WriteErrorAsync(context, error);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (a body it cut short included); there is nobody to answer.
        }
        catch (Exception exception) when (!response.HasStarted)
        {
            LogUnhandled(exception, notes.RequestId, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, ApiError.ServerError());
        }
    }

    public static Task WriteErrorAsync(HttpContext context, ApiError error)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers ?? [])
        {
            response.Headers[name] = value;
        }
        response.ContentType = "application/json";
        var body = JsonSerializer.SerializeToUtf8Bytes(error.ToResponse(), JsonContext.Relaxed.ErrorResponse);
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>The request target as sent (percent-encoding and all), or the path and query when the server gives less (the in-memory test server).</summary>
    private static int UrlLength(HttpContext context) => Math.Max(
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget?.Length ?? 0,
        (context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0));

    /// <summary>The path as sent when one of its segments is "." or ".." (as is or percent-encoded), else null.</summary>
    private static string? DotSegmentPath(HttpContext context)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || (raw.IndexOf('.') < 0 && raw.IndexOf("%2", StringComparison.Ordinal) < 0))
        {
            return null;
        }
        var path = raw.AsSpan();
        if (path.IndexOf('?') is var query and >= 0)
        {
            path = path[..query];
        }
        // The path of an absolute-form target (a client that talks to us as to a proxy), as the error names it;
        // an origin-form one starts with '/' (a "://" further on is part of its path, dots before it too).
        if (!path.StartsWith('/') && path.IndexOf("://") is var scheme and >= 0)
        {
            path = path[(scheme + 3)..];
            path = path.IndexOf('/') is var start and >= 0 ? path[start..] : [];
        }
        // An absolute-form target (GET http://host/v1/... HTTP/1.1) is resolved by System.Uri, which
        // also takes '\' for '/': DELETE http://host/v1/threads/T/messages\.. deleted thread T.
        foreach (var range in path.SplitAny('/', '\\'))
        {
            if (IsDotSegment(path[range]))
            {
                return path.ToString();
            }
        }
        return null;
    }

    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        var dots = 0;
        for (var i = 0; i < segment.Length; dots++)
        {
            if (segment[i] == '.')
            {
                i++;
            }
            else if (i + 2 < segment.Length && segment[i] == '%' && segment[i + 1] == '2' && segment[i + 2] is 'e' or 'E')
            {
                i += 3;
            }
            else
            {
                return false;
            }
        }
        return dots is 1 or 2;
    }

    /// <summary>The Assistants routes, with or without /v1; the control API, health and Swagger don't need the header.
    /// Case-insensitive, as routing is: /V1/Assistants reaches the same handlers.</summary>
    public static bool IsAssistantsRoute(PathString path)
    {
        var value = (path.Value ?? string.Empty).AsSpan();
        if (value.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase))
        {
            value = value[3..];
        }
        return value.StartsWith("/assistants", StringComparison.OrdinalIgnoreCase) || value.StartsWith("/threads", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the media type is application/json itself (parameters allowed), which routing accepts as it is.</summary>
    private static bool IsJson(string? contentType)
    {
        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }
        return mediaType.Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    private enum BetaVersion
    {
        None,
        V1,
        V2,
    }

    private static BetaVersion BetaHeader(HttpRequest request)
    {
        var found = BetaVersion.None;
        foreach (var value in request.Headers["OpenAI-Beta"])
        {
            if (value is null)
            {
                continue;
            }
            if (value.Contains("assistants=v2", StringComparison.Ordinal))
            {
                return BetaVersion.V2;
            }
            if (value.Contains("assistants=v1", StringComparison.Ordinal))
            {
                found = BetaVersion.V1;
            }
        }
        return found;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} {Method} {Path} failed")]
    private partial void LogUnhandled(Exception exception, string requestId, string method, string path);
}
