// The streaming benchmark (issue 5): opens N concurrent `stream: true` runs (default 10,000) over
// real HTTP on loopback, drives them all to completion with the manual clock, and reports the
// server's memory per open stream and the events per second the clients received.
//
// The server runs in a child process (this program with -serve, hosting the server's own
// Program.cs on a free port), so its memory is measured apart from the clients'. A second child
// holds the same number of runs without streams, to separate what a stream costs from what its run
// costs.
//
// Usage: dotnet run -c Release --project bench/Streaming -- [streams] [--clients=4] [--open-parallel=256] [--settle=3] [--Mock:Key=value ...]
// (--settle: seconds to let the server close the connections before the last measurement)
// Prints a markdown table and, last, one line "STREAMING key=value ..." for a runner script.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MockRunsServer.Runs;

namespace MockRunsServer.Bench.Streaming;

public static class StreamingBench
{
    private const string ServeFlag = "-serve";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ServeFlag)
        {
            return ServerProcess.Run(args[1..]);
        }

        var streams = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 10_000;
        var clients = IntOption(args, "--clients=", 4);
        var openParallel = IntOption(args, "--open-parallel=", 256);
        var settle = IntOption(args, "--settle=", 3);
        var overrides = args.Where(arg => arg.StartsWith("--Mock:", StringComparison.Ordinal) || arg.StartsWith("--Logging:", StringComparison.Ordinal)).ToArray();
        CheckFileLimit(streams);
        var loadBefore = LoadAverage();

        // 1. The same runs without streams, in a server of their own: what the runs themselves cost.
        Console.Error.WriteLine($"baseline: {streams:N0} runs without streams");
        Stats plainEmpty, plainQueued, plainCompleted;
        await using (var server = await ServerChild.Start(ServeFlag, overrides))
        using (var load = new Load(clients, openParallel))
        {
            var api = load.For(server);
            await api.WarmUp();
            plainEmpty = await server.Stats();
            await api.CreateRuns(streams);
            plainQueued = await server.Stats();
            await api.DriveToEnd();
            plainCompleted = await server.Stats();
        }

        // 2. The streams, in a fresh server.
        Console.Error.WriteLine($"streams: {streams:N0} concurrent streams");
        await using var streaming = await ServerChild.Start(ServeFlag, overrides);
        var clientsLoad = new Load(clients, openParallel);
        var client = clientsLoad.For(streaming);
        await client.WarmUp();
        var empty = await streaming.Stats();
        var open = Stopwatch.StartNew();
        var readers = await client.OpenStreams(streams);
        open.Stop();
        var health = await client.Health();
        if (health.OpenStreams != streams || health.Subscribers != streams)
        {
            throw new InvalidOperationException($"Expected {streams} open streams, the server shows {health.OpenStreams} open and {health.Subscribers} subscribed.");
        }
        var open_ = await streaming.Stats();

        // 3. Drive every run to completion, timing delivery: from the first clock step until every client has read [DONE].
        Console.Error.WriteLine("driving the clock");
        var before = readers.Events;
        var readsBefore = readers.Reads;
        var advancing = TimeSpan.Zero;
        var serverCpu = streaming.CpuTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var drive = Stopwatch.StartNew();
        for (var step = 0; step < Api.Steps; step++)
        {
            var advance = Stopwatch.StartNew();
            await client.Advance(Api.StepSeconds);
            advancing += advance.Elapsed;
            Console.Error.WriteLine($"  step {step + 1}: advance took {advance.ElapsedMilliseconds} ms, {readers.Events - before:N0} events received so far");
        }
        await readers.AllDone;
        drive.Stop();
        serverCpu = streaming.CpuTime - serverCpu;
        clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;
        var delivered = readers.Events - before;
        var reads = readers.Reads - readsBefore;
        if (readers.Incomplete > 0)
        {
            throw new InvalidOperationException($"{readers.Incomplete} streams ended without [DONE].");
        }

        // 4. After: streams ended with the connections idle in keep-alive, then with the connections closed.
        var after = await client.HealthWhenIdle();
        var endedIdle = await streaming.Stats();
        clientsLoad.Dispose();
        await Task.Delay(TimeSpan.FromSeconds(settle));
        var endedClosed = await streaming.Stats();

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average (1 min) {loadBefore} at the start and {LoadAverage()} at the end; .NET {Environment.Version}, server GC {GCSettings.IsServerGC}.");
        Console.WriteLine();
        Report(settle, new Figures(streams, clients, plainEmpty, plainQueued, plainCompleted, empty, open_, endedIdle, endedClosed,
            open.Elapsed, drive.Elapsed, advancing, delivered, readers.Events, after, serverCpu, clientCpu, reads));
        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static int IntOption(string[] args, string prefix, int fallback) =>
        args.FirstOrDefault(arg => arg.StartsWith(prefix, StringComparison.Ordinal)) is { } value ? int.Parse(value[prefix.Length..], CultureInfo.InvariantCulture) : fallback;

    /// <summary>Each process needs a descriptor per connection; .NET raises the soft limit to the hard one at start, so the hard one must suffice.</summary>
    private static void CheckFileLimit(int streams)
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return;
        }
        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is { Length: >= 5 } && long.TryParse(parts[3], out var soft) && soft < streams + 500)
        {
            throw new InvalidOperationException($"Max open files is {soft}; {streams} streams need more than {streams + 500} (raise it with `ulimit -n`).");
        }
    }

    private static void Report(int settle, Figures f)
    {
        static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MB";
        static string Kb(double bytes) => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB";
        static string Num(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
        double Per(long bytes) => (double)bytes / f.Streams;

        var plainRun = Per(f.PlainQueued.Heap - f.PlainEmpty.Heap);
        var streamedRun = Per(f.Open.Heap - f.Empty.Heap);
        var perStream = streamedRun - plainRun;
        var idleConnection = Per(f.EndedIdle.Heap - f.EndedClosed.Heap);
        var plainCompleted = Per(f.PlainCompleted.Heap - f.PlainEmpty.Heap);
        var streamedCompleted = Per(f.EndedClosed.Heap - f.Empty.Heap);
        var wsPerStream = Per(f.Open.WorkingSet - f.Empty.WorkingSet) - Per(f.PlainQueued.WorkingSet - f.PlainEmpty.WorkingSet);
        var eventsPerSecond = f.Delivered / f.Drive.TotalSeconds;
        var cpuPerEvent = f.ServerCpu.TotalMilliseconds * 1000 / f.Delivered;
        var allocatedPerEvent = (double)(f.EndedIdle.Allocated - f.Open.Allocated) / f.Delivered;

        var table = new StringBuilder();
        table.AppendLine("| figure | value |");
        table.AppendLine("| --- | --- |");
        table.AppendLine($"| concurrent streams (one HTTP/1.1 connection each, loopback, {f.Clients} HttpClients) | {Num(f.Streams)} |");
        table.AppendLine($"| time to open them all (create thread and run with stream: true, until each client read its first 3 events) | {Num(f.OpenTime.TotalSeconds, "N2")} s |");
        table.AppendLine($"| server GC heap: empty / {Num(f.Streams)} queued runs, no streams / {Num(f.Streams)} queued runs, each streaming | {Mb(f.Empty.Heap)} / +{Mb(f.PlainQueued.Heap - f.PlainEmpty.Heap)} / +{Mb(f.Open.Heap - f.Empty.Heap)} |");
        table.AppendLine($"| server GC heap per queued run: without / with an open stream | {Kb(plainRun)} / {Kb(streamedRun)} |");
        table.AppendLine($"| **server GC heap per open stream** (the difference: connection, request, stream, subscription) | **{Kb(perStream)}** |");
        table.AppendLine($"| of which an idle keep-alive HTTP connection (after the streams ended, before vs after closing the clients) | {Kb(idleConnection)} |");
        table.AppendLine($"| server working set: empty → {Num(f.Streams)} streams open | {Mb(f.Empty.WorkingSet)} → {Mb(f.Open.WorkingSet)} |");
        table.AppendLine($"| **server working set per open stream** (over a queued run without one) | **{Kb(wsPerStream)}** |");
        table.AppendLine($"| server GC heap per completed run: plain / streamed (clients closed their connections {settle} s before) | {Kb(plainCompleted)} / {Kb(streamedCompleted)} |");
        table.AppendLine($"| events delivered while driving ({Api.Steps} clock steps of {Api.StepSeconds} s) | {Num(f.Delivered)} ({Num(f.TotalEvents)} in all, {Num((double)f.TotalEvents / f.Streams, "N1")} per stream) |");
        table.AppendLine($"| drive time, first clock step to the last client reading [DONE] | {Num(f.Drive.TotalMilliseconds)} ms (of which inside the advance requests: {Num(f.Advancing.TotalMilliseconds)} ms) |");
        table.AppendLine($"| **events/s delivered** (received and counted by the clients, wall clock) | **{Num(eventsPerSecond)}** |");
        table.AppendLine($"| CPU during the drive: server / clients (2 cores give {Num(2 * f.Drive.TotalMilliseconds)} ms) | {Num(f.ServerCpu.TotalMilliseconds)} ms / {Num(f.ClientCpu.TotalMilliseconds)} ms |");
        table.AppendLine($"| **server CPU per delivered event** (engine, serialization, Kestrel write) | **{Num(cpuPerEvent, "N1")} µs** ({Num(1e6 / cpuPerEvent)} events per server CPU-second) |");
        table.AppendLine($"| client reads that returned data, per delivered event (≈ server writes per event) | {Num((double)f.Reads / f.Delivered, "N2")} |");
        table.AppendLine($"| server bytes allocated per delivered event (drive phase) | {Num(allocatedPerEvent)} B |");
        table.AppendLine($"| after all streams ended: open streams / run subscribers on the server | {f.After.OpenStreams} / {f.After.Subscribers} |");
        Console.WriteLine(table.ToString());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"STREAMING streams={f.Streams} heap_per_stream_bytes={perStream:F0} heap_per_streamed_run_bytes={streamedRun:F0} idle_connection_bytes={idleConnection:F0} ws_per_stream_bytes={wsPerStream:F0} events_per_s={eventsPerSecond:F0} server_cpu_us_per_event={cpuPerEvent:F1} alloc_bytes_per_event={allocatedPerEvent:F0} drive_ms={f.Drive.TotalMilliseconds:F0} open_ms={f.OpenTime.TotalMilliseconds:F0} left_open={f.After.OpenStreams} left_subscribed={f.After.Subscribers}"));
    }

    private sealed record Figures(
        int Streams, int Clients, Stats PlainEmpty, Stats PlainQueued, Stats PlainCompleted, Stats Empty, Stats Open, Stats EndedIdle, Stats EndedClosed,
        TimeSpan OpenTime, TimeSpan Drive, TimeSpan Advancing, long Delivered, long TotalEvents, Health After, TimeSpan ServerCpu, TimeSpan ClientCpu, long Reads);
}

/// <summary>The server's memory, measured inside its process after a full compacting collection.</summary>
public sealed record Stats(long Heap, long Committed, long WorkingSet, long Allocated)
{
    public static Stats Parse(string line)
    {
        var values = line.Split(' ').Skip(1).Select(part => part.Split('=')).ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
        return new Stats(values["heap"], values["committed"], values["ws"], values["alloc"]);
    }
}

public sealed record Health(int OpenStreams, int Subscribers);

/// <summary>The child process: the server's own Program.cs on a port, and a stdin command loop for memory figures.</summary>
internal static class ServerProcess
{
    public static int Run(string[] serverArgs)
    {
        var server = new Thread(() => typeof(RunEngine).Assembly.EntryPoint!.Invoke(null, [serverArgs])) { IsBackground = true, Name = "server" };
        server.Start();
        while (Console.ReadLine() is { } command)
        {
            if (command == "stats")
            {
                Console.WriteLine(Measure());
            }
            else if (command == "quit")
            {
                break;
            }
        }
        return 0;
    }

    private static string Measure()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture, $"STATS heap={GC.GetTotalMemory(false)} committed={info.TotalCommittedBytes} ws={Environment.WorkingSet} alloc={GC.GetTotalAllocatedBytes(precise: true)}");
    }
}

/// <summary>The driver's handle on a child server process.</summary>
internal sealed class ServerChild : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> statsLines = Channel.CreateUnbounded<string>();

    private ServerChild(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time the server process has used so far (user + system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static async Task<ServerChild> Start(string serveFlag, string[] overrides)
    {
        var port = FreePort();
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StreamingBench).Assembly.Location);
        }
        start.ArgumentList.Add(serveFlag);
        foreach (var argument in (string[])
            [
                $"--urls=http://127.0.0.1:{port}",
                "--Mock:Clock:Mode=manual",
                "--Mock:Clock:Start=1700000000",
                "--Mock:Seed=42",
                "--Mock:Outcomes:complete=100",
                "--Mock:Outcomes:fail=0",
                "--Mock:Outcomes:incomplete=0",
                "--Mock:Outcomes:rate_limit=0",
                "--Logging:LogLevel:Default=Warning",
                .. overrides,
            ])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server process did not start.");
        var child = new ServerChild(process, new Uri($"http://127.0.0.1:{port}"));
        _ = Task.Run(child.PumpOutput);
        await child.WaitHealthy();
        return child;
    }

    public async Task<Stats> Stats()
    {
        await process.StandardInput.WriteLineAsync("stats");
        await process.StandardInput.FlushAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return global::MockRunsServer.Bench.Streaming.Stats.Parse(await statsLines.Reader.ReadAsync(guard.Token));
    }

    private async Task PumpOutput()
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("STATS ", StringComparison.Ordinal))
            {
                statsLines.Writer.TryWrite(line);
            }
            else
            {
                Console.Error.WriteLine($"  server: {line}");
            }
        }
    }

    private async Task WaitHealthy()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}.");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not answer /healthz within a minute.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await process.StandardInput.WriteLineAsync("quit");
            await process.StandardInput.FlushAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}

/// <summary>The clients: several HttpClients, each with its own connection pool without a per-server cap.</summary>
internal sealed class Load(int clients, int openParallel) : IDisposable
{
    private readonly HttpClient[] http = Enumerable.Range(0, clients).Select(_ => new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    }).ToArray();

    public Api For(ServerChild server) => new(http, server.BaseAddress, openParallel);

    public void Dispose()
    {
        foreach (var client in http)
        {
            client.Dispose();
        }
    }
}

internal sealed class Api(HttpClient[] http, Uri baseAddress, int openParallel)
{
    /// <summary>Six half-second steps take a default run (queued 0.5 s, in_progress 2 s in 4 pieces) from queued to completed.</summary>
    public const int Steps = 6;

    public const double StepSeconds = 0.5;

    private string? assistant;
    private int next;

    private HttpClient Next() => http[(int)((uint)Interlocked.Increment(ref next) % http.Length)];

    private HttpRequestMessage Request(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
        request.Headers.TryAddWithoutValidation("OpenAI-Beta", "assistants=v2");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return request;
    }

    private async Task<JsonElement> Send(HttpMethod method, string path, string? json = null)
    {
        using var request = Request(method, path, json);
        using var response = await Next().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task Advance(double seconds) =>
        await Send(HttpMethod.Post, "/_mock/clock/advance", string.Create(CultureInfo.InvariantCulture, $$"""{"seconds":{{seconds}}}"""));

    public async Task<Health> Health()
    {
        var health = await Send(HttpMethod.Get, "/healthz");
        return new Health(health.GetProperty("open_streams").GetInt32(), health.GetProperty("stream_subscribers").GetInt32());
    }

    /// <summary>The counts once the server has let go of every stream (it does so as each response ends; this allows for the last few in flight).</summary>
    public async Task<Health> HealthWhenIdle()
    {
        var health = await Health();
        for (var attempt = 0; attempt < 50 && health is not (0, 0); attempt++)
        {
            await Task.Delay(100);
            health = await Health();
        }
        return health;
    }

    private async Task<string> Assistant() =>
        assistant ??= (await Send(HttpMethod.Post, "/v1/assistants", """{"model":"gpt-4o","name":"Bench"}""")).GetProperty("id").GetString()!;

    /// <summary>A few hundred streamed and plain runs start to end, so the JIT has compiled the paths measured; then a reset forgets them.</summary>
    public async Task WarmUp()
    {
        var readers = await OpenStreams(500);
        await CreateRuns(500);
        await DriveToEnd();
        await readers.AllDone;
        await Send(HttpMethod.Post, "/_mock/reset");
        assistant = null;
    }

    public async Task DriveToEnd()
    {
        for (var step = 0; step < Steps; step++)
        {
            await Advance(StepSeconds);
        }
    }

    /// <summary>Creates <paramref name="count"/> threads with a queued run each, without streams.</summary>
    public async Task CreateRuns(int count)
    {
        var body = $$$"""{"assistant_id":"{{{await Assistant()}}}","thread":{"messages":[{"role":"user","content":"Hello there"}]}}""";
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = openParallel },
            async (_, _) => await Send(HttpMethod.Post, "/v1/threads/runs", body));
    }

    /// <summary>Opens <paramref name="count"/> streams (create thread and run) and returns once each has received its first three events.</summary>
    public async Task<Readers> OpenStreams(int count)
    {
        var body = $$"""{"assistant_id":"{{await Assistant()}}","thread":{"messages":[{"role":"user","content":"Hello there"}]},"stream":true}""";
        var readers = new Readers(count);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = openParallel }, async (_, _) =>
        {
            var request = Request(HttpMethod.Post, "/v1/threads/runs", body);
            var response = await Next().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                throw new InvalidOperationException($"A stream answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            readers.Add(Readers.Read(request, response, readers, ready));
            await ready.Task;
        });
        return readers;
    }
}

/// <summary>The clients' side of the open streams: each reads raw bytes and counts events (each ends with a blank line).</summary>
internal sealed class Readers(int count)
{
    private static readonly byte[] DoneTail = "data: [DONE]\n\n"u8.ToArray();
    private readonly List<Task> tasks = new(count);
    private long events;
    private long reads;
    private int incomplete;

    public long Events => Interlocked.Read(ref events);

    /// <summary>Reads that returned data: on loopback about one per send() of the server, so it shows how events were batched into writes.</summary>
    public long Reads => Interlocked.Read(ref reads);

    public int Incomplete => Volatile.Read(ref incomplete);

    public Task AllDone
    {
        get
        {
            lock (tasks)
            {
                return Task.WhenAll(tasks);
            }
        }
    }

    public void Add(Task task)
    {
        lock (tasks)
        {
            tasks.Add(task);
        }
    }

    public static async Task Read(HttpRequestMessage request, HttpResponseMessage response, Readers readers, TaskCompletionSource ready)
    {
        using var _ = request;
        using var __ = response;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var tail = new byte[DoneTail.Length];
        var seen = 0;
        var previous = (byte)0;
        while (true)
        {
            var read = await body.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }
            var found = 0;
            for (var i = 0; i < read; i++)
            {
                var current = buffer[i];
                if (current == (byte)'\n' && previous == (byte)'\n')
                {
                    found++;
                }
                previous = current;
            }
            Interlocked.Add(ref readers.events, found);
            Interlocked.Increment(ref readers.reads);
            seen += found;
            KeepTail(tail, buffer.AsSpan(0, read));
            if (seen >= 3)
            {
                ready.TrySetResult();
            }
        }
        ready.TrySetResult();
        if (!tail.AsSpan().SequenceEqual(DoneTail))
        {
            Interlocked.Increment(ref readers.incomplete);
        }
    }

    private static void KeepTail(byte[] tail, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return;
        }
        tail.AsSpan(chunk.Length).CopyTo(tail);
        chunk.CopyTo(tail.AsSpan(tail.Length - chunk.Length));
    }
}
