using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Http;

/// <summary>Reads a request body as JSON, with OpenAI's answers for bodies that are too large or not JSON.</summary>
public static class JsonBody
{
    public const string ParseErrorMessage =
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        "The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, " +
        "please contact us through our help center at help.openai.com.)";

    /// <summary>The parsed body, or null when the request has none (an empty body is allowed where the API allows it).</summary>
    public static async Task<JsonElement?> ReadAsync(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<MockOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        // The body goes into a pooled buffer sized by Content-Length when given (the parsed document is a copy).
        var buffer = ArrayPool<byte>.Shared.Rent(context.Request.ContentLength is { } declared and < 1 << 20 ? (int)declared + 1 : 4096);
        try
        {
            var written = 0;
            var body = context.Request.Body;
            while (true)
            {
                if (written == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, written).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(written), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                written += read;
                if (written > limit)
                {
                    throw TooLarge(limit);
                }
            }
            return Parse(buffer.AsMemory(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonElement? Parse(ReadOnlyMemory<byte> bytes)
    {
        if (IsBlank(bytes.Span))
        {
            return null;
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes.Span))
        {
            throw ApiError.BadRequest(ParseErrorMessage);
        }
        try
        {
            if (HasLoneSurrogate(bytes.Span))
            {
                throw ApiError.BadRequest(ParseErrorMessage);
            }
            try
            {
                using var document = JsonDocument.Parse(bytes, NoDuplicates);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Valid JSON that repeats a key: the last one wins, as OpenAI's JSON parser (Python's) has it.
                using var document = JsonDocument.Parse(bytes);
                return LastKeysWin(document.RootElement);
            }
        }
        catch (JsonException)
        {
            throw ApiError.BadRequest(ParseErrorMessage);
        }
    }

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    private static JsonElement LastKeysWin(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();

        static void Write(Utf8JsonWriter writer, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    // Each key once, where it first stood, with its last value (a Python dict's order).
                    var last = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var order = new List<string>();
                    foreach (var property in value.EnumerateObject())
                    {
                        if (!last.ContainsKey(property.Name))
                        {
                            order.Add(property.Name);
                        }
                        last[property.Name] = property.Value;
                    }
                    writer.WriteStartObject();
                    foreach (var name in order)
                    {
                        writer.WritePropertyName(name);
                        Write(writer, last[name]);
                    }
                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in value.EnumerateArray())
                    {
                        Write(writer, item);
                    }
                    writer.WriteEndArray();
                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }
        }
    }

    /// <summary>
    /// JsonDocument accepts an escaped lone surrogate ("\ud800"), which no .NET string can hold: reading it
    /// later throws, which would be a 500. Only bodies with a \u escape need the second look.
    /// </summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\u"u8) < 0)
        {
            return false;
        }
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
            {
                try
                {
                    reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>A body that must be a JSON object (create and modify requests).</summary>
    public static async Task<JsonElement> ReadObjectAsync(HttpContext context)
    {
        var body = await ReadAsync(context);
        return body ?? throw ApiError.BadRequest(ParseErrorMessage);
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }

    private static ApiError TooLarge(long limit) =>
        new(413, $"Request body too large: the limit is {limit} bytes.", null, "request_too_large");
}
