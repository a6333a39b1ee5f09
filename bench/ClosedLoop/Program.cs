// The latency check beside wrk. wrk 4 corrects its latency histogram for coordinated omission,
// so its percentiles describe a client sending at a steady rate, and one long pause of the server
// weighs as many samples. This client does the opposite: N connections, each sending a request,
// waiting for the whole answer and timing it, then sending the next. Every sample is a request,
// and Little's law (mean in flight = mean latency × throughput) checks the bookkeeping.
//
//   ClosedLoop <port> <connections> <seconds> <method> <path> [body]
// prints one line: CLOSED requests=… rps=… p50_us=… p90_us=… p99_us=… max_us=… in_flight=…

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: ClosedLoop <port> <connections> <seconds> <method> <path> [body]");
    return 2;
}
var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var connections = int.Parse(args[1], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
var body = args.Length > 5 ? args[5] : "";
var request = Encoding.ASCII.GetBytes(
    $"{args[3]} {args[4]} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOpenAI-Beta: assistants=v2\r\nAuthorization: Bearer sk-bench\r\n" +
    $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");

var end = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
var started = Stopwatch.GetTimestamp();
var perConnection = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(() => Loop(port, request, end))));
var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

var ticks = perConnection.SelectMany(list => list).ToArray();
Array.Sort(ticks);
double Us(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
long At(double q) => ticks[(int)Math.Min(ticks.Length - 1, Math.Floor(q * ticks.Length))];
var total = ticks.Sum(Us);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"CLOSED requests={ticks.Length} rps={ticks.Length / elapsed:F1} p50_us={Us(At(0.50)):F0} p90_us={Us(At(0.90)):F0} p99_us={Us(At(0.99)):F0} max_us={Us(ticks[^1]):F0} in_flight={total / 1e6 / elapsed:F1}"));
return 0;

static async Task<List<long>> Loop(int port, byte[] request, long end)
{
    var timings = new List<long>(1 << 16);
    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    await socket.ConnectAsync("127.0.0.1", port);
    var buffer = new byte[1 << 16];
    while (Stopwatch.GetTimestamp() < end)
    {
        var sent = Stopwatch.GetTimestamp();
        await socket.SendAsync(request);
        await ReadResponse(socket, buffer);
        timings.Add(Stopwatch.GetTimestamp() - sent);
    }
    return timings;
}

// Reads one response: headers, then a Content-Length body or a chunked one (the baseline's).
static async Task ReadResponse(Socket socket, byte[] buffer)
{
    var have = 0;
    var headerEnd = -1;
    var needed = -1;
    while (true)
    {
        var read = await socket.ReceiveAsync(buffer.AsMemory(have));
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }
        have += read;
        if (headerEnd < 0)
        {
            headerEnd = buffer.AsSpan(0, have).IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                continue;
            }
            var headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            var at = headers.IndexOf("content-length:", StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                var start = at + "content-length:".Length;
                var stop = headers.IndexOf('\r', start);
                needed = headerEnd + 4 + int.Parse(headers.AsSpan(start, (stop < 0 ? headers.Length : stop) - start).Trim(), CultureInfo.InvariantCulture);
            }
        }
        if (needed >= 0 ? have >= needed : buffer.AsSpan(0, have).EndsWith("\r\n0\r\n\r\n"u8))
        {
            return;
        }
    }
}
