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
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }
            // What the engine keeps in the health log (docker inspect): why the probe failed, and where it asked.
            Console.Error.WriteLine($"health probe: {url} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception exception)
        {
            Console.Error.WriteLine($"health probe: {url}: {exception.Message}");
            return 1;
        }
    }

    private static string DefaultUrl() => DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"), Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));

    /// <summary>
    /// Where the server listens, as the host reads it: ASPNETCORE_URLS first (a wildcard host means
    /// this machine), then ASPNETCORE_HTTP_PORTS (the image sets 8080), then the server's own default port. A server started with
    /// <c>--urls</c> needs the URL given to the probe.
    /// </summary>
    public static string DefaultUrl(string? urls, string? httpPorts)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(url => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        // Kestrel's wildcards (+, *) are no host a Uri accepts; they mean every interface, as a name does.
        if (first is not null && Uri.TryCreate(first.Replace("://+", "://any", StringComparison.Ordinal).Replace("://*", "://any", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            // Kestrel listens on every interface for a wildcard or a name (only an IP address binds one), so those are asked here.
            var isAddress = System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address);
            var local = !isAddress || address!.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any) ? "127.0.0.1" : uri.Host;
            return $"http://{local}:{uri.Port}/healthz";
        }
        var fromPorts = httpPorts?.Split(';', ',')[0];
        return string.IsNullOrWhiteSpace(fromPorts)
            ? $"http://127.0.0.1:{new Uri(Hosting.DefaultAddress).Port}/healthz"
            : $"http://127.0.0.1:{fromPorts.Trim()}/healthz";
    }
}
