using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>Assertions about the shape of OpenAI objects: ids, key order, exact JSON values.</summary>
public static partial class WireAssertions
{
    /// <summary>Fails unless <paramref name="id"/> is <paramref name="prefix"/>_ followed by 24 letters or digits.</summary>
    public static void AssertId(string prefix, string? id) =>
        Assert.True(id is not null && IdPattern().IsMatch(id) && id.StartsWith(prefix + "_", StringComparison.Ordinal),
            $"Expected an id like {prefix}_ + 24 letters/digits, got '{id}'");

    /// <summary>A vector store id as OpenAI's look: vs_ and 32 lowercase hex digits.</summary>
    public static void AssertVectorStoreId(string? id) =>
        Assert.True(id is not null && System.Text.RegularExpressions.Regex.IsMatch(id, "^vs_[0-9a-f]{32}$"), $"Expected an id like vs_ + 32 lowercase hex digits, got '{id}'");

    /// <summary>The keys of an object, in the order they were written.</summary>
    public static string[] Keys(this JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>Fails unless <paramref name="actual"/> equals the JSON <paramref name="expected"/> (key order ignored).</summary>
    public static void AssertJson(string expected, JsonElement actual)
    {
        var want = JsonNode.Parse(expected);
        var got = JsonNode.Parse(actual.GetRawText());
        Assert.True(JsonNode.DeepEquals(want, got), $"Expected {want?.ToJsonString()}\n     got {got?.ToJsonString()}");
    }

    /// <summary>The ids of a list answer's <c>data</c>, in order.</summary>
    public static string[] Ids(this JsonElement list) =>
        list.GetProperty("data").EnumerateArray().Select(item => item.Str("id")).ToArray();

    [GeneratedRegex("^[a-z]+_[A-Za-z0-9]{24}$")]
    private static partial Regex IdPattern();
}
