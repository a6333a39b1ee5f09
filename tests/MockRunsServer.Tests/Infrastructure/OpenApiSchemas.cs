using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// Validates JSON bodies against OpenAI's OpenAPI description (shared/openapi/openai-openapi.yaml):
/// a component schema by name, the 200 (or other) response of an operation, or the data of an SSE
/// event. The spec is read once per test run; each schema is built once and cached.
/// Tests that call this should be <see cref="SpecFactAttribute"/>/<see cref="SpecTheoryAttribute"/>,
/// which skip with a visible reason when the spec file is not beside the repository.
/// </summary>
/// <remarks>
/// What differs from a literal reading of the spec, on purpose:
/// <list type="bullet">
/// <item>OpenAPI 3.0 leftovers are rewritten into 2020-12 (<see cref="OpenApiSchemaRewriter"/>):
/// <c>nullable: true</c>, <c>allOf [X, {nullable: true}]</c>, <c>$recursiveRef</c>, boolean
/// <c>exclusiveMinimum</c>.</item>
/// <item>A handful of properties where the emulator follows the live service are widened
/// (<see cref="Relaxations"/>, from shared/spec/runs.md).</item>
/// <item>The <c>error</c> stream event is validated as <c>ErrorResponse</c> (<c>{"error":{…}}</c>),
/// the form the server sends (runs.md 9.6), not as the bare <c>Error</c> the spec names.</item>
/// <item>An error status an operation does not document (the spec lists only 200 and 429) is
/// validated as <c>ErrorResponse</c>, the envelope every OpenAI error uses (runs.md 7.1).</item>
/// </list>
/// Unknown keywords (<c>discriminator</c>, <c>x-oaiMeta</c>, <c>example</c>…) and unknown formats
/// (<c>unixtime</c>) are annotations only, and objects are open unless the spec closes them.
/// </remarks>
public static class OpenApiSchemas
{
    /// <summary>The event whose data the server wraps as <c>{"error":{…}}</c>.</summary>
    public const string ErrorEventName = "error";

    private const string ErrorEnvelopeSchema = "ErrorResponse";

    private static readonly Lazy<LoadedSpec> Spec = new(LoadedSpec.Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the spec file was found (it may still fail to load, which fails the test).</summary>
    public static bool IsAvailable => SpecLocation.Path is not null;

    /// <summary>Why the spec is not available; null when it is.</summary>
    public static string? UnavailableReason => SpecLocation.MissingReason;

    /// <summary>Full path of the spec file in use, or null.</summary>
    public static string? SpecPath => SpecLocation.Path;

    /// <summary>The properties widened to follow the live service, each with its reason.</summary>
    public static IReadOnlyList<string> Relaxations => SpecRelaxations.Descriptions;

    /// <summary>Every SSE event name of the <c>AssistantStreamEvent</c> family, in spec order.</summary>
    public static IReadOnlyList<string> StreamEventNames => Spec.Value.StreamEventNames;

    /// <summary>Fails the test, listing every error with its JSON path, unless <paramref name="json"/>
    /// matches <c>components/schemas/{schemaName}</c>.</summary>
    public static void AssertMatchesSchema(string schemaName, string json) =>
        AssertMatchesSchema(schemaName, ParseJson(json, $"schema {schemaName}"));

    /// <inheritdoc cref="AssertMatchesSchema(string, string)"/>
    public static void AssertMatchesSchema(string schemaName, JsonElement json) =>
        AssertMatchesSchema(schemaName, JsonNodeOf(json));

    /// <inheritdoc cref="AssertMatchesSchema(string, string)"/>
    public static void AssertMatchesSchema(string schemaName, JsonNode? json) =>
        ThrowIfInvalid($"schema {schemaName}", json, Validate(schemaName, json));

    /// <summary>Errors of <paramref name="json"/> against a component schema; empty when it matches.</summary>
    public static IReadOnlyList<SchemaError> Validate(string schemaName, JsonNode? json) =>
        Spec.Value.Validate(Spec.Value.ComponentPointer(schemaName), json);

    /// <summary>Fails the test unless <paramref name="json"/> matches the <c>application/json</c>
    /// schema of the operation's response with that status.</summary>
    public static void AssertMatchesOperationResponse(string operationId, string json, int status = 200) =>
        AssertMatchesOperationResponse(operationId, ParseJson(json, $"{operationId} {status}"), status);

    /// <inheritdoc cref="AssertMatchesOperationResponse(string, string, int)"/>
    public static void AssertMatchesOperationResponse(string operationId, JsonElement json, int status = 200) =>
        AssertMatchesOperationResponse(operationId, JsonNodeOf(json), status);

    /// <inheritdoc cref="AssertMatchesOperationResponse(string, string, int)"/>
    public static void AssertMatchesOperationResponse(string operationId, JsonNode? json, int status = 200)
    {
        var schema = ResponseSchemaFor(operationId, status);
        ThrowIfInvalid($"{operationId} {status} ({schema.Name ?? "inline schema"})", json, Spec.Value.Validate(schema.Pointer, json));
    }

    /// <summary>As <see cref="AssertMatchesOperationResponse(string, string, int)"/>, finding the
    /// operation by method and path: a template (<c>/threads/{thread_id}/runs</c>) or a concrete
    /// request path (<c>/v1/threads/thread_abc/runs</c>).</summary>
    public static void AssertMatchesResponse(string method, string path, string json, int status = 200) =>
        AssertMatchesOperationResponse(FindOperation(method, path).OperationId, json, status);

    /// <inheritdoc cref="AssertMatchesResponse(string, string, string, int)"/>
    public static void AssertMatchesResponse(string method, string path, JsonElement json, int status = 200) =>
        AssertMatchesOperationResponse(FindOperation(method, path).OperationId, json, status);

    /// <summary>The operation with that <c>operationId</c> (case-sensitive, spelled as in the spec:
    /// <c>submitToolOuputsToRun</c>).</summary>
    public static OpenApiOperation FindOperation(string operationId) => Spec.Value.FindOperation(operationId);

    /// <summary>The operation served at <paramref name="method"/> + <paramref name="path"/>; a leading
    /// <c>/v1</c>, a query string and concrete ids are all accepted.</summary>
    public static OpenApiOperation FindOperation(string method, string path) => Spec.Value.FindOperation(method, path);

    /// <summary>Which schema the operation's response with that status is checked against.</summary>
    public static ResponseSchema ResponseSchemaFor(string operationId, int status = 200) =>
        Spec.Value.ResponseSchemaFor(FindOperation(operationId), status);

    /// <summary>
    /// Fails the test unless <paramref name="data"/> (the text of the <c>data:</c> line) fits the event
    /// <paramref name="eventName"/>: the variant of <c>AssistantStreamEvent</c> whose <c>event</c> is
    /// that name gives the data schema (<c>done</c>'s data is the bare text <c>[DONE]</c>, not JSON).
    /// <c>error</c> is checked against <c>ErrorResponse</c> (<c>{"error":{message,type,param,code}}</c>),
    /// because the server wraps the error as every SDK expects (runs.md 9.6); the spec's <c>ErrorEvent</c>
    /// names a bare <c>Error</c>.
    /// </summary>
    public static void AssertMatchesStreamEvent(string eventName, string data)
    {
        var spec = Spec.Value;
        if (eventName == ErrorEventName)
        {
            var error = ParseJson(data, "event error");
            ThrowIfInvalid($"event {eventName} ({ErrorEnvelopeSchema})", error,
                spec.Validate(spec.ComponentPointer(ErrorEnvelopeSchema), error));
            return;
        }

        var variant = spec.FindStreamEvent(eventName);
        var instance = variant.DataIsText ? JsonValue.Create(data) : ParseJson(data, $"event {eventName}");
        ThrowIfInvalid($"event {eventName} ({variant.DataSchemaName})", instance, spec.Validate(variant.DataPointer, instance));
    }

    /// <summary>
    /// Checks every event of a whole <c>text/event-stream</c> body with
    /// <see cref="AssertMatchesStreamEvent"/> and fails listing the errors of all events (each path
    /// prefixed with the event's position and name). Returns the events, for ordering assertions.
    /// </summary>
    public static IReadOnlyList<ServerSentEvent> AssertMatchesEventStream(string body)
    {
        var events = ServerSentEvent.Parse(body);
        var errors = new List<SchemaError>();
        for (var i = 0; i < events.Count; i++)
        {
            var (name, data) = (events[i].Event, events[i].Data);
            var where = $"event[{i}] {name}";
            try
            {
                AssertMatchesStreamEvent(name, data);
            }
            catch (SchemaValidationException e)
            {
                errors.AddRange(e.Errors.Select(error => error with { Path = $"{where} {error.Path}" }));
            }
            catch (ArgumentException e)
            {
                errors.Add(new SchemaError(where, "event", e.Message, "#/components/schemas/AssistantStreamEvent"));
            }
        }

        if (errors.Count > 0)
        {
            throw new SchemaValidationException($"an event stream of {events.Count} events", body, errors);
        }

        return events;
    }

    private static void ThrowIfInvalid(string target, JsonNode? instance, IReadOnlyList<SchemaError> errors)
    {
        if (errors.Count > 0)
        {
            throw new SchemaValidationException(target, instance, errors);
        }
    }

    private static JsonNode? ParseJson(string json, string target)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new SchemaValidationException(target, json, e);
        }
    }

    private static JsonNode? JsonNodeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());

    /// <summary>The spec, loaded and indexed.</summary>
    private sealed class LoadedSpec
    {
        private static readonly Uri BaseUri = new("https://mockrunsserver.test/openai-openapi.json");
        private static readonly string[] HttpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

        private readonly JsonObject _document;
        private readonly EvaluationOptions _options;
        private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
        private readonly Dictionary<string, OpenApiOperation> _operations;
        private readonly Dictionary<string, StreamEventVariant> _streamEvents;

        // JsonSchema.Net 7 caches evaluation constraints on the shared schema objects, and concurrent
        // Evaluate calls have had bugs (json-everything issues #693, #929 — the latter with a new
        // options instance per call). One options instance is shared here, and, since test classes
        // run in parallel and an evaluation takes a millisecond or so, evaluations also take turns.
        private readonly Lock _evaluationLock = new();

        private LoadedSpec(JsonObject document)
        {
            _document = document;
            _options = new EvaluationOptions
            {
                EvaluateAs = SpecVersion.Draft202012,
                OutputFormat = OutputFormat.Hierarchical,
                RequireFormatValidation = false,
                OnlyKnownFormats = false,
                ValidateAgainstMetaSchema = false,
            };
            _options.SchemaRegistry.Register(new JsonNodeBaseDocument(document, BaseUri));
            _operations = IndexOperations(document);
            _streamEvents = IndexStreamEvents(document);
            StreamEventNames = _streamEvents.Keys.ToArray();
        }

        public IReadOnlyList<string> StreamEventNames { get; }

        public static LoadedSpec Load()
        {
            var path = SpecLocation.Path ?? throw new InvalidOperationException(SpecLocation.MissingReason);
            var root = YamlJson.Parse(File.ReadAllText(path, Encoding.UTF8));

            if (root is not JsonObject document || document["components"]?["schemas"] is not JsonObject)
            {
                throw new InvalidOperationException($"{path} is not an OpenAPI document with components/schemas.");
            }

            OpenApiSchemaRewriter.RewriteDocument(document);
            SpecRelaxations.Apply(document);
            return new LoadedSpec(document);
        }

        public string ComponentPointer(string schemaName)
        {
            if (_document["components"]!["schemas"]![schemaName] is null)
            {
                var near = ((JsonObject)_document["components"]!["schemas"]!)
                    .Select(p => p.Key)
                    .Where(k => k.Contains(schemaName, StringComparison.OrdinalIgnoreCase) ||
                                schemaName.Contains(k, StringComparison.OrdinalIgnoreCase))
                    .Take(8);
                throw new ArgumentException(
                    $"The spec has no components/schemas/{schemaName}. Similar names: {string.Join(", ", near)}",
                    nameof(schemaName));
            }

            return $"/components/schemas/{OpenApiSchemaRewriter.EscapePointer(schemaName)}";
        }

        public IReadOnlyList<SchemaError> Validate(string pointer, JsonNode? instance)
        {
            var schema = _schemas.GetOrAdd(pointer, BuildReference);
            lock (_evaluationLock)
            {
                var results = schema.Evaluate(instance, _options);
                return results.IsValid ? [] : SchemaErrors.From(results, instance, _document, BaseUri);
            }
        }

        private static JsonSchema BuildReference(string pointer)
        {
            var fragment = string.Join('/', pointer.Split('/').Select(Uri.EscapeDataString));
            var reference = new JsonObject { ["$ref"] = $"{BaseUri}#{fragment}" };
            return JsonSchema.FromText(reference.ToJsonString());
        }

        public OpenApiOperation FindOperation(string operationId) =>
            _operations.TryGetValue(operationId, out var operation)
                ? operation
                : throw new ArgumentException(
                    $"The spec has no operation '{operationId}'. Near: " +
                    string.Join(", ", _operations.Keys.Where(k =>
                        k.Contains(operationId, StringComparison.OrdinalIgnoreCase) ||
                        operationId.Contains(k, StringComparison.OrdinalIgnoreCase)).Take(8)),
                    nameof(operationId));

        public OpenApiOperation FindOperation(string method, string path)
        {
            var wanted = NormalizePath(path);
            var segments = wanted.Split('/');
            OpenApiOperation? best = null;
            var bestLiterals = -1;
            foreach (var operation in _operations.Values)
            {
                if (!operation.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (operation.PathTemplate == wanted)
                {
                    return operation;
                }

                var template = operation.PathTemplate.Split('/');
                if (template.Length != segments.Length)
                {
                    continue;
                }

                var literals = 0;
                var matches = true;
                for (var i = 0; i < template.Length && matches; i++)
                {
                    if (template[i].StartsWith('{') && template[i].EndsWith('}'))
                    {
                        matches = segments[i].Length > 0;
                    }
                    else
                    {
                        matches = template[i] == segments[i];
                        literals++;
                    }
                }

                if (matches && literals > bestLiterals)
                {
                    best = operation;
                    bestLiterals = literals;
                }
            }

            return best ?? throw new ArgumentException($"The spec has no operation for {method.ToUpperInvariant()} {path}.");
        }

        private static string NormalizePath(string path)
        {
            var query = path.IndexOfAny(['?', '#']);
            if (query >= 0)
            {
                path = path[..query];
            }

            if (!path.StartsWith('/'))
            {
                path = "/" + path;
            }

            if (path == "/v1" || path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                path = path[3..];
            }

            return path.Length > 1 ? path.TrimEnd('/') : path;
        }

        public ResponseSchema ResponseSchemaFor(OpenApiOperation operation, int status)
        {
            var operationPointer = $"/paths/{OpenApiSchemaRewriter.EscapePointer(operation.PathTemplate)}/{operation.Method.ToLowerInvariant()}";
            var responses = _document["paths"]![operation.PathTemplate]![operation.Method.ToLowerInvariant()]!["responses"] as JsonObject;
            var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var key = new[] { code, $"{code[0]}XX", $"{code[0]}xx", "default" }
                .FirstOrDefault(k => responses?.ContainsKey(k) == true);
            if (key is null)
            {
                if (status >= 400)
                {
                    return new ResponseSchema(ComponentPointer(ErrorEnvelopeSchema), ErrorEnvelopeSchema,
                        $"{operation.OperationId} documents no {status}; every OpenAI error body is an {ErrorEnvelopeSchema}");
                }

                throw new ArgumentException(
                    $"{operation.OperationId} documents no response with status {status} " +
                    $"(it documents {string.Join(", ", responses?.Select(p => p.Key) ?? [])}).");
            }

            var pointer = $"{operationPointer}/responses/{OpenApiSchemaRewriter.EscapePointer(key)}";
            var response = responses![key]!;
            if (response["$ref"]?.GetValue<string>() is { } responseRef)
            {
                pointer = responseRef.TrimStart('#');
                response = JsonPointer.Parse(pointer).TryEvaluate(_document, out var target) && target is not null
                    ? target
                    : throw new InvalidOperationException($"Cannot resolve response {responseRef} of {operation.OperationId}.");
            }

            if (response["content"]?["application/json"]?["schema"] is not JsonObject schema)
            {
                throw new ArgumentException(
                    $"{operation.OperationId} {key} has no application/json schema " +
                    $"(content types: {string.Join(", ", (response["content"] as JsonObject)?.Select(p => p.Key) ?? [])}).");
            }

            if (schema.Count == 1 && schema["$ref"]?.GetValue<string>() is { } schemaRef &&
                schemaRef.StartsWith("#/components/schemas/", StringComparison.Ordinal))
            {
                var name = schemaRef["#/components/schemas/".Length..].Replace("~1", "/").Replace("~0", "~");
                return new ResponseSchema(ComponentPointer(name), name, $"{operation.OperationId} {key}");
            }

            return new ResponseSchema($"{pointer}/content/application~1json/schema", null, $"{operation.OperationId} {key}");
        }

        public StreamEventVariant FindStreamEvent(string eventName) =>
            _streamEvents.TryGetValue(eventName, out var variant)
                ? variant
                : throw new ArgumentException(
                    $"No AssistantStreamEvent variant has event '{eventName}'. Known: {string.Join(", ", _streamEvents.Keys)}.",
                    nameof(eventName));

        private static Dictionary<string, OpenApiOperation> IndexOperations(JsonObject document)
        {
            var operations = new Dictionary<string, OpenApiOperation>(StringComparer.Ordinal);
            foreach (var (path, item) in (JsonObject)document["paths"]!)
            {
                foreach (var method in HttpMethods)
                {
                    if (item?[method]?["operationId"]?.GetValue<string>() is { } operationId)
                    {
                        operations[operationId] = new OpenApiOperation(operationId, method.ToUpperInvariant(), path);
                    }
                }
            }

            return operations;
        }

        /// <summary>
        /// Walks <c>AssistantStreamEvent</c>'s <c>oneOf</c> (each member a variant or a <c>oneOf</c> of
        /// variants, through <c>$ref</c>s) and maps each variant's <c>event</c> enum/const to its
        /// <c>data</c> schema.
        /// </summary>
        private static Dictionary<string, StreamEventVariant> IndexStreamEvents(JsonObject document)
        {
            var events = new Dictionary<string, StreamEventVariant>(StringComparer.Ordinal);
            Visit("/components/schemas/AssistantStreamEvent", depth: 0);
            if (events.Count == 0)
            {
                throw new InvalidOperationException("The spec's AssistantStreamEvent names no events.");
            }

            return events;

            void Visit(string pointer, int depth)
            {
                if (depth > 8 || !JsonPointer.Parse(pointer).TryEvaluate(document, out var node) || node is not JsonObject schema)
                {
                    return;
                }

                if (schema["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith('#'))
                {
                    Visit(reference[1..], depth + 1);
                    return;
                }

                foreach (var combinator in new[] { "oneOf", "anyOf" })
                {
                    if (schema[combinator] is JsonArray members)
                    {
                        for (var i = 0; i < members.Count; i++)
                        {
                            Visit($"{pointer}/{combinator}/{i}", depth + 1);
                        }
                    }
                }

                if (schema["properties"]?["event"] is not JsonObject eventSchema || schema["properties"]?["data"] is not JsonObject data)
                {
                    return;
                }

                var names = eventSchema["enum"] is JsonArray values
                    ? values.Select(v => v?.GetValue<string>()).OfType<string>()
                    : eventSchema["const"]?.GetValue<string>() is { } single ? [single] : [];
                var dataRef = data["$ref"]?.GetValue<string>();
                var dataName = dataRef is not null && dataRef.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                    ? dataRef["#/components/schemas/".Length..]
                    : $"{pointer.Split('/')[3]}.data";
                var dataIsText = data["type"]?.GetValueKind() == JsonValueKind.String && data["type"]!.GetValue<string>() == "string";
                foreach (var name in names)
                {
                    events.TryAdd(name, new StreamEventVariant(name, $"{pointer}/properties/data", dataName, dataIsText));
                }
            }
        }
    }

    private sealed record StreamEventVariant(string EventName, string DataPointer, string DataSchemaName, bool DataIsText);
}

/// <summary>An operation of the spec.</summary>
/// <param name="OperationId">As spelled in the spec (<c>submitToolOuputsToRun</c>).</param>
/// <param name="Method">Upper case: GET, POST, DELETE.</param>
/// <param name="PathTemplate">Without the <c>/v1</c> prefix: <c>/threads/{thread_id}/runs</c>.</param>
public sealed record OpenApiOperation(string OperationId, string Method, string PathTemplate);

/// <summary>The schema a response is validated against.</summary>
/// <param name="Pointer">JSON pointer into the spec document.</param>
/// <param name="Name">The component name (<c>RunObject</c>), or null for an inline schema.</param>
/// <param name="Source">Which response it came from.</param>
public sealed record ResponseSchema(string Pointer, string? Name, string Source);
