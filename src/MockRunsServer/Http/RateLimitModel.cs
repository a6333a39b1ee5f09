using System.Text.Json;
using MockRunsServer.Store;

namespace MockRunsServer.Http;

/// <summary>
/// The model a refused request's 429 names, as OpenAI's do ("Rate limit reached for gpt-4o in
/// organization …"): the run's model for the requests that run one — create run and create thread
/// and run (the body's <c>model</c>, else its assistant's) and submit tool outputs (the run's).
/// Every other request (retrieve, list, modify, delete, messages, assistants) runs no model and gets
/// null, which OpenAI words "Rate limit reached for organization …". Read only for a refusal, so
/// admitted requests pay nothing for it.
/// </summary>
public static class RateLimitModel
{
    public static async Task<string?> FindAsync(HttpContext context, MockStore store, long maxBody)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }
        var segments = Segments(request.Path);
        switch (segments)
        {
            case [_, _] when Is(segments[0], "threads") && Is(segments[1], "runs"):
            case [_, _, _] when Is(segments[0], "threads") && Is(segments[2], "runs"):
                var (model, assistantId) = Named(await BodyAsync(context, maxBody));
                return model ?? (assistantId is null ? null : store.FindAssistant(assistantId)?.Model);
            case [_, var threadId, _, var runId, _] when Is(segments[0], "threads") && Is(segments[2], "runs") && Is(segments[4], "submit_tool_outputs"):
                return store.FindRun(runId) is { } run && run.Thread.Id == threadId ? run.Run.Model : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The path's segments after the optional /v1, as routing matches them (in any case): one trailing
    /// slash is let pass, and an empty segment anywhere else (/v1/threads//runs) matches no route.
    /// </summary>
    private static string[] Segments(PathString path)
    {
        var value = path.Value ?? string.Empty;
        var segments = (value.EndsWith('/') ? value[..^1] : value).Split('/')[1..];
        if (segments.Contains(string.Empty))
        {
            return [];
        }
        return segments is [var first, ..] && Is(first, "v1") ? segments[1..] : segments;
    }

    private static bool Is(string segment, string literal) => string.Equals(segment, literal, StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> BodyAsync(HttpContext context, long maxBody)
    {
        var request = context.Request;
        if (request.Body is MemoryStream buffered)
        {
            return buffered.ToArray();
        }
        // A body that broke off, or one over the limit: its endpoint refuses it, and the 429 names no model.
        return BufferedBody.IsBuffered(request) || request.ContentLength > maxBody ? [] : await BufferedBody.ReadAsync(context, maxBody);
    }

    /// <summary>The top-level <c>model</c> and <c>assistant_id</c> strings of a JSON object body; nulls for anything else.</summary>
    private static (string? Model, string? AssistantId) Named(byte[] body)
    {
        // Not UTF-8, or a lone surrogate escape: the endpoint refuses it (JsonBody), and reading such a
        // string throws InvalidOperationException, which would turn the 429 into a 500.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return (null, null);
        }
        string? model = null, assistantId = null;
        try
        {
            if (JsonBody.HasLoneSurrogate(body))
            {
                return (null, null);
            }
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && name is "model" or "assistant_id")
                {
                    var value = reader.GetString();
                    if (!string.IsNullOrWhiteSpace(value))
                    {
                        (model, assistantId) = name == "model" ? (value, assistantId) : (model, value);
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON, which the endpoint would refuse: the 429 names no model.
            return (null, null);
        }
        return (model, assistantId);
    }
}
