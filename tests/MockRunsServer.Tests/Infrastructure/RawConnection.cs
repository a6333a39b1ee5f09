using System.Net.Sockets;
using System.Text;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// A bare TCP connection to a <see cref="KestrelMockServer"/>, for what an HttpClient will not do:
/// send a request's head and part of its body, wait, then the rest; or cut the connection mid-body.
/// </summary>
public sealed class RawConnection : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TcpClient socket = new();
    private readonly Uri address;

    private RawConnection(Uri address) => this.address = address;

    public static async Task<RawConnection> OpenAsync(KestrelMockServer server)
    {
        var connection = new RawConnection(server.Api().Http.BaseAddress!);
        await connection.socket.ConnectAsync(connection.address.Host, connection.address.Port);
        return connection;
    }

    /// <summary>Sends a POST's head with the beta header and these headers, then the start of its body.</summary>
    public Task SendHeadAsync(string pathAndQuery, string headers, string bodyStart = "") =>
        SendAsync($"POST {pathAndQuery} HTTP/1.1\r\nHost: {address.Authority}\r\nOpenAI-Beta: assistants=v2\r\nContent-Type: application/json\r\n{headers}\r\n{bodyStart}");

    public async Task SendAsync(string text)
    {
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text));
        await socket.GetStream().FlushAsync();
    }

    /// <summary>The first bytes of the answer: its status line at least.</summary>
    public async Task<string> ReadAnswerStartAsync()
    {
        var answer = new byte[64];
        var read = await socket.GetStream().ReadAsync(answer).AsTask().WaitAsync(Patience);
        return Encoding.ASCII.GetString(answer, 0, read);
    }

    /// <summary>Closes with a reset rather than an orderly close: the server meets a connection error.</summary>
    public void Reset()
    {
        socket.Client.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    public void Dispose() => socket.Dispose();
}
