using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// Saves the whole state to <c>Mock:Persistence:Path</c> (write a temporary file, then rename,
/// so a crash never leaves half a file) every <c>Mock:Persistence:Interval</c> and on graceful
/// shutdown, and loads it at start. A file that cannot be read stops start-up: it is never
/// overwritten silently.
/// </summary>
public sealed partial class StatePersistence(
    MockStore store,
    RunScheduler scheduler,
    MockClock clock,
    MockRandom random,
    IOptions<MockOptions> options,
    ILogger<StatePersistence> logger) : BackgroundService
{
    private readonly PersistenceOptions persistence = options.Value.Persistence;
    private readonly Lock saveGate = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(persistence.Path);

    /// <summary>Reads the file, if there is one, into the empty store. Called once before the server listens.</summary>
    public void Load()
    {
        if (!Enabled)
        {
            return;
        }
        EnsureWritable();
        if (!File.Exists(persistence.Path))
        {
            return;
        }
        StateSnapshot snapshot;
        try
        {
            var bytes = File.ReadAllBytes(persistence.Path!);
            snapshot = JsonSerializer.Deserialize(bytes, JsonContext.Default.StateSnapshot)
                       ?? throw new JsonException("the file holds null");
            if (snapshot.FormatVersion != 1)
            {
                throw new JsonException($"format version {snapshot.FormatVersion} is not 1");
            }
            // Inside the try: a file that reads but cannot be restored (an id twice) is corrupt too.
            Restore(snapshot);
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException or IOException)
        {
            throw new InvalidOperationException(
                $"Mock:Persistence:Path '{persistence.Path}' could not be read ({exception.Message}). " +
                "Fix or remove the file; it has not been changed.", exception);
        }
        random.ContinueAfter(snapshot.Assistants.Count + snapshot.Threads.Sum(thread => 1 + thread.Messages.Count + thread.Runs.Sum(run => 1 + run.Steps.Count)));
        LogLoaded(persistence.Path!, snapshot.Assistants.Count, snapshot.Threads.Count);
    }

    /// <summary>
    /// Refuses at start-up a path no save could write (a directory, a folder that cannot be made or
    /// written), instead of failing at every save and losing the whole session at shutdown. It writes
    /// and removes the temporary file a save would write; the state file itself is not touched.
    /// </summary>
    private void EnsureWritable()
    {
        var path = Path.GetFullPath(persistence.Path!);
        if (Directory.Exists(path))
        {
            throw new InvalidOperationException($"Mock:Persistence:Path '{persistence.Path}' is a directory; give the path of a file to save the state in.");
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var probe = path + ".tmp";
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Mock:Persistence:Path '{persistence.Path}' cannot be written ({exception.Message}).", exception);
        }
    }

    private void Restore(StateSnapshot snapshot)
    {
        if (clock.IsManual && snapshot.ManualClockMs is { } savedClock)
        {
            clock.MoveTo(savedClock);
        }
        foreach (var assistant in snapshot.Assistants)
        {
            store.PutAssistant(assistant);
        }
        foreach (var saved in snapshot.Threads)
        {
            var thread = new ThreadRecord(saved.Thread);
            foreach (var message in saved.Messages)
            {
                thread.Messages.Add(message);
            }
            lock (thread.Gate)
            {
                foreach (var savedRun in saved.Runs)
                {
                    var record = new RunRecord(savedRun.Run, thread, savedRun.Plan)
                    {
                        ExpiresAtMs = savedRun.ExpiresAtMs,
                        ToolRoundsDone = savedRun.ToolRoundsDone,
                        PendingText = savedRun.PendingText,
                        IncompleteReason = savedRun.IncompleteReason,
                        PromptTokens = savedRun.PromptTokens,
                        RevealedChars = savedRun.RevealedChars,
                        PiecesLeft = savedRun.PiecesLeft,
                        PieceIntervalMs = savedRun.PieceIntervalMs,
                    };
                    foreach (var step in savedRun.Steps)
                    {
                        record.Steps.Add(step);
                    }
                    record.CurrentStep = savedRun.CurrentStepId is { } stepId ? record.Steps.Get(stepId) : null;
                    record.CurrentMessage = savedRun.CurrentMessageId is { } messageId ? thread.Messages.Get(messageId) : null;
                    thread.Runs.Add(record);
                    store.AddRun(record);
                    if (record.Run.Status.IsActive())
                    {
                        thread.ActiveRun = record;
                    }
                    if (savedRun.Pending is { } kind && savedRun.NextDueMs is { } due)
                    {
                        scheduler.Schedule(record, kind, due);
                    }
                }
            }
            store.AddThread(thread);
        }
    }

    /// <summary>Writes the state now. Each thread is serialized under its own lock, so every thread is consistent.</summary>
    public void Save()
    {
        if (!Enabled)
        {
            return;
        }
        lock (saveGate)
        {
            var path = Path.GetFullPath(persistence.Path!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var buffer = new ArrayBufferWriter<byte>(64 * 1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("format_version", 1);
                writer.WriteNumber("saved_at_ms", clock.NowMs);
                if (clock.IsManual)
                {
                    writer.WriteNumber("manual_clock_ms", clock.NowMs);
                }
                writer.WritePropertyName("assistants");
                JsonSerializer.Serialize(writer, store.AllAssistants().ToList(), JsonContext.Default.ListAssistantObject);
                writer.WriteStartArray("threads");
                foreach (var thread in store.AllThreads())
                {
                    lock (thread.Gate)
                    {
                        if (thread.Deleted)
                        {
                            continue;
                        }
                        JsonSerializer.Serialize(writer, Snapshot(thread), JsonContext.Default.ThreadSnapshot);
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, buffer.WrittenSpan.ToArray());
            File.Move(temporary, path, overwrite: true);
        }
    }

    private static ThreadSnapshot Snapshot(ThreadRecord thread) => new()
    {
        Thread = thread.Thread,
        Messages = [.. thread.Messages.Items],
        Runs = thread.Runs.Items.Select(record => new RunSnapshot
        {
            Run = record.Run,
            Plan = record.Plan,
            Steps = [.. record.Steps.Items],
            ToolRoundsDone = record.ToolRoundsDone,
            CurrentStepId = record.CurrentStep?.Id,
            CurrentMessageId = record.CurrentMessage?.Id,
            PendingText = record.PendingText,
            IncompleteReason = record.IncompleteReason,
            PromptTokens = record.PromptTokens,
            ExpiresAtMs = record.ExpiresAtMs,
            RevealedChars = record.RevealedChars,
            PiecesLeft = record.PiecesLeft,
            PieceIntervalMs = record.PieceIntervalMs,
            Pending = record.Pending,
            NextDueMs = record.NextDueMs,
        }).ToList(),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        // The interval is real time even under the manual clock: saving is about the process, not the simulation.
        using var timer = new PeriodicTimer(persistence.Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                SaveLogged();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        SaveLogged();
    }

    private void SaveLogged()
    {
        try
        {
            Save();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(exception, persistence.Path!);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Assistants} assistants and {Threads} threads from {Path}")]
    private partial void LogLoaded(string path, int assistants, int threads);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save the state to {Path}")]
    private partial void LogSaveFailed(Exception exception, string path);
}
