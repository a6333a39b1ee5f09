// The lifecycle benchmark (issue 3): create N runs with the manual clock, then advance the clock
// through all their transitions, in process against the engine (an HTTP create would measure
// HTTP, not the engine). The host is the server's own composition from Program.cs, built and
// never started, so the services are exactly the server's.
//
// Usage: dotnet run -c Release --project bench/Engine -- [runs] [--Mock:Key=value ...]
// Prints a markdown table and, last, one line "ENGINE key=value ..." for bench/run.sh.

using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MockRunsServer.Endpoints;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

var runs = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000_000;
var overrides = args.Where(arg => arg.StartsWith("--", StringComparison.Ordinal)).ToArray();
string[] settings =
[
    "--Mock:Clock:Mode=manual",
    "--Mock:Clock:Start=1700000000",
    "--Mock:Seed=42",
    // Every run goes to completed (the shipped weights make some fail on purpose).
    "--Mock:Outcomes:complete=100",
    "--Mock:Outcomes:fail=0",
    "--Mock:Outcomes:incomplete=0",
    "--Mock:Outcomes:rate_limit=0",
    "--Logging:LogLevel:Default=Warning",
    .. overrides,
];

var services = ServerHost.Build(settings);
var options = services.GetRequiredService<IOptions<MockOptions>>().Value;
var engine = services.GetRequiredService<RunEngine>();
var store = services.GetRequiredService<MockStore>();
var random = services.GetRequiredService<MockRandom>();
var clock = engine.Clock;

var assistant = new AssistantObject { Id = random.NewId("asst"), CreatedAt = clock.NowSeconds, Model = "gpt-4o" };
store.PutAssistant(assistant);
var runRequest = RequestReaders.Run(JsonDefaults.Parse($$"""{"assistant_id":"{{assistant.Id}}"}"""));
var threadRequest = RequestReaders.Thread(null);
var lifetimeMs = (long)(options.Timings.Queued + options.Timings.InProgress).TotalMilliseconds + 1000;

// Warm-up: the same work on a small scale, so the JIT has compiled the hot paths; then forget it.
Cycle(Math.Min(50_000, runs));
store.Clear();
engine.Scheduler.Clear();
store.PutAssistant(assistant);

var records = new RunRecord[runs];
var before = LiveHeap();
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
var createPauseBefore = GC.GetTotalPauseDuration();
var created = Stopwatch.StartNew();
for (var i = 0; i < runs; i++)
{
    records[i] = engine.CreateThreadAndRun(threadRequest, runRequest, null);
}
created.Stop();
var createPause = GC.GetTotalPauseDuration() - createPauseBefore;
var allocatedCreate = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
var queuedHeap = LiveHeap();
var transitions = engine.Scheduler.Count;

var allocatedBeforeAdvance = GC.GetTotalAllocatedBytes(precise: true);
var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
var gen2Before = GC.CollectionCount(2);
var pauseBefore = GC.GetTotalPauseDuration();
var advanced = Stopwatch.StartNew();
engine.AdvanceTo(clock.NowMs + lifetimeMs, collect: false);
advanced.Stop();
var gcs = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore;
var gen2s = GC.CollectionCount(2) - gen2Before;
var pause = GC.GetTotalPauseDuration() - pauseBefore;
var allocatedAdvance = GC.GetTotalAllocatedBytes(precise: true) - allocatedBeforeAdvance;
var finishedHeap = LiveHeap();

var completed = 0;
var messagesWithText = 0;
foreach (var record in records)
{
    if (record.Run.Status == RunStatus.Completed && record.StepCount == 1 && store.Steps[record.FirstStep].Status == "completed")
    {
        completed++;
    }
    var messages = record.Thread.Messages;
    if (messages.Count == 1 && messages[0].Value is { Status: "completed", WrittenLength: > 0 })
    {
        messagesWithText++;
    }
}
GC.KeepAlive(records);
if (completed != runs || messagesWithText != runs || engine.Scheduler.Count != 0)
{
    Console.Error.WriteLine($"FAILED: {completed} of {runs} runs completed with their step, {messagesWithText} messages with text, {engine.Scheduler.Count} transitions left.");
    return 1;
}

var createRate = runs / created.Elapsed.TotalSeconds;
var advanceRate = runs / advanced.Elapsed.TotalSeconds;
var perQueued = (double)(queuedHeap - before) / runs;
var perFinished = (double)(finishedHeap - before) / runs;
string F(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

Console.WriteLine($"Engine lifecycle benchmark: {F(runs)} runs, one per fresh thread, manual clock, Mock:Streaming:Chunks={options.Streaming.Chunks}, " +
                  $"Queued {options.Timings.Queued.TotalMilliseconds} ms, InProgress {options.Timings.InProgress.TotalMilliseconds} ms, " +
                  $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| measure | value | target |");
Console.WriteLine("| --- | ---: | --- |");
Console.WriteLine($"| create {F(runs)} runs (thread + run each) | {F(created.Elapsed.TotalSeconds, "N2")} s ({F(createRate)} runs/s; {F(createPause.TotalSeconds, "N2")} s GC paused) | |");
Console.WriteLine($"| advance through all transitions ({F(transitions)} queued at start) | {F(advanced.Elapsed.TotalSeconds, "N2")} s ({F(advanceRate)} runs/s; {gcs} GCs, {gen2s} of gen 2, {F(pause.TotalSeconds, "N2")} s paused) | < 10 s |");
Console.WriteLine($"| live heap per queued run (thread, run) | {F(perQueued)} B | |");
Console.WriteLine($"| live heap per finished run (thread, run, message, step) | {F(perFinished)} B | < 2048 B |");
Console.WriteLine($"| allocated per run while creating / advancing | {F((double)allocatedCreate / runs)} B / {F((double)allocatedAdvance / runs)} B | |");
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ENGINE runs={runs} chunks={options.Streaming.Chunks} create_s={created.Elapsed.TotalSeconds:F2} advance_s={advanced.Elapsed.TotalSeconds:F2} " +
    $"advance_runs_per_s={advanceRate:F0} advance_gc_pause_s={pause.TotalSeconds:F2} create_gc_pause_s={createPause.TotalSeconds:F2} bytes_per_queued_run={perQueued:F0} bytes_per_finished_run={perFinished:F0} " +
    $"alloc_create={allocatedCreate / runs} alloc_advance={allocatedAdvance / runs}"));
if (Environment.GetEnvironmentVariable("ENGINE_HOLD_SECONDS") is { } hold)
{
    // Time to take a heap snapshot (dotnet-gcdump collect -p PID) of the finished runs.
    Console.WriteLine($"Holding process {Environment.ProcessId} for {hold} s");
    Thread.Sleep(TimeSpan.FromSeconds(double.Parse(hold, CultureInfo.InvariantCulture)));
    GC.KeepAlive(records);
}
return 0;

void Cycle(int count)
{
    for (var i = 0; i < count; i++)
    {
        engine.CreateThreadAndRun(threadRequest, runRequest, null);
    }
    engine.AdvanceTo(clock.NowMs + lifetimeMs, collect: false);
}

static long LiveHeap()
{
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    return GC.GetTotalMemory(forceFullCollection: true);
}

/// <summary>
/// Runs the server's entry point until its host is built, then stops it there (the way
/// WebApplicationFactory does): the services are the server's own, and nothing is started.
/// </summary>
internal sealed class ServerHost : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private IHost? host;

    public static IServiceProvider Build(string[] args)
    {
        var capture = new ServerHost();
        using var subscription = DiagnosticListener.AllListeners.Subscribe(capture);
        try
        {
            typeof(ThreadFactory).Assembly.EntryPoint!.Invoke(null, [args]);
        }
        catch (System.Reflection.TargetInvocationException exception) when (exception.InnerException is HostBuilt)
        {
        }
        return capture.host?.Services ?? throw new InvalidOperationException("The server's host was never built.");
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "Microsoft.Extensions.Hosting")
        {
            listener.Subscribe(this);
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == "HostBuilt" && value.Value is IHost built)
        {
            host = built;
            throw new HostBuilt();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    private sealed class HostBuilt : Exception;
}
