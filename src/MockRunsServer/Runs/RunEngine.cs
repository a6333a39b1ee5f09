using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MockRunsServer.Generation;
using MockRunsServer.Options;
using MockRunsServer.Scenarios;
using MockRunsServer.Store;
using MockRunsServer.Wire;

namespace MockRunsServer.Runs;

/// <summary>A transition the scheduler (or a forced transition) applied.</summary>
public sealed record FiredTransition(string RunId, string ThreadId, string From, string To, double At);

/// <summary>
/// The run lifecycle: creation, the timed transitions, cancel and tool outputs. Every change
/// happens under the run's thread lock and bumps the run's version, so a transition that was
/// scheduled before a cancel or a submit finds the version moved on and does nothing. Applying
/// due transitions (Clock), the assistant's message (Message), the built-in tools, the token
/// budgets and forced transitions are in RunEngine.*.cs beside it.
/// </summary>
public sealed partial class RunEngine(
    MockStore store,
    RunScheduler scheduler,
    MockClock clock,
    MockRandom random,
    ContentGenerator content,
    LiveConfig liveConfig,
    ScenarioSelector selector,
    ThreadFactory threads,
    IOptions<MockOptions> options,
    ILogger<RunEngine> logger)
{
    private readonly MockOptions mock = options.Value;

    public MockClock Clock => clock;

    public RunScheduler Scheduler => scheduler;

    // ---- creation -------------------------------------------------------------------------

    /// <summary>
    /// The checks a new run must pass that need no thread: its assistant, scenario names and tool
    /// choice. Create thread and run asks them before it makes the thread, so that a refused request
    /// has drawn no ids and made nothing.
    /// </summary>
    public (AssistantObject Assistant, ScenarioConfig Config) EnsureCanCreate(RunFields fields, string? headerScenario)
    {
        var assistant = store.GetAssistant(fields.AssistantId);
        var config = liveConfig.Scenarios;
        if (headerScenario is not null)
        {
            ScenarioSelector.EnsureKnown(config, headerScenario, null);
        }
        if (fields.Metadata?.TryGetValue(ScenarioSelector.MetadataKey, out var named) == true)
        {
            ScenarioSelector.EnsureKnown(config, named, $"metadata.{ScenarioSelector.MetadataKey}");
        }
        EnsureToolChoiceFits(fields.ToolChoice ?? JsonDefaults.Auto, fields.Tools ?? assistant.Tools);
        return (assistant, config);
    }

    /// <summary>Creates a run on a thread whose lock the caller does not hold.</summary>
    public RunRecord CreateRun(ThreadRecord thread, RunFields fields, string? headerScenario, Action<RunRecord>? beforeSchedule = null)
    {
        var (assistant, config) = EnsureCanCreate(fields, headerScenario);
        lock (thread.Gate)
        {
            EnsureThreadAlive(thread);
            if (thread.ActiveRun is { } active)
            {
                throw ApiError.BadRequest(fields.AdditionalMessages is { Count: > 0 }
                    ? $"Can't add messages to {thread.Id} while a run {active.Id} is active."
                    : $"Thread {thread.Id} already has an active run {active.Id}.");
            }
            var nowMs = clock.NowMs;
            foreach (var message in fields.AdditionalMessages ?? [])
            {
                threads.AddMessage(thread, message, MockClock.ToSeconds(nowMs));
            }
            var planned = PlanRun(fields, headerScenario, assistant, config, LastUserText(thread.Messages), nowMs);
            var record = NewRun(thread, fields, assistant, planned);
            store.AddRun(record);
            Begin(record, nowMs, beforeSchedule);
            return record;
        }
    }

    /// <summary>
    /// Creates a thread with its messages and a run on it (create thread and run). The thread is
    /// drawn first, as a create thread would draw it, but made right before its run, with nothing
    /// made in between: the two are one live range for the GC, not two (bench/README.md). It is
    /// stored with its run already active, so retention never sees it idle.
    /// </summary>
    public RunRecord CreateThreadAndRun(NewThread request, RunFields fields, string? headerScenario, Action<RunRecord>? beforeSchedule = null)
    {
        var (assistant, config) = EnsureCanCreate(fields, headerScenario);
        var nowMs = clock.NowMs;
        var draft = threads.Draft(request, MockClock.ToSeconds(nowMs));
        ThreadRecord thread;
        RunRecord record;
        try
        {
            var planned = PlanRun(fields, headerScenario, assistant, config, LastUserText(draft.Messages), nowMs);
            thread = draft.Make();
            record = NewRun(thread, fields, assistant, planned);
        }
        catch (Exception)
        {
            // Nothing may be left behind by a failed request: its messages are in the store's table.
            store.Messages.FreeAll(ref draft.Messages);
            throw;
        }
        // Stored under its lock: nothing may see the thread before its run is stored and scheduled
        // (a save would write a queued run with nothing pending; a delete would miss the run).
        lock (thread.Gate)
        {
            try
            {
                store.AddThread(thread);
            }
            catch (Exception)
            {
                store.Messages.FreeAll(ref thread.Messages);
                throw;
            }
            try
            {
                store.AddRun(record);
                Begin(record, nowMs, beforeSchedule);
                return record;
            }
            catch (Exception)
            {
                store.DeleteThread(thread, streamError: null);
                throw;
            }
        }
    }

    /// <summary>What a new run will be, worked out before any of its objects is made.</summary>
    private readonly record struct PlannedRun(RunPlan Plan, List<ToolObject> Tools, JsonElement ToolChoice, string? Instructions, string Model, Dictionary<string, string> Metadata, long NowMs, long ExpiresAt);

    private PlannedRun PlanRun(RunFields fields, string? headerScenario, AssistantObject assistant, ScenarioConfig config, string? lastUserText, long nowMs)
    {
        var tools = fields.Tools ?? assistant.Tools;
        var toolChoice = fields.ToolChoice ?? JsonDefaults.Auto;
        var instructions = fields.Instructions ?? assistant.Instructions;
        if (fields.AdditionalInstructions is { } additional)
        {
            instructions = instructions is null ? additional : instructions + "\n\n" + additional;
        }
        var model = fields.Model ?? assistant.Model;
        var metadata = fields.Metadata ?? JsonDefaults.EmptyMetadata;
        var scenario = selector.Select(config, new ScenarioRequest(headerScenario, metadata, lastUserText, assistant, model), mock.MessageDirectives);
        // Planned before the run's objects are made, so that nothing is allocated between them: the
        // wire object and the record side by side are one live range for the GC, not two (bench/README.md).
        var plan = Plan(scenario, config, tools, toolChoice);
        // In the whole seconds the wire shows (a fractional Expiry rounds up), from created_at: the run
        // expires exactly at the expires_at it shows, neither up to a second after it nor before.
        var expiresAt = MockClock.ToSeconds(nowMs) + (long)Math.Ceiling(config.Timings.Expiry.TotalSeconds);
        return new PlannedRun(plan, tools, toolChoice, instructions, model, metadata, nowMs, expiresAt);
    }

    /// <summary>Makes the run, as the thread's active one; the caller holds the thread's lock, or the thread is not yet stored.</summary>
    private RunRecord NewRun(ThreadRecord thread, RunFields fields, AssistantObject assistant, in PlannedRun planned)
    {
        var expiresAt = planned.ExpiresAt;
        var run = new RunObject
        {
            Id = random.NewId("run"),
            CreatedAt = MockClock.ToSeconds(planned.NowMs),
            AssistantId = assistant.Id,
            ThreadId = thread.Id,
            ExpiresAt = expiresAt,
            Model = planned.Model,
            Instructions = planned.Instructions,
            Tools = planned.Tools,
            ToolResources = fields.ToolResources ?? JsonDefaults.EmptyObject,
            Metadata = planned.Metadata,
            Temperature = fields.Temperature ?? assistant.Temperature ?? 1.0,
            TopP = fields.TopP ?? assistant.TopP ?? 1.0,
            ReasoningEffort = fields.ReasoningEffort ?? assistant.ReasoningEffort,
            MaxCompletionTokens = fields.MaxCompletionTokens,
            MaxPromptTokens = fields.MaxPromptTokens,
            TruncationStrategy = fields.TruncationStrategy ?? JsonDefaults.AutoTruncation,
            ResponseFormat = fields.ResponseFormat ?? assistant.ResponseFormat,
            ToolChoice = planned.ToolChoice,
            ParallelToolCalls = fields.ParallelToolCalls ?? true,
        };
        var record = new RunRecord(run, thread, planned.Plan)
        {
            ExpiresAtMs = expiresAt * 1000,
            StreamsFileSearchContent = fields.IncludeFileSearchContent,
        };
        thread.Runs.Add(record);
        thread.ActiveRun = record;
        return record;
    }

    /// <summary>Announces the new run and schedules its start; the caller holds its thread's lock.</summary>
    private void Begin(RunRecord record, long nowMs, Action<RunRecord>? beforeSchedule)
    {
        beforeSchedule?.Invoke(record);
        Publish(record, "thread.run.created", record.Run);
        Publish(record, "thread.run.queued", record.Run);
        ScheduleWithin(record, TransitionKind.Start, nowMs + Jittered(record.Plan.Queued, record.Plan));
        LogCreated(record.Id, record.Thread.Id, record.Plan.Scenario);
    }

    /// <summary>Plans shared among the runs of the scenario config in use (see <see cref="PlanCache"/>).</summary>
    private PlanCache? planCache;

    /// <summary>For tests: the plans shared for runs of the scenario config in use.</summary>
    internal int SharedPlanCount => Volatile.Read(ref planCache)?.Count ?? 0;

    private RunPlan Shared(RunPlan plan, ScenarioConfig config)
    {
        var cache = Volatile.Read(ref planCache);
        if (cache is null || !ReferenceEquals(cache.Config, config))
        {
            cache = new PlanCache(config);
            Volatile.Write(ref planCache, cache);
        }
        return cache.Shared(plan);
    }

    private RunPlan Plan(ScenarioDefinition scenario, ScenarioConfig config, List<ToolObject> tools, JsonElement toolChoice)
    {
        var hasFunctions = tools.Exists(tool => tool.Function is not null);
        var choice = ToolChoiceOf(toolChoice);
        var forced = choice is "required" or "function";
        var rounds = 0;
        // A tool_choice naming a built-in tool (code_interpreter, file_search) never calls a function.
        if (hasFunctions && choice is not ("none" or "code_interpreter" or "file_search"))
        {
            rounds = scenario.Outcome switch
            {
                RunOutcome.ToolCall => Math.Max(1, scenario.ToolRounds),
                RunOutcome.Expire => 1,
                RunOutcome.Complete when forced => 1,
                _ => 0,
            };
        }
        return Shared(new RunPlan(
            scenario.Name,
            scenario.Outcome,
            rounds,
            scenario.Error,
            scenario.IncompleteReason,
            scenario.MessageText,
            scenario.Queued ?? config.Timings.Queued,
            scenario.InProgress ?? config.Timings.InProgress,
            scenario.Cancelling ?? config.Timings.Cancelling,
            config.Timings.Jitter), config);
    }

    // ---- client actions -------------------------------------------------------------------

    /// <summary>Starts cancelling, as a client's cancel does; the caller holds the thread's lock.</summary>
    public void Cancel(RunRecord record)
    {
        var from = record.Run.Status;
        StartCancelling(record);
        LogMoved(record.Id, from.ToWire(), "cancelling");
    }

    /// <summary>Cancel without its log line: a forced cancel logs its move once, as every forced move does.</summary>
    private void StartCancelling(RunRecord record)
    {
        var run = record.Run;
        if (run.Status is not (RunStatus.Queued or RunStatus.InProgress or RunStatus.RequiresAction))
        {
            throw ApiError.BadRequest($"Cannot cancel run with status '{run.Status.ToWire()}'.");
        }
        Change(record, RunStatus.Cancelling);
        run.RequiredAction = null;
        Publish(record, "thread.run.cancelling", run);
        ScheduleWithin(record, TransitionKind.CancelDone, clock.NowMs + Jittered(record.Plan.Cancelling, record.Plan), allowPastExpiry: true);
    }

    /// <summary>Applies submitted outputs; the caller holds the thread's lock. <paramref name="attach"/> runs once they are accepted, before any event.</summary>
    public void SubmitToolOutputs(RunRecord record, IReadOnlyList<ToolOutput> outputs, Action? attach = null)
    {
        var run = record.Run;
        if (run.Status != RunStatus.RequiresAction || run.RequiredAction is null || record.CurrentStep < 0 || store.Steps[record.CurrentStep].ToolCalls is not { } calls)
        {
            throw ApiError.BadRequest($"Runs in status \"{run.Status.ToWire()}\" do not accept tool outputs.");
        }
        var expected = calls.Select(call => call.Id).ToList();
        var given = outputs.Select(output => output.ToolCallId).ToList();
        if (given.Count != expected.Count || given.Distinct(StringComparer.Ordinal).Count() != given.Count || !given.All(expected.Contains))
        {
            throw ApiError.BadRequest($"Expected tool outputs for call_ids [{PythonList(expected)}], got [{PythonList(given)}]");
        }

        attach?.Invoke();
        var nowMs = clock.NowMs;
        var now = MockClock.ToSeconds(nowMs);
        foreach (var output in outputs)
        {
            calls.Find(call => call.Id == output.ToolCallId)!.Function!.Output = output.Output;
        }
        CompleteStep(record, record.CurrentStep, now, UsageObject.Of(record.PromptTokens, calls.Sum(call => TokenEstimator.Count(call.Function!.Arguments) + TokenEstimator.Count(call.Function.Name))));
        record.CurrentStep = -1;
        record.ToolRoundsDone++;

        Change(record, RunStatus.Queued);
        run.RequiredAction = null;
        Publish(record, "thread.run.queued", run);
        ScheduleWithin(record, TransitionKind.Start, nowMs + Jittered(record.Plan.Queued, record.Plan));
        LogMoved(run.Id, "requires_action", "queued");
    }

    // ---- transitions ----------------------------------------------------------------------

    private void Start(RunRecord record, long atMs)
    {
        var run = record.Run;
        var now = MockClock.ToSeconds(atMs);
        Change(record, RunStatus.InProgress);
        run.StartedAt = now;
        var (promptTokens, promptFits) = Prompt(record);
        record.PromptTokens = promptTokens;
        Publish(record, "thread.run.in_progress", run);

        var plan = record.Plan;
        var inProgress = Jittered(plan.InProgress, plan);
        if (plan.Outcome is RunOutcome.Fail)
        {
            // The run begins its answer and fails before any text (spec/runs.md §9.5): a failed step, an incomplete message.
            BeginMessage(record, now);
            ScheduleWithin(record, TransitionKind.Finish, atMs + inProgress);
            return;
        }
        if (!promptFits)
        {
            // What max_prompt_tokens leaves cannot hold even the newest message: no tool call, an empty message, incomplete.
            BeginMessage(record, now, overPromptBudget: true);
            ScheduleWithin(record, TransitionKind.Finish, atMs + inProgress);
            return;
        }
        if (record.ToolRoundsDone < plan.ToolRounds)
        {
            record.CurrentStep = BeginStep(record, now);
            ScheduleWithin(record, TransitionKind.Finish, atMs + inProgress);
            return;
        }
        if (plan.Outcome == RunOutcome.Expire)
        {
            BeginMessage(record, now);
            scheduler.Schedule(record, TransitionKind.Expire, record.ExpiresAtMs);
            return;
        }
        // The built-in tools the run calls before it answers (a file search, then code), each a call
        // that reads the thread: each reads what an equal share of max_prompt_tokens holds among the
        // calls still to come, the answer's included, so that truncation leaves the answer as much.
        // Without room for a tool's call, the run answers without it.
        var search = WillSearch(record);
        var code = WillRunCode(record);
        for (var toCome = (search ? 1 : 0) + (code ? 1 : 0); toCome > 0; toCome--)
        {
            if (Prompt(record, calls: toCome + 1) is not (var toolTokens, true))
            {
                break;
            }
            record.PromptTokens = toolTokens;
            if (search)
            {
                SearchFiles(record, now);
                search = false;
            }
            else
            {
                RunCode(record, now);
            }
            (promptTokens, promptFits) = Prompt(record);
            record.PromptTokens = promptTokens;
            if (!promptFits)
            {
                BeginMessage(record, now, overPromptBudget: true);
                ScheduleWithin(record, TransitionKind.Finish, atMs + inProgress);
                return;
            }
        }
        BeginMessage(record, now);
        var pieces = Math.Max(1, mock.Streaming.Chunks);
        record.PiecesLeft = pieces;
        if (pieces > 1)
        {
            record.PieceIntervalMs = Math.Max(1, inProgress / pieces);
            ScheduleWithin(record, TransitionKind.Delta, atMs + record.PieceIntervalMs);
        }
        else
        {
            ScheduleWithin(record, TransitionKind.Finish, atMs + inProgress);
        }
    }

    private void Finish(RunRecord record, long atMs, RunOutcome outcome, LastError? error)
    {
        var run = record.Run;
        var now = MockClock.ToSeconds(atMs);
        if (record.CurrentStep >= 0 && store.Steps[record.CurrentStep].IsToolCalls && outcome != RunOutcome.Fail)
        {
            RequireAction(record);
            return;
        }
        if (outcome == RunOutcome.Fail)
        {
            FailRun(record, now, error ?? new LastError("server_error", ScenarioDefinition.RunFailureMessage));
            return;
        }
        if (outcome == RunOutcome.Incomplete || record.IncompleteReason is not null)
        {
            EndIncomplete(record, now, record.IncompleteReason ?? record.Plan.IncompleteReason);
            return;
        }
        var written = Writing(record).Length;
        RevealText(record, written);
        CompleteMessage(record, now);
        if (record.CurrentStep >= 0)
        {
            CompleteStep(record, record.CurrentStep, now, UsageObject.Of(record.PromptTokens, TokenEstimator.ForChars(written)));
            record.CurrentStep = -1;
        }
        Change(record, RunStatus.Completed);
        run.CompletedAt = now;
        EndRun(record, "thread.run.completed");
    }

    private void RequireAction(RunRecord record)
    {
        var run = record.Run;
        var calls = store.Steps[record.CurrentStep].ToolCalls!;
        var stepId = record.Observers is { IsEmpty: false } ? store.Steps[record.CurrentStep].Id.ToString() : null;
        foreach (var function in ChooseFunctions(run))
        {
            var call = new StepToolCall
            {
                Id = random.NewId("call"),
                Function = new StepFunctionCall { Name = function.Name, Arguments = content.Arguments(function) },
            };
            calls.Add(call);
            if (record.Observers is { IsEmpty: false } observers)
            {
                foreach (var delta in StepDelta.ToolCallPieces(stepId!, calls.Count - 1, call))
                {
                    observers.Publish("thread.run.step.delta", delta);
                }
            }
        }
        Change(record, RunStatus.RequiresAction);
        run.RequiredAction = new RequiredAction
        {
            SubmitToolOutputs = new SubmitToolOutputs
            {
                ToolCalls = calls.ConvertAll(call => new RequiredToolCall
                {
                    Id = call.Id,
                    Function = new FunctionCall { Name = call.Function!.Name, Arguments = call.Function.Arguments },
                }),
            },
        };
        scheduler.Schedule(record, TransitionKind.Expire, record.ExpiresAtMs);
        Publish(record, "thread.run.requires_action", run);
        record.Observers?.End();
    }

    /// <summary>The functions a tool round calls: the named one, one per round without parallel calls, else each function tool.</summary>
    private static List<FunctionObject> ChooseFunctions(RunObject run)
    {
        var functions = run.Tools.Where(tool => tool.Function is not null).Select(tool => tool.Function!).ToList();
        if (run.ToolChoice.ValueKind == JsonValueKind.Object
            && run.ToolChoice.TryGetProperty("function", out var named)
            && named.TryGetProperty("name", out var nameElement))
        {
            var name = nameElement.GetString();
            return functions.Where(function => function.Name == name).Take(1).ToList();
        }
        return run.ParallelToolCalls ? functions.Take(5).ToList() : functions.Take(1).ToList();
    }

    private void FailRun(RunRecord record, long now, LastError error)
    {
        var run = record.Run;
        // The prompt was read before the failure, and the text written so far was generated: the failed
        // step carries both, so run usage stays the sum of its steps.
        var written = record.CurrentStep >= 0 && !store.Steps[record.CurrentStep].IsToolCalls ? TokenEstimator.ForChars(record.RevealedChars) : 0;
        UsageObject? unattributed = UsageObject.Of(record.PromptTokens, written);
        if (record.CurrentStep >= 0)
        {
            ref var step = ref store.Steps[record.CurrentStep];
            step.Status = "failed";
            step.FailedAt = now;
            step.ExpiresAt = Packed.NoLong;
            step.LastError = error.Code == "invalid_prompt" ? new LastError("server_error", error.Message) : error;
            step.Usage = unattributed;
            unattributed = null;
            PublishStep(record, "thread.run.step.failed", record.CurrentStep);
            record.CurrentStep = -1;
        }
        StopMessage(record, now, "run_failed");
        Change(record, RunStatus.Failed);
        run.FailedAt = now;
        run.LastError = error;
        EndRun(record, "thread.run.failed", unattributed);
    }

    private void EndIncomplete(RunRecord record, long now, string reason)
    {
        var run = record.Run;
        var partial = Writing(record).Length;
        RevealText(record, partial);
        StopMessage(record, now, "max_tokens");
        if (record.CurrentStep >= 0)
        {
            CompleteStep(record, record.CurrentStep, now, UsageObject.Of(record.PromptTokens, TokenEstimator.ForChars(partial)));
            record.CurrentStep = -1;
        }
        Change(record, RunStatus.Incomplete);
        run.IncompleteDetails = IncompleteDetails.Of(reason);
        EndRun(record, "thread.run.incomplete");
    }

    private void CancelDone(RunRecord record, long atMs)
    {
        var run = record.Run;
        var now = MockClock.ToSeconds(atMs);
        // The message ends before its step (spec/runs.md §9.5, §11 item 8).
        StopMessage(record, now, "run_cancelled");
        EndStep(record, "cancelled", now);
        Change(record, RunStatus.Cancelled);
        run.CancelledAt = now;
        EndRun(record, "thread.run.cancelled", keepUsageNull: true);
    }

    private void Expire(RunRecord record, long atMs)
    {
        var run = record.Run;
        var now = MockClock.ToSeconds(atMs);
        StopMessage(record, now, "run_expired");
        EndStep(record, "expired", now);
        Change(record, RunStatus.Expired);
        run.RequiredAction = null;
        EndRun(record, "thread.run.expired", keepUsageNull: true, keepExpiresAt: true);
    }

    /// <summary>The common end of every terminal transition: usage, expiry, the thread freed, the stream ended.</summary>
    private void EndRun(RunRecord record, string eventName, UsageObject? usage = null, bool keepUsageNull = false, bool keepExpiresAt = false)
    {
        var run = record.Run;
        run.RequiredAction = null;
        if (!keepExpiresAt)
        {
            run.ExpiresAt = null;
        }
        // A step keeps the run's expires_at after it completes, as long as the run goes on (live
        // step.completed events carry it); once the run has ended, however, its steps show null too.
        var steps = store.Steps;
        foreach (var slot in steps.Of(record))
        {
            steps[slot].ExpiresAt = Packed.NoLong;
        }
        if (!keepUsageNull)
        {
            // The sum of the steps' usage, plus what no step carries (a failure before any step).
            var total = usage;
            foreach (var slot in steps.Of(record))
            {
                if (steps[slot].Usage is { } stepUsage)
                {
                    total = total is { } sum ? sum.Plus(stepUsage) : stepUsage;
                }
            }
            run.Usage = total ?? UsageObject.Of(0, 0);
        }
        record.NextDueMs = null;
        record.Pending = null;
        record.CurrentStep = -1;
        store.Messages.Release(record);
        record.PendingCitation = null;
        if (ReferenceEquals(record.Thread.ActiveRun, record))
        {
            record.Thread.ActiveRun = null;
        }
        Publish(record, eventName, run);
        record.Observers?.End();
        record.Observers = null;
    }

    /// <summary>Ends the step in progress as cancelled or expired, with its event.</summary>
    private void EndStep(RunRecord record, string status, long now)
    {
        if (record.CurrentStep < 0)
        {
            return;
        }
        ref var step = ref store.Steps[record.CurrentStep];
        step.Status = status;
        if (status == "expired")
        {
            step.ExpiredAt = now;
        }
        else
        {
            step.CancelledAt = now;
        }
        step.ExpiresAt = Packed.NoLong;
        PublishStep(record, status == "expired" ? "thread.run.step.expired" : "thread.run.step.cancelled", record.CurrentStep);
        record.CurrentStep = -1;
    }

    // ---- helpers --------------------------------------------------------------------------

    private static void Change(RunRecord record, RunStatus status)
    {
        record.Run.Status = status;
        record.Version++;
        record.NextDueMs = null;
        record.Pending = null;
    }

    /// <summary>Schedules a transition, or the expiry instead when the run would still be waiting at expires_at.</summary>
    private void ScheduleWithin(RunRecord record, TransitionKind kind, long dueMs, bool allowPastExpiry = false)
    {
        if (!allowPastExpiry && dueMs >= record.ExpiresAtMs)
        {
            scheduler.Schedule(record, TransitionKind.Expire, record.ExpiresAtMs);
        }
        else
        {
            scheduler.Schedule(record, kind, dueMs);
        }
    }

    /// <summary>A wait of the run's, drawn with the jitter of the config it was created under.</summary>
    private long Jittered(TimeSpan duration, RunPlan plan)
    {
        var ms = (long)duration.TotalMilliseconds;
        var jitter = plan.Jitter;
        if (jitter > 0 && ms > 0)
        {
            ms = (long)Math.Round(ms * (1 + ((random.NextDouble() * 2) - 1) * jitter));
        }
        return Math.Max(0, ms);
    }

    /// <summary>
    /// Adds a step to the run and announces it, created and in progress: one that writes the
    /// message <paramref name="messageId"/>, else a tool_calls step. Returns its slot.
    /// </summary>
    private int BeginStep(RunRecord record, long now, string? messageId = null)
    {
        var slot = store.Steps.Append(record, StepSlot.Begin(random.NewId("step"), now, record.Run.ExpiresAt, messageId));
        if (record.Observers is { IsEmpty: false } observers)
        {
            var step = store.Steps.ToWire(record, slot);
            observers.Publish("thread.run.step.created", step);
            observers.Publish("thread.run.step.in_progress", step);
        }
        return slot;
    }

    private void CompleteStep(RunRecord record, int slot, long now, UsageObject usage)
    {
        ref var step = ref store.Steps[slot];
        step.Status = "completed";
        step.CompletedAt = now;
        step.Usage = usage;
        PublishStep(record, "thread.run.step.completed", slot);
    }

    /// <summary>Announces the step as it is now; its wire object is only made when someone streams the run.</summary>
    private void PublishStep(RunRecord record, string eventName, int slot)
    {
        if (record.Observers is { IsEmpty: false } observers)
        {
            observers.Publish(eventName, store.Steps.ToWire(record, slot));
        }
    }

    private static string? LastUserText(OrderedCollection<MessageRef> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            ref var message = ref messages[i].Value;
            if (message.Role == "user")
            {
                if (message.WrittenLength is { } length)
                {
                    return message.Text.Slice(0, length);
                }
                var text = new StringBuilder();
                foreach (var part in message.Content)
                {
                    if (part.Text is { } value)
                    {
                        text.Append(value.Value.Span);
                    }
                }
                return text.ToString();
            }
        }
        return null;
    }

    public static void EnsureThreadAlive(ThreadRecord thread)
    {
        if (thread.Deleted)
        {
            throw ApiError.NotFound("thread", thread.Id);
        }
    }

    private static string? ToolChoiceOf(JsonElement toolChoice) => toolChoice.ValueKind switch
    {
        JsonValueKind.String => toolChoice.GetString(),
        JsonValueKind.Object when toolChoice.TryGetProperty("type", out var type) => type.GetString(),
        _ => "auto",
    };

    private static void EnsureToolChoiceFits(JsonElement toolChoice, List<ToolObject> tools)
    {
        if (toolChoice.ValueKind != JsonValueKind.Object || !toolChoice.TryGetProperty("type", out var typeElement))
        {
            return;
        }
        var type = typeElement.GetString();
        if (type == "function")
        {
            var name = toolChoice.GetProperty("function").GetProperty("name").GetString();
            if (!tools.Exists(tool => tool.Function?.Name == name))
            {
                throw ApiError.BadRequest($"Tool choice '{name}' not found in 'tools' parameter.", "tool_choice", "invalid_value");
            }
        }
        else if (!tools.Exists(tool => tool.Type == type))
        {
            throw ApiError.BadRequest($"Tool choice '{type}' not found in 'tools' parameter.", "tool_choice", "invalid_value");
        }
    }

    private static string PythonList(IEnumerable<string> ids) => string.Join(", ", ids.Select(id => $"'{id}'"));

    private static void Publish(RunRecord record, string eventName, object data)
    {
        if (record.Observers is { IsEmpty: false } observers)
        {
            observers.Publish(eventName, data);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} created on {ThreadId} with scenario {Scenario}")]
    private partial void LogCreated(string runId, string threadId, string scenario);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} moved {From} -> {To}")]
    private partial void LogMoved(string runId, string from, string to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transition {Kind} of run {RunId} failed")]
    private partial void LogTransitionFailed(Exception exception, string runId, string kind);
}
