using System.Text.Json;
using System.Text.RegularExpressions;

namespace MockRunsServer.Wire.Validation;

/// <summary>
/// Every request body's validation, in one place, with the limits of OpenAI's request schemas
/// (spec/runs.md §2). Each reader returns a plain request record or throws an <see cref="ApiError"/>.
/// </summary>
public static partial class RequestReaders
{
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
    private static readonly string[] ToolTypes = ["code_interpreter", "file_search", "function"];
    private static readonly string[] Roles = ["user", "assistant"];
    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];
    private static readonly string[] ToolChoiceTypes = ["function", "file_search", "code_interpreter"];
    private static readonly string[] ResponseFormatTypes = ["text", "json_object", "json_schema"];
    private static readonly string[] TruncationTypes = ["auto", "last_messages"];
    private static readonly string[] ImageDetails = ["auto", "low", "high"];

    private static readonly string[] AssistantKeys =
        ["model", "name", "description", "instructions", "reasoning_effort", "tools", "tool_resources", "metadata", "temperature", "top_p", "response_format"];

    public static AssistantFields Assistant(JsonElement body, bool create)
    {
        var fields = FieldReader.Object(body, "", AssistantKeys);
        return new AssistantFields(
            Model(fields, create),
            fields.OptionalString("name", 256),
            fields.OptionalString("description", 512),
            fields.OptionalString("instructions", 256_000),
            fields.OptionalEnum("reasoning_effort", ReasoningEfforts),
            Tools(fields, 128),
            ToolResources(fields, allowVectorStoreHelper: create),
            fields.Metadata(),
            fields.OptionalNumber("temperature", 0, 2),
            fields.OptionalNumber("top_p", 0, 1),
            ResponseFormat(fields));
    }

    public static NewThread Thread(JsonElement? body, string path = "")
    {
        if (body is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return new NewThread([], null, null);
        }
        var fields = FieldReader.Object(value, path, "messages", "tool_resources", "metadata");
        var messages = new List<NewMessage>();
        // OpenAI creates a thread with at most 32 messages.
        if (fields.Array("messages", 32) is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                messages.Add(Message(item, $"{fields.Path("messages")}[{index++}]"));
            }
        }
        return new NewThread(messages, ToolResources(fields, allowVectorStoreHelper: true), fields.Metadata());
    }

    public static ThreadFields ModifyThread(JsonElement body)
    {
        var fields = FieldReader.Object(body, "", "tool_resources", "metadata");
        return new ThreadFields(ToolResources(fields), fields.Metadata());
    }

    public static NewMessage Message(JsonElement body, string path = "")
    {
        var fields = FieldReader.Object(body, path, "role", "content", "attachments", "metadata");
        var role = FieldReader.EnumValue(fields.Required("role"), fields.Path("role"), Roles);
        var content = Content(fields.Required("content"), fields.Path("content"));
        JsonElement? attachments = null;
        if (fields.Array("attachments") is { } array)
        {
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var attachment = FieldReader.Object(item, $"{fields.Path("attachments")}[{index++}]", "file_id", "tools");
                FileId(attachment);
                if (attachment.Array("tools") is { } tools)
                {
                    var toolIndex = 0;
                    foreach (var tool in tools.EnumerateArray())
                    {
                        var toolFields = FieldReader.Object(tool, $"{attachment.Path("tools")}[{toolIndex++}]", "type");
                        FieldReader.EnumValue(toolFields.Required("type"), toolFields.Path("type"), ["code_interpreter", "file_search"]);
                    }
                }
            }
            attachments = AbsentNulls.Drop(array);
        }
        return new NewMessage(role, content, attachments, fields.Metadata());
    }

    /// <summary>The body of modify message and modify run: metadata only.</summary>
    public static Dictionary<string, string>? MetadataOnly(JsonElement body)
    {
        var fields = FieldReader.Object(body, "", "metadata");
        return fields.Metadata();
    }

    private static readonly string[] RunKeys =
    [
        "assistant_id", "model", "reasoning_effort", "instructions", "additional_instructions", "additional_messages", "tools", "metadata",
        "temperature", "top_p", "stream", "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice",
        "parallel_tool_calls", "response_format",
    ];

    private static readonly string[] ThreadAndRunKeys =
    [
        "assistant_id", "thread", "model", "instructions", "tools", "tool_resources", "metadata", "temperature", "top_p", "stream",
        "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format",
    ];

    public static RunFields Run(JsonElement body) => RunOrThreadAndRun(FieldReader.Object(body, "", RunKeys));

    public static (RunFields Run, NewThread Thread) ThreadAndRun(JsonElement body)
    {
        var fields = FieldReader.Object(body, "", ThreadAndRunKeys);
        var thread = Thread(fields.Get("thread"), "thread");
        return (RunOrThreadAndRun(fields), thread);
    }

    private static RunFields RunOrThreadAndRun(FieldReader fields)
    {
        var assistantId = fields.RequiredString("assistant_id");
        List<NewMessage>? additional = null;
        if (fields.Array("additional_messages") is { } array)
        {
            additional = [];
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                additional.Add(Message(item, $"additional_messages[{index++}]"));
            }
        }
        return new RunFields(
            assistantId,
            Model(fields, required: false),
            fields.String("instructions", 256_000),
            fields.String("additional_instructions", 256_000),
            additional,
            Tools(fields, 20),
            ToolResources(fields),
            fields.Metadata(),
            fields.Number("temperature", 0, 2),
            fields.Number("top_p", 0, 1),
            fields.Enum("reasoning_effort", ReasoningEfforts),
            fields.Integer("max_prompt_tokens", 256),
            fields.Integer("max_completion_tokens", 256),
            Truncation(fields),
            ToolChoice(fields),
            fields.Boolean("parallel_tool_calls"),
            ResponseFormat(fields),
            fields.Boolean("stream") ?? false);
    }

    public static (List<ToolOutput> Outputs, bool Stream) ToolOutputs(JsonElement body)
    {
        var fields = FieldReader.Object(body, "", "tool_outputs", "stream");
        fields.Required("tool_outputs");
        var array = fields.Array("tool_outputs")!.Value;
        var outputs = new List<ToolOutput>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var output = FieldReader.Object(item, $"tool_outputs[{index++}]", "tool_call_id", "output");
            outputs.Add(new ToolOutput(output.RequiredString("tool_call_id"), output.String("output") ?? string.Empty));
        }
        return (outputs, fields.Boolean("stream") ?? false);
    }

    private static MessageContent[] Content(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [MessageContent.FromText(value.GetString()!)];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw FieldReader.TypeError(path, "a string or an array", value);
        }
        if (value.GetArrayLength() == 0)
        {
            throw ApiError.BadRequest($"Invalid '{path}': empty array. Expected an array with minimum length 1, but got an empty array instead.", path, "empty_array");
        }
        var parts = new List<MessageContent>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var partPath = $"{path}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw FieldReader.TypeError(partPath, "an object", item);
            }
            var type = item.TryGetProperty("type", out var typeElement)
                ? FieldReader.EnumValue(typeElement, $"{partPath}.type", ["text", "image_url", "image_file"])
                : throw ApiError.BadRequest($"Missing required parameter: '{partPath}.type'.", $"{partPath}.type", "missing_required_parameter");
            switch (type)
            {
                case "text":
                {
                    var part = FieldReader.Object(item, partPath, "type", "text");
                    parts.Add(MessageContent.FromText(part.RequiredString("text")));
                    break;
                }
                case "image_url":
                {
                    var part = FieldReader.Object(item, partPath, "type", "image_url");
                    var image = FieldReader.Object(part.Required("image_url"), part.Path("image_url"), "url", "detail");
                    parts.Add(new MessageContent
                    {
                        Type = "image_url",
                        ImageUrl = new ImageUrlContent { Url = ImageUrl(image), Detail = image.Enum("detail", ImageDetails) ?? "auto" },
                    });
                    break;
                }
                default:
                {
                    var part = FieldReader.Object(item, partPath, "type", "image_file");
                    var image = FieldReader.Object(part.Required("image_file"), part.Path("image_file"), "file_id", "detail");
                    parts.Add(new MessageContent
                    {
                        Type = "image_file",
                        ImageFile = new ImageFileContent { FileId = FileId(image), Detail = image.Enum("detail", ImageDetails) ?? "auto" },
                    });
                    break;
                }
            }
        }
        return [.. parts];
    }

    /// <summary>Any model name is taken (the mock runs none of them), except an empty or blank one, which no model has.</summary>
    private static string? Model(FieldReader fields, bool required)
    {
        var model = required ? fields.RequiredString("model") : fields.String("model");
        return model is not null && string.IsNullOrWhiteSpace(model)
            ? throw ApiError.BadRequest($"The requested model '{model}' does not exist.", "model", "model_not_found")
            : model;
    }

    /// <summary>
    /// OpenAI fetches an image_url when a run reads it, but refuses at once a value that is not an
    /// http(s) URL, a data: URL included.
    /// </summary>
    private static string ImageUrl(FieldReader image)
    {
        var url = image.RequiredString("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            var path = image.Path("url");
            throw ApiError.BadRequest($"Invalid '{path}'. Expected a valid URL, but got a value with an invalid format.", path, "invalid_value");
        }
        return url;
    }

    /// <summary>A file id is checked for its kind before anything looks it up (files are not served here, so any such id is taken).</summary>
    private static string FileId(FieldReader fields) => Ids.Check(fields.RequiredString("file_id"), fields.Path("file_id"), "file");

    private static List<ToolObject>? Tools(FieldReader fields, int max)
    {
        if (fields.Array("tools", max) is not { } array)
        {
            return null;
        }
        var tools = new List<ToolObject>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{fields.Path("tools")}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw FieldReader.TypeError(path, "an object", item);
            }
            var type = item.TryGetProperty("type", out var typeElement)
                ? FieldReader.EnumValue(typeElement, $"{path}.type", ToolTypes)
                : throw ApiError.BadRequest($"Missing required parameter: '{path}.type'.", $"{path}.type", "missing_required_parameter");
            switch (type)
            {
                case "code_interpreter":
                    FieldReader.Object(item, path, "type");
                    tools.Add(new ToolObject { Type = type });
                    break;
                case "file_search":
                {
                    var tool = FieldReader.Object(item, path, "type", "file_search");
                    var options = FileSearchOptions.Default;
                    if (tool.Object("file_search") is { } fileSearch)
                    {
                        var searchFields = FieldReader.Object(fileSearch, tool.Path("file_search"), "max_num_results", "ranking_options");
                        options = new FileSearchOptions
                        {
                            MaxNumResults = searchFields.Integer("max_num_results", 1, 50),
                            RankingOptions = RankingOptions(searchFields),
                        };
                    }
                    tools.Add(new ToolObject { Type = type, FileSearch = options });
                    break;
                }
                default:
                {
                    var tool = FieldReader.Object(item, path, "type", "function");
                    var function = FieldReader.Object(tool.Required("function"), tool.Path("function"), "name", "description", "parameters", "strict");
                    var name = function.RequiredString("name", 64);
                    if (!FunctionName().IsMatch(name))
                    {
                        throw ApiError.BadRequest(
                            $"Invalid '{function.Path("name")}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                            function.Path("name"), "invalid_value");
                    }
                    var description = function.String("description");
                    var strict = function.Boolean("strict") ?? false;
                    tools.Add(new ToolObject
                    {
                        Type = type,
                        Function = new FunctionObject
                        {
                            Name = name,
                            Description = description,
                            Parameters = Parameters(function, name, strict),
                            Strict = strict,
                        },
                    });
                    break;
                }
            }
        }
        return tools;
    }

    private static readonly string[] Rankers = ["auto", "default_2024_08_21"];

    /// <summary>File search's ranking options: a known ranker, and the score threshold the spec requires, within 0–1.</summary>
    private static FileSearchRanking RankingOptions(FieldReader searchFields)
    {
        if (searchFields.Object("ranking_options") is not { } value)
        {
            return FileSearchRanking.Default;
        }
        var ranking = FieldReader.Object(value, searchFields.Path("ranking_options"), "ranker", "score_threshold");
        return new FileSearchRanking
        {
            Ranker = ranking.Enum("ranker", Rankers) ?? FileSearchRanking.Default.Ranker,
            ScoreThreshold = FieldReader.NumberValue(ranking.Required("score_threshold"), ranking.Path("score_threshold"), 0, 1),
        };
    }

    /// <summary>A function's JSON schema, not nested absurdly deep, and one OpenAI took (<see cref="SchemaRules"/>).</summary>
    private static JsonElement Parameters(FieldReader function, string name, bool strict)
    {
        if (function.Object("parameters") is not { } parameters)
        {
            return JsonDefaults.EmptyFunctionParameters;
        }
        var path = function.Path("parameters");
        EnsureShallow(parameters, path);
        SchemaRules.Check(parameters, $"function '{name}'", strict, path, "invalid_function_parameters");
        return parameters.Clone();
    }

    /// <summary>Schemas deeper than this are refused, so everything accepted can be written back and saved.</summary>
    public const int MaxSchemaDepth = 32;

    private static void EnsureShallow(JsonElement schema, string path)
    {
        if (Depth(schema, 0) > MaxSchemaDepth)
        {
            throw ApiError.BadRequest($"Invalid '{path}': the schema is nested more than {MaxSchemaDepth} levels deep.", path, "invalid_value");
        }
    }

    private static int Depth(JsonElement element, int depth)
    {
        if (depth > MaxSchemaDepth)
        {
            return depth;
        }
        var deepest = depth;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    deepest = Math.Max(deepest, Depth(property.Value, depth + 1));
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    deepest = Math.Max(deepest, Depth(item, depth + 1));
                }
                break;
        }
        return deepest;
    }

    /// <summary>Tool resources; the <c>vector_stores</c> helper exists only where a create makes the store.</summary>
    private static JsonElement? ToolResources(FieldReader fields, bool allowVectorStoreHelper = false)
    {
        if (fields.Object("tool_resources") is not { } value)
        {
            return null;
        }
        var resources = FieldReader.Object(value, fields.Path("tool_resources"), "code_interpreter", "file_search");
        if (resources.Object("code_interpreter") is { } codeInterpreter)
        {
            var code = FieldReader.Object(codeInterpreter, resources.Path("code_interpreter"), "file_ids");
            StringArray(code, "file_ids", 20);
        }
        if (resources.Object("file_search") is { } fileSearch)
        {
            var search = allowVectorStoreHelper
                ? FieldReader.Object(fileSearch, resources.Path("file_search"), "vector_store_ids", "vector_stores")
                : FieldReader.Object(fileSearch, resources.Path("file_search"), "vector_store_ids");
            StringArray(search, "vector_store_ids", 1);
            if (search.Array("vector_stores", 1) is { } helpers)
            {
                if (search.Get("vector_store_ids") is not null)
                {
                    // The spec's oneOf: a store is either named or made, and there can be only one.
                    throw ApiError.BadRequest(
                        $"Invalid '{resources.Path("file_search")}': provide either 'vector_store_ids' or 'vector_stores', not both.",
                        resources.Path("file_search"), "invalid_value");
                }
                var index = 0;
                foreach (var helper in helpers.EnumerateArray())
                {
                    VectorStoreHelper(helper, $"{search.Path("vector_stores")}[{index++}]");
                }
            }
        }
        return AbsentNulls.Drop(value);
    }

    /// <summary>One entry of the <c>vector_stores</c> helper: the files, how to chunk them, metadata.</summary>
    private static void VectorStoreHelper(JsonElement value, string path)
    {
        var helper = FieldReader.Object(value, path, "file_ids", "chunking_strategy", "metadata");
        StringArray(helper, "file_ids", null);
        helper.Metadata();
        if (helper.Object("chunking_strategy") is not { } strategyValue)
        {
            return;
        }
        var strategy = FieldReader.Object(strategyValue, helper.Path("chunking_strategy"), "type", "static");
        var type = FieldReader.EnumValue(strategy.Required("type"), strategy.Path("type"), ["auto", "static"]);
        if (type == "auto")
        {
            if (strategy.Has("static"))
            {
                throw ApiError.BadRequest($"Unknown parameter: '{strategy.Path("static")}'.", strategy.Path("static"), "unknown_parameter");
            }
            return;
        }
        var chunking = FieldReader.Object(strategy.Required("static"), strategy.Path("static"), "max_chunk_size_tokens", "chunk_overlap_tokens");
        var maxChunk = FieldReader.IntegerValue(chunking.Required("max_chunk_size_tokens"), chunking.Path("max_chunk_size_tokens"), 100, 4096);
        FieldReader.IntegerValue(chunking.Required("chunk_overlap_tokens"), chunking.Path("chunk_overlap_tokens"), 0, maxChunk / 2);
    }

    private static void StringArray(FieldReader fields, string name, int? max)
    {
        if (fields.Array(name, max) is not { } array)
        {
            return;
        }
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            FieldReader.StringValue(item, $"{fields.Path(name)}[{index++}]", null);
        }
    }

    private static JsonElement? ResponseFormat(FieldReader fields)
    {
        if (fields.Get("response_format") is not { } value)
        {
            return null;
        }
        var path = fields.Path("response_format");
        if (value.ValueKind == JsonValueKind.String)
        {
            FieldReader.EnumValue(value, path, ["auto"]);
            return JsonDefaults.Auto;
        }
        var format = FieldReader.Object(value, path, "type", "json_schema");
        var type = FieldReader.EnumValue(format.Required("type"), format.Path("type"), ResponseFormatTypes);
        if (type == "json_schema")
        {
            var schema = FieldReader.Object(format.Required("json_schema"), format.Path("json_schema"), "name", "description", "schema", "strict");
            var name = schema.RequiredString("name", 64);
            if (!FunctionName().IsMatch(name))
            {
                throw ApiError.BadRequest(
                    $"Invalid '{schema.Path("name")}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                    schema.Path("name"), "invalid_value");
            }
            schema.String("description");
            var strict = schema.Boolean("strict") ?? false;
            if (schema.Object("schema") is { } inner)
            {
                EnsureShallow(inner, schema.Path("schema"));
                // The code the Responses API gives a refused format schema (the only one on record).
                SchemaRules.Check(inner, $"response_format '{name}'", strict, schema.Path("schema"), "invalid_json_schema");
            }
        }
        else if (format.Has("json_schema"))
        {
            throw ApiError.BadRequest($"Unknown parameter: '{format.Path("json_schema")}'.", format.Path("json_schema"), "unknown_parameter");
        }
        return AbsentNulls.Drop(value, verbatim: "schema");
    }

    private static JsonElement? ToolChoice(FieldReader fields)
    {
        if (fields.Get("tool_choice") is not { } value)
        {
            return null;
        }
        var path = fields.Path("tool_choice");
        if (value.ValueKind == JsonValueKind.String)
        {
            FieldReader.EnumValue(value, path, ToolChoiceModes);
            return value.Clone();
        }
        var choice = FieldReader.Object(value, path, "type", "function");
        var type = FieldReader.EnumValue(choice.Required("type"), choice.Path("type"), ToolChoiceTypes);
        if (type == "function")
        {
            var function = FieldReader.Object(choice.Required("function"), choice.Path("function"), "name");
            function.RequiredString("name", 64);
        }
        else if (choice.Has("function"))
        {
            throw ApiError.BadRequest($"Unknown parameter: '{choice.Path("function")}'.", choice.Path("function"), "unknown_parameter");
        }
        return value.Clone();
    }

    private static TruncationObject? Truncation(FieldReader fields)
    {
        if (fields.Object("truncation_strategy") is not { } value)
        {
            return null;
        }
        var truncation = FieldReader.Object(value, fields.Path("truncation_strategy"), "type", "last_messages");
        var type = FieldReader.EnumValue(truncation.Required("type"), truncation.Path("type"), TruncationTypes);
        var last = truncation.Integer("last_messages", 1);
        return type == "auto" && last is null ? JsonDefaults.AutoTruncation : new TruncationObject { Type = type, LastMessages = last };
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_-]+\z")]
    private static partial Regex FunctionName();
}
