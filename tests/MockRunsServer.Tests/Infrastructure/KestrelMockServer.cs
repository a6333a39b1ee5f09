using System.Net;

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
        // Listen options rather than UseKestrel(0): with a port, the factory rewrites the server's
        // addresses after the app has started Kestrel on its own thread, and now and then Kestrel
        // has already made them read-only (dotnet/aspnetcore#67714).
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    /// <summary>A Kestrel-hosted server with other settings, for one test (dispose it).</summary>
    public static new KestrelMockServer With(params (string Key, string? Value)[] overrides) =>
        new(overrides.ToDictionary(pair => pair.Key, pair => pair.Value));
}
