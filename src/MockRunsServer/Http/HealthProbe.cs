namespace MockRunsServer.Http;

/// <summary>
/// The runtime image has no curl or wget, so the container's HEALTHCHECK runs the server binary
/// itself in probe mode: <c>dotnet MockRunsServer.dll --health-probe [url]</c> exits 0 when
/// /healthz answers 200 and 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public const string Argument = "--health-probe";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Argument;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = await client.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception)
        {
            return 1;
        }
    }

    private static string DefaultUrl()
    {
        var port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0] ?? "8080";
        return $"http://127.0.0.1:{port}/healthz";
    }
}
