namespace MockRunsServer.Http;

/// <summary>
/// Which part of the server a path belongs to, decided before routing. Routing ignores case,
/// so these do too: /V1/Assistants gets the same faults and auth as /v1/assistants, and
/// /_MOCK/reset still needs the admin key.
/// </summary>
public static class MockPaths
{
    /// <summary>The OpenAI surface: anything under /v1, and the unprefixed Assistants routes. Faults, latency, auth and limits apply here only.</summary>
    public static bool IsOpenAI(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) || OpenAIMiddleware.IsAssistantsRoute(path);

    public static bool IsControl(PathString path) => path.StartsWithSegments("/_mock", StringComparison.OrdinalIgnoreCase);

    /// <summary>The journal records the traffic under test, not the control API, health probes or Swagger.</summary>
    public static bool IsJournaled(PathString path) =>
        !IsControl(path)
        && !path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
        && !path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase);
}
