namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// The server on a real Kestrel socket (a free local port), for what the in-memory test server
/// can't show — a dropped connection reaches the client as the network error it really is.
/// Same settings as <see cref="MockServerFactory"/>; <see cref="MockServerFactory.CreateClient()"/> talks over TCP.
/// </summary>
public sealed class KestrelMockServer : MockServerFactory
{
    public KestrelMockServer()
        : this(new Dictionary<string, string?>())
    {
    }

    private KestrelMockServer(IDictionary<string, string?> overrides)
        : base(overrides)
    {
        UseKestrelOnAFreePort();
        StartServer();
    }

    /// <summary>A Kestrel-hosted server with other settings, for one test (dispose it).</summary>
    public static new KestrelMockServer With(params (string Key, string? Value)[] overrides) =>
        new(overrides.ToDictionary(pair => pair.Key, pair => pair.Value));
}
