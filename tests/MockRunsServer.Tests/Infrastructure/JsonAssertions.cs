using System.Text.Json;

namespace MockRunsServer.Tests.Infrastructure;

public static class JsonAssertions
{
    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static bool IsNull(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.Null : throw new Xunit.Sdk.XunitException($"'{name}' is missing from {element}");

    public static long Long(this JsonElement element, string name) => element.GetProperty(name).GetInt64();

    public static string Status(this JsonElement run) => run.Str("status");
}
