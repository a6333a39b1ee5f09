namespace MockRunsServer.Http;

/// <summary>Which part of the server a path belongs to, decided before routing.</summary>
public static class MockPaths
{
    /// <summary>The OpenAI surface: anything under /v1, and the unprefixed Assistants routes. Faults, latency, auth and limits apply here only.</summary>
    public static bool IsOpenAI(PathString path)
    {
        var value = path.Value ?? string.Empty;
        return value == "/v1" || value.StartsWith("/v1/", StringComparison.Ordinal) || OpenAIMiddleware.IsAssistantsRoute(path);
    }

    public static bool IsControl(PathString path) => path.StartsWithSegments("/_mock", StringComparison.Ordinal);

    /// <summary>The journal records the traffic under test, not the control API, health probes or Swagger.</summary>
    public static bool IsJournaled(PathString path) =>
        !IsControl(path)
        && !path.StartsWithSegments("/healthz", StringComparison.Ordinal)
        && !path.StartsWithSegments("/swagger", StringComparison.Ordinal);
}
