// The baseline of the HTTP benchmarks: a minimal ASP.NET Core app that answers the server's
// routes with RunObject-shaped JSON of the same size (typed objects, source-generated
// serialization, serialized per request) and does nothing else: no store, no validation, no
// middleware. What it reaches is the limit of this stack on this machine.
//
// The poll loop needs runs that move: a run's id carries its creation time, and its status and
// openai-poll-after-ms follow the same timings as the server (Mock:Timings:Queued/InProgress),
// computed from the clock instead of stored.

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MockRunsServer.Bench.Baseline;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
var app = builder.Build();

var queuedMs = (long)TimeSpan.Parse(app.Configuration["Mock:Timings:Queued"] ?? "00:00:00.500", CultureInfo.InvariantCulture).TotalMilliseconds;
var inProgressMs = (long)TimeSpan.Parse(app.Configuration["Mock:Timings:InProgress"] ?? "00:00:02", CultureInfo.InvariantCulture).TotalMilliseconds;
const string MessageText = "Quo doloribus et dolore quae repellat distinctio rerum porro cum optio. Dolor harum consequuntur sint et voluptatem aut quia illum.";

app.MapGet("/healthz", () => Results.Text("""{"status":"ok"}""", "application/json"));

app.MapPost("/v1/threads", () => TypedResults.Json(new ThreadObject(Ids.New("thread"), Now()), BaselineJson.Default.ThreadObject));

app.MapPost("/v1/threads/runs", async (HttpRequest request, HttpResponse response) =>
{
    var body = await request.ReadFromJsonAsync(BaselineJson.Default.CreateRun);
    return Created(response, Ids.New("thread"), body?.AssistantId);
});

app.MapPost("/v1/threads/{threadId}/runs", async (string threadId, HttpRequest request, HttpResponse response) =>
{
    var body = await request.ReadFromJsonAsync(BaselineJson.Default.CreateRun);
    return Created(response, threadId, body?.AssistantId);
});

app.MapGet("/v1/threads/{threadId}/runs/{runId}", (string threadId, string runId, HttpResponse response) =>
{
    var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    if (!Ids.TryCreatedMs(runId, out var createdMs))
    {
        return TypedResults.Json(Run.Completed(runId, threadId, Now()), BaselineJson.Default.Run);
    }
    var age = nowMs - createdMs;
    var created = createdMs / 1000;
    if (age < queuedMs)
    {
        response.Headers["openai-poll-after-ms"] = Math.Max(1, queuedMs - age).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(Run.Queued(runId, threadId, created), BaselineJson.Default.Run);
    }
    if (age < queuedMs + inProgressMs)
    {
        // As the server: the pieces of text change the message, not the run, so the hint is the run's end.
        response.Headers["openai-poll-after-ms"] = Math.Max(1, queuedMs + inProgressMs - age).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(Run.InProgress(runId, threadId, created), BaselineJson.Default.Run);
    }
    return TypedResults.Json(Run.Completed(runId, threadId, created), BaselineJson.Default.Run);
});

app.MapGet("/v1/threads/{threadId}/runs", (string threadId, int? limit) =>
{
    var count = Math.Clamp(limit ?? 20, 1, 100);
    var runs = new Run[count];
    for (var i = 0; i < count; i++)
    {
        runs[i] = Run.Completed(Ids.Fixed("run", i), threadId, Now());
    }
    return TypedResults.Json(new RunList(runs, runs[0].Id, runs[^1].Id, true), BaselineJson.Default.RunList);
});

app.MapGet("/v1/threads/{threadId}/messages", (string threadId, int? limit) =>
{
    var count = Math.Clamp(limit ?? 20, 1, 100);
    var messages = new Message[count];
    for (var i = 0; i < count; i++)
    {
        messages[i] = Message.Assistant(Ids.Fixed("msg", i), threadId, Ids.Fixed("run", i), Now(), MessageText);
    }
    return TypedResults.Json(new MessageList(messages, messages[0].Id, messages[^1].Id, true), BaselineJson.Default.MessageList);
});

app.Run();

IResult Created(HttpResponse response, string threadId, string? assistantId)
{
    var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    response.Headers["openai-poll-after-ms"] = Math.Max(1, queuedMs).ToString(CultureInfo.InvariantCulture);
    return TypedResults.Json(Run.Queued(Ids.New("run", nowMs), threadId, nowMs / 1000, assistantId), BaselineJson.Default.Run);
}

static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

namespace MockRunsServer.Bench.Baseline
{
    /// <summary>Ids of the server's shape: prefix, underscore, 24 characters; a new run's carry its creation time.</summary>
    internal static class Ids
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

        public static string New(string prefix, long createdMs = -1) => string.Create(prefix.Length + 25, (prefix, createdMs), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            var rest = span[(state.prefix.Length + 1)..];
            var start = 0;
            if (state.createdMs >= 0)
            {
                // 13 digits of Unix ms, then random letters.
                state.createdMs.TryFormat(rest, out start, "D13", CultureInfo.InvariantCulture);
            }
            for (var i = start; i < rest.Length; i++)
            {
                rest[i] = Alphabet[Random.Shared.Next(start > 0 ? 26 : 0, Alphabet.Length)];
            }
        });

        public static bool TryCreatedMs(string runId, out long createdMs)
        {
            createdMs = 0;
            return runId.Length == 28 && long.TryParse(runId.AsSpan(4, 13), NumberStyles.None, CultureInfo.InvariantCulture, out createdMs);
        }

        public static string Fixed(string prefix, int index) => $"{prefix}_{index.ToString("D24", CultureInfo.InvariantCulture)}".Replace('0', 'x');
    }

    internal sealed record ThreadObject(string Id, long CreatedAt)
    {
        public string Object => "thread";
        public Dictionary<string, string> Metadata { get; } = [];
        public Empty ToolResources { get; } = new();
    }

    internal sealed record CreateRun(string? AssistantId);

    internal sealed class Empty;

    internal sealed record Truncation(string Type, int? LastMessages);

    internal sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens)
    {
        private static readonly CachedDetails NoneCached = new(0);
        private static readonly ReasoningDetails NoneReasoned = new(0);

        public CachedDetails PromptTokenDetails => NoneCached;
        public ReasoningDetails CompletionTokensDetails => NoneReasoned;
    }

    internal sealed record CachedDetails(int CachedTokens);

    internal sealed record ReasoningDetails(int ReasoningTokens);

    internal sealed record IncompleteDetails(string Reason);

    internal sealed record LastError(string Code, string Message);

    internal sealed class Run
    {
        private const string Assistant = "asst_SVrrQO5MZmDfEebqN64AVeID";

        public required string Id { get; init; }
        public string Object => "thread.run";
        public required long CreatedAt { get; init; }
        public string AssistantId { get; init; } = Assistant;
        public required string ThreadId { get; init; }
        public required string Status { get; init; }
        public long? StartedAt { get; init; }
        public long? ExpiresAt { get; init; }
        public long? CancelledAt { get; init; }
        public long? FailedAt { get; init; }
        public long? CompletedAt { get; init; }
        public Empty? RequiredAction { get; init; }
        public LastError? LastError { get; init; }
        public string Model { get; init; } = "gpt-4o";
        public string? Instructions { get; init; }
        public Empty[] Tools { get; init; } = [];
        public Empty ToolResources { get; init; } = new();
        public Dictionary<string, string> Metadata { get; init; } = [];
        public double? Temperature { get; init; } = 1.0;
        public double? TopP { get; init; } = 1.0;
        public string? ReasoningEffort { get; init; }
        public int? MaxCompletionTokens { get; init; }
        public int? MaxPromptTokens { get; init; }
        public Truncation TruncationStrategy { get; init; } = new("auto", null);
        public IncompleteDetails? IncompleteDetails { get; init; }
        public Usage? Usage { get; init; }
        public string ResponseFormat { get; init; } = "auto";
        public string ToolChoice { get; init; } = "auto";
        public bool ParallelToolCalls { get; init; } = true;

        public static Run Queued(string id, string threadId, long created, string? assistantId = null) =>
            new() { Id = id, ThreadId = threadId, CreatedAt = created, Status = "queued", ExpiresAt = created + 600, AssistantId = assistantId ?? Assistant };

        public static Run InProgress(string id, string threadId, long created) =>
            new() { Id = id, ThreadId = threadId, CreatedAt = created, Status = "in_progress", StartedAt = created, ExpiresAt = created + 600 };

        public static Run Completed(string id, string threadId, long created) =>
            new() { Id = id, ThreadId = threadId, CreatedAt = created, Status = "completed", StartedAt = created, CompletedAt = created, Usage = new(12, 34, 46) };
    }

    internal sealed record TextValue(string Value)
    {
        public Empty[] Annotations { get; } = [];
    }

    internal sealed record ContentPart(string Type, TextValue Text);

    internal sealed class Message
    {
        public required string Id { get; init; }
        public string Object => "thread.message";
        public required long CreatedAt { get; init; }
        public string? AssistantId { get; init; }
        public required string ThreadId { get; init; }
        public string? RunId { get; init; }
        public string Status { get; init; } = "completed";
        public IncompleteDetails? IncompleteDetails { get; init; }
        public long? IncompleteAt { get; init; }
        public long? CompletedAt { get; init; }
        public required string Role { get; init; }
        public required ContentPart[] Content { get; init; }
        public Empty[] Attachments { get; init; } = [];
        public Dictionary<string, string> Metadata { get; init; } = [];

        public static Message Assistant(string id, string threadId, string runId, long created, string text) => new()
        {
            Id = id, CreatedAt = created, AssistantId = "asst_SVrrQO5MZmDfEebqN64AVeID", ThreadId = threadId, RunId = runId,
            CompletedAt = created, Role = "assistant", Content = [new ContentPart("text", new TextValue(text))],
        };
    }

    internal sealed record RunList(Run[] Data, string FirstId, string LastId, bool HasMore)
    {
        public string Object => "list";
    }

    internal sealed record MessageList(Message[] Data, string FirstId, string LastId, bool HasMore)
    {
        public string Object => "list";
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
    [JsonSerializable(typeof(Run))]
    [JsonSerializable(typeof(RunList))]
    [JsonSerializable(typeof(MessageList))]
    [JsonSerializable(typeof(ThreadObject))]
    [JsonSerializable(typeof(CreateRun))]
    internal sealed partial class BaselineJson : JsonSerializerContext;
}
