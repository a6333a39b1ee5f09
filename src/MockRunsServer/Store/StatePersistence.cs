using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    TimeProvider time,
    ILogger<StatePersistence> logger) : BackgroundService
{
    private readonly PersistenceOptions persistence = options.Value.Persistence;
    private readonly Lock saveGate = new();

    /// <summary>The number of starts behind the state this server holds: 0 unless it loaded one, then one more than the file's.</summary>
    private int session;

    private Lazy<Task>? stopping;

    public bool Enabled => !string.IsNullOrWhiteSpace(persistence.Path);

    /// <summary>
    /// Reads the file, if there is one, into the empty store. Called once before the server listens.
    /// Returns the number of this start after the saved ones, or null when no state was loaded.
    /// </summary>
    public int? Load()
    {
        if (!Enabled)
        {
            return null;
        }
        EnsureWritable();
        if (!File.Exists(persistence.Path))
        {
            return null;
        }
        StateSnapshot snapshot;
        try
        {
            var bytes = File.ReadAllBytes(persistence.Path!).AsSpan();
            // A file saved again by an editor that writes a UTF-8 byte order mark is still the same state.
            if (bytes.StartsWith("\uFEFF"u8))
            {
                bytes = bytes[3..];
            }
            snapshot = JsonSerializer.Deserialize(bytes, StrictStateSnapshot)
                       ?? throw new JsonException("the file holds null");
            if (snapshot.FormatVersion != 1)
            {
                throw new JsonException($"format version {snapshot.FormatVersion} is not 1");
            }
            // Inside the try: a file that reads but cannot be restored (an id twice) is corrupt too.
            Restore(snapshot);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"Mock:Persistence:Path '{persistence.Path}' could not be read ({exception.Message}). " +
                "Fix or remove the file; it has not been changed.", exception);
        }
        session = snapshot.Session + 1;
        random.ContinueAfter(AllIds(snapshot), session);
        LogLoaded(persistence.Path!, snapshot.Assistants.Count, snapshot.Threads.Count);
        return session;
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

    /// <summary>
    /// The state file's shape, with null refused wherever the types say a value is always there
    /// (a message's content, a run's tools): such a file was not saved by the server, and serving it
    /// would fail later, on a run, instead of at start-up with the field's path.
    /// </summary>
    private static readonly JsonTypeInfo<StateSnapshot> StrictStateSnapshot =
        (JsonTypeInfo<StateSnapshot>)new JsonSerializerOptions(JsonContext.Default.Options) { RespectNullableAnnotations = true }
            .GetTypeInfo(typeof(StateSnapshot));

    private static IEnumerable<string> AllIds(StateSnapshot snapshot) =>
        snapshot.Assistants.Select(assistant => assistant.Id)
            .Concat(snapshot.Threads.SelectMany(thread =>
                new[] { thread.Thread.Id }
                    .Concat(thread.Messages.Select(message => message.Id))
                    .Concat(thread.Runs.SelectMany(run => new[] { run.Run.Id }.Concat(run.Steps.Select(step => step.Id))))));

    private void Restore(StateSnapshot snapshot)
    {
        EnsureConsistent(snapshot);
        if (clock.IsManual && snapshot.ManualClockMs is { } savedClock)
        {
            // The saved time, even if earlier than this start's: a manual clock stands still while the server is down.
            clock.RestoreTo(savedClock);
        }
        foreach (var assistant in snapshot.Assistants)
        {
            // As a create would answer now, for a state saved before code_interpreter's empty file list was shown.
            assistant.ToolResources = ToolResources.ForTools(assistant.ToolResources, assistant.Tools);
            store.PutAssistant(assistant);
        }
        foreach (var vectorStore in snapshot.VectorStores ?? [])
        {
            store.VectorStores.Add(vectorStore.Id, vectorStore.FileIds ?? []);
        }
        store.RestoreRemovedAssistants(snapshot.RemovedAssistants ?? []);
        var threads = new List<ThreadRecord>(snapshot.Threads.Count);
        foreach (var saved in snapshot.Threads)
        {
            var thread = new ThreadRecord(saved.Thread);
            foreach (var message in saved.Messages)
            {
                thread.Messages.Add(store.Messages.Add(MessageSlot.From(message, store.Texts)));
            }
            foreach (var removed in saved.RemovedMessages ?? [])
            {
                (thread.RemovedMessages ??= new()).Add(removed.Id, thread.Messages.SeqAt(removed.At));
            }
            threads.Add(thread);
        }
        // Runs are made again in the order they were first made, across threads (file order in older
        // files), so they get new sequence numbers in that order: the control API lists runs by it.
        var runs = snapshot.Threads
            .SelectMany((saved, index) => saved.Runs.Select(run => (Thread: threads[index], Saved: run)))
            .OrderBy(pair => pair.Saved.Seq ?? long.MinValue)
            .ToList();
        var pending = new List<(RunRecord Record, TransitionKind Kind, long DueMs, int Order)>();
        foreach (var (thread, savedRun) in runs)
        {
            lock (thread.Gate)
            {
                var record = new RunRecord(savedRun.Run, thread, savedRun.Plan)
                {
                    ExpiresAtMs = savedRun.ExpiresAtMs,
                    ToolRoundsDone = savedRun.ToolRoundsDone,
                    PendingCitation = savedRun.PendingCitation,
                    StreamsFileSearchContent = savedRun.StreamsFileSearchContent,
                    IncompleteReason = savedRun.IncompleteReason,
                    PromptTokens = savedRun.PromptTokens,
                    RevealedChars = savedRun.RevealedChars,
                    PiecesLeft = savedRun.PiecesLeft,
                    PieceIntervalMs = savedRun.PieceIntervalMs,
                };
                foreach (var step in savedRun.Steps)
                {
                    store.Steps.Append(record, StepSlot.From(step));
                }
                record.CurrentStep = savedRun.CurrentStepId is { } stepId ? store.Steps.Find(record, stepId) : -1;
                // Builds before the text moved into the message saved a deleted message's run without its id.
                var messageId = savedRun.CurrentMessageId
                    ?? (savedRun.PendingText is null ? null : WrittenBy(record) ?? StandInId(record));
                if (messageId is not null)
                {
                    var listed = thread.Messages.Get(messageId);
                    record.CurrentMessage = listed.Exists ? listed.Slot : Detached(messageId, record);
                }
                if (savedRun.PendingText is { } pendingText && record.CurrentMessage >= 0)
                {
                    store.Messages[record.CurrentMessage].Write(store.Texts.Add(pendingText));
                }
                thread.Runs.Add(record);
                store.AddRun(record);
                if (record.Run.Status.IsActive())
                {
                    thread.ActiveRun = record;
                }
                if (savedRun.Pending is { } kind && savedRun.NextDueMs is { } due)
                {
                    pending.Add((record, kind, due, savedRun.ScheduleOrder ?? int.MaxValue));
                }
            }
        }
        // Transitions due at the same millisecond fire in the order they were scheduled in, as before the restart.
        foreach (var (record, kind, due, _) in pending.OrderBy(entry => entry.DueMs).ThenBy(entry => entry.Order))
        {
            scheduler.Schedule(record, kind, due);
        }
        // Retention drops the least recently used first: the order the threads were used in survives the
        // restart. Set before the threads are added, and the state comes back whole even past the limit.
        foreach (var index in Enumerable.Range(0, threads.Count).OrderBy(index => snapshot.Threads[index].LastUsed ?? long.MinValue))
        {
            threads[index].Touch();
        }
        foreach (var thread in threads)
        {
            store.AddThread(thread, restoring: true);
        }
    }

    /// <summary>The message the run's current step says it is writing, if it is writing one.</summary>
    private string? WrittenBy(RunRecord record) =>
        record.CurrentStep >= 0 && store.Steps[record.CurrentStep].MessageId is { Length: > 0 } id ? id.ToString() : null;

    /// <summary>An id for a deleted message that an older file did not name; it shows nowhere, but is kept in place like any.</summary>
    private static string StandInId(RunRecord record)
    {
        var id = "msg_" + record.Id;
        return id.Length <= InlineId.MaxLength ? id : id[..InlineId.MaxLength];
    }

    /// <summary>
    /// The message a run was writing when a client deleted it: the run writes on into it, listed
    /// nowhere (no stream can be open on a run being written after a restart), as it did before the
    /// restart, and its text still counts in the run's usage.
    /// </summary>
    private int Detached(string id, RunRecord record)
    {
        var slot = store.Messages.Add(MessageSlot.Reply(id, record.Run.StartedAt ?? record.Run.CreatedAt, record.Run)).Slot;
        store.Messages[slot].Detached = true;
        return slot;
    }

    /// <summary>Writes the state now, and answers how many assistants and threads it wrote. Each thread is serialized under its own lock, so every thread is consistent.</summary>
    public (int Assistants, int Threads) Save()
    {
        if (!Enabled)
        {
            return (0, 0);
        }
        lock (saveGate)
        {
            var path = Path.GetFullPath(persistence.Path!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Written straight to a temporary file, thread by thread, so that a large state needs no
            // buffer of its size (one past 2 GB could not be made at all); it replaces the file at the end.
            var temporary = path + ".tmp";
            (int Assistants, int Threads) saved;
            try
            {
                using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
                using (var writer = new Utf8JsonWriter(file))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("format_version", 1);
                    writer.WriteNumber("saved_at_ms", clock.NowMs);
                    writer.WriteNumber("session", session);
                    if (clock.IsManual)
                    {
                        writer.WriteNumber("manual_clock_ms", clock.NowMs);
                    }
                    writer.WritePropertyName("assistants");
                    var (assistants, removedAssistants) = store.AssistantsToSave();
                    JsonSerializer.Serialize(writer, assistants, JsonContext.Default.ListAssistantObject);
                    writer.WritePropertyName("removed_assistants");
                    JsonSerializer.Serialize(writer, removedAssistants, JsonContext.Default.ListRemovedSnapshot);
                    saved = (assistants.Count, 0);
                    var scheduleOrder = scheduler.PendingOrder();
                    writer.WriteStartArray("threads");
                    foreach (var thread in store.AllThreads())
                    {
                        lock (thread.Gate)
                        {
                            if (thread.Deleted)
                            {
                                continue;
                            }
                            JsonSerializer.Serialize(writer, Snapshot(thread, scheduleOrder), JsonContext.Default.ThreadSnapshot);
                            saved.Threads++;
                        }
                        // To the file outside the thread's lock.
                        writer.Flush();
                    }
                    writer.WriteEndArray();
                    writer.WritePropertyName("vector_stores");
                    JsonSerializer.Serialize(writer, store.VectorStores.Snapshot(), JsonContext.Default.ListVectorStoreSnapshot);
                    writer.WriteEndObject();
                }
            }
            catch
            {
                // The last good file stays; a half-written temporary one must not linger.
                File.Delete(temporary);
                throw;
            }
            File.Move(temporary, path, overwrite: true);
            return saved;
        }
    }

    private ThreadSnapshot Snapshot(ThreadRecord thread, Dictionary<RunRecord, (int Place, long DueMs, TransitionKind Kind)> scheduleOrder) => new()
    {
        Thread = thread.Thread,
        LastUsed = thread.LastUsed,
        Messages = thread.Messages.Items.Select(message => message.Value.ToWire(thread.Id)).ToList(),
        RemovedMessages = thread.RemovedMessages?.Entries.Select(entry => new RemovedSnapshot(entry.Id, thread.Messages.PositionOf(entry.Seq))).ToList(),
        Runs = thread.Runs.Items.Select(record => new RunSnapshot
        {
            Run = record.Run,
            Plan = record.Plan,
            Steps = store.Steps.ToWire(record),
            ToolRoundsDone = record.ToolRoundsDone,
            CurrentStepId = record.CurrentStep >= 0 ? store.Steps[record.CurrentStep].Id.ToString() : null,
            CurrentMessageId = record.CurrentMessage >= 0 ? store.Messages[record.CurrentMessage].Id.ToString() : null,
            PendingText = record.CurrentMessage >= 0 ? store.Messages[record.CurrentMessage].Text.ToString() : null,
            PendingCitation = record.PendingCitation,
            StreamsFileSearchContent = record.StreamsFileSearchContent,
            IncompleteReason = record.IncompleteReason,
            PromptTokens = record.PromptTokens,
            ExpiresAtMs = record.ExpiresAtMs,
            RevealedChars = record.RevealedChars,
            PiecesLeft = record.PiecesLeft,
            PieceIntervalMs = record.PieceIntervalMs,
            Pending = record.Pending,
            NextDueMs = record.NextDueMs,
            Seq = record.Seq,
            // A transition scheduled after the order was read (the one read has fired meanwhile) comes after those that were.
            ScheduleOrder = record.Pending is not { } pending ? null
                : scheduleOrder.TryGetValue(record, out var place) && place.DueMs == record.NextDueMs && place.Kind == pending ? place.Place
                : int.MaxValue,
        }).ToList(),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        // The interval is real time even under the manual clock (the clock's source, not the clock):
        // saving is about the process, not the simulation.
        using var timer = new PeriodicTimer(persistence.Interval, time);
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

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped from two places at once (a test host's dispose, and the app's own
        // wait for shutdown): one shutdown save, and every stop waits for it, so that nothing still
        // writes the file once a stop has returned.
        var stop = new Lazy<Task>(() => StopOnceAsync(cancellationToken));
        return (Interlocked.CompareExchange(ref stopping, stop, null) ?? stop).Value;
    }

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        SaveLogged(atShutdown: true);
    }

    /// <summary>Saves; only the shutdown save says so in the log (an interval save every second would flood it).</summary>
    private void SaveLogged(bool atShutdown = false)
    {
        try
        {
            var (assistants, threads) = Save();
            if (atShutdown && Enabled)
            {
                LogSaved(persistence.Path!, assistants, threads);
            }
        }
        catch (Exception exception)
        {
            // Whatever stops one save (a full disk, a value too large to write) must not stop the
            // server: the file keeps the last good save, and the next interval tries again.
            LogSaveFailed(exception, persistence.Path!);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Assistants} assistants and {Threads} threads from {Path}")]
    private partial void LogLoaded(string path, int assistants, int threads);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved {Assistants} assistants and {Threads} threads to {Path}")]
    private partial void LogSaved(string path, int assistants, int threads);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not save the state to {Path}")]
    private partial void LogSaveFailed(Exception exception, string path);
}
