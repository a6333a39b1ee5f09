using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Options;
using MockRunsServer.Wire;

namespace MockRunsServer.Generation;

/// <summary>Writes what a run produces: message text (plain, JSON object or JSON-schema JSON) and tool-call arguments.</summary>
public sealed class ContentGenerator(MockRandom random, IOptions<MockOptions> options)
{
    private readonly GenerationOptions generation = options.Value.Generation;

    /// <summary>
    /// Python that a code_interpreter call runs, and what it prints: a look at the first file it was
    /// given (under /mnt/data, where OpenAI's sandbox puts them), or a small sum without one.
    /// </summary>
    public (string Input, string Logs) Code(IReadOnlyList<string> fileIds) => random.UseSource(source =>
    {
        if (fileIds.Count > 0)
        {
            var rows = source.Next(10, 5000);
            var columns = source.Next(2, 20);
            return ($"import pandas as pd\n\ndf = pd.read_csv('/mnt/data/{fileIds[0]}')\nprint(df.shape)", $"({rows}, {columns})\n");
        }
        var upTo = source.Next(5, 100);
        return ($"total = sum(range(1, {upTo + 1}))\nprint(total)", $"{upTo * (upTo + 1) / 2}\n");
    });

    public string MessageText(string? scripted, JsonElement responseFormat)
    {
        if (scripted is not null)
        {
            return scripted;
        }
        if (responseFormat.ValueKind == JsonValueKind.Object && responseFormat.TryGetProperty("type", out var type))
        {
            switch (type.GetString())
            {
                case "json_object":
                    return random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(JsonObjectShape));
                case "json_schema":
                    var schema = responseFormat.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.TryGetProperty("schema", out var inner)
                        ? inner
                        : JsonDefaults.EmptyObject;
                    return random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(schema));
            }
        }
        // The draws of faker.Random.Number(min, max) and faker.Lorem.Sentence(n), made directly on
        // the same source: the same text for the same seed, without a lock and an array per word.
        return random.UseSource(source =>
        {
            var text = Builder();
            AppendSentences(text, source, source.Next(generation.MinWords, generation.MaxWords + 1));
            var written = text.ToString();
            if (text.Capacity <= 4096)
            {
                cachedBuilder = text;
            }
            return written;
        });
    }

    /// <summary>
    /// The text a file search found in a file: a passage that is the file's own, the same in every
    /// search and every run (files are not stored here, so it is drawn from the file id alone).
    /// </summary>
    public static string FileText(string fileId)
    {
        // FNV-1a: a hash that is the same in every process (string.GetHashCode is not).
        var hash = 2166136261u;
        foreach (var c in fileId)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        var source = new Random((int)(hash & int.MaxValue));
        var text = new StringBuilder(1024);
        AppendSentences(text, source, source.Next(40, 121));
        return text.ToString();
    }

    /// <summary>One reused builder per thread: writing a message then costs only the message's own string.</summary>
    [ThreadStatic]
    private static StringBuilder? cachedBuilder;

    private static StringBuilder Builder()
    {
        var builder = cachedBuilder ?? new StringBuilder(256);
        cachedBuilder = null;
        return builder.Clear();
    }

    /// <summary>Sentences of 4 to 12 words until <paramref name="words"/> are written.</summary>
    private static void AppendSentences(StringBuilder text, Random source, int words)
    {
        while (words > 0)
        {
            var sentence = Math.Min(words, source.Next(4, 13));
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            AppendSentence(text, source, sentence);
            words -= sentence;
        }
    }

    /// <summary>What Bogus' <c>Lorem.Sentence(count)</c> writes: the words joined by spaces, the first letter upper case, a full stop.</summary>
    private static void AppendSentence(StringBuilder text, Random source, int count)
    {
        var start = text.Length;
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }
            text.Append(LoremWords[source.Next(0, LoremWords.Length)]);
        }
        if (text.Length > start)
        {
            text[start] = char.ToUpperInvariant(text[start]);
        }
        text.Append('.');
    }

    private static readonly string[] LoremWords = LoremData.Words();

    /// <summary>Bogus' lorem word list (its "en" data set), read once.</summary>
    private sealed class LoremData : Bogus.DataSets.Lorem
    {
        private LoremData()
        {
            // Bogus names a data set's category after its class; this one reads the lorem data.
            Category = "lorem";
        }

        public static string[] Words()
        {
            var array = new LoremData().GetArray("words");
            var words = new string[array.Count];
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = array[i].StringValue;
            }
            return words;
        }
    }

    public string Arguments(FunctionObject function) =>
        random.Use(faker => new JsonSchemaFaker(faker.Random).Generate(function.Parameters));

    private static readonly JsonElement JsonObjectShape = JsonDefaults.Parse(
        """{"type":"object","properties":{"answer":{"type":"string"},"confidence":{"type":"number","minimum":0,"maximum":1},"tags":{"type":"array","items":{"type":"string"},"maxItems":3}},"required":["answer","confidence"],"additionalProperties":false}""");
}
