namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// The server on a real Kestrel socket (a free local port), for what the in-memory test server
/// can't show — a dropped connection reaches the client as the network error it really is.
/// Same settings as <see cref="MockServerFactory"/>; <see cref="MockServerFactory.CreateClient()"/> talks over TCP.
/// </summary>
public sealed class KestrelMockServer : MockServerFactory
{
    public KestrelMockServer()
    {
        UseKestrel(0);
        StartServer();
    }
}
