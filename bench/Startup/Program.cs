// Usage: Startup <server executable> <port> [launches=10] [idle seconds=2]
// Starts the published server again and again; for each launch measures the time from
// Process.Start to the first 200 on /healthz, then, after the idle wait, its resident memory.
// Prints the median of each and, last, one line "STARTUP key=value ..." for bench/run.sh.

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

var executable = args[0];
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var launches = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
var idleSeconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 2;

var startMs = new List<double>();
var idleRssMb = new List<double>();
for (var i = 0; i < launches; i++)
{
    var info = new ProcessStartInfo(executable, ["--urls", $"http://127.0.0.1:{port}"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
        WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(executable))!,
    };
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    while (!HealthOk(port))
    {
        if (process.HasExited)
        {
            throw new InvalidOperationException($"The server exited with {process.ExitCode} before answering.");
        }
        if (clock.Elapsed > TimeSpan.FromSeconds(30))
        {
            throw new TimeoutException("No 200 on /healthz within 30 s.");
        }
        Thread.Sleep(1);
    }
    startMs.Add(clock.Elapsed.TotalMilliseconds);
    Thread.Sleep(TimeSpan.FromSeconds(idleSeconds));
    idleRssMb.Add(ResidentMb(process.Id));
    process.Kill();
    process.WaitForExit();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"start to first 200 on /healthz: median {Median(startMs):F0} ms (min {startMs.Min():F0}, max {startMs.Max():F0}, {launches} launches)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"resident memory {idleSeconds} s after the first 200: median {Median(idleRssMb):F1} MB"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"STARTUP median_ms={Median(startMs):F0} min_ms={startMs.Min():F0} max_ms={startMs.Max():F0} idle_rss_mb={Median(idleRssMb):F1}"));

// One raw HTTP/1.1 request per attempt: no client library warm-up in the measured time.
static bool HealthOk(int port)
{
    try
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Connect("127.0.0.1", port);
        socket.Send(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        var buffer = new byte[64];
        var read = socket.Receive(buffer);
        return read >= 12 && Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 200";
    }
    catch (SocketException)
    {
        return false;
    }
}

static double ResidentMb(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
    }
    return double.NaN;
}
