using System.Globalization;
using System.Net;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MockRunsServer.Tests.Runs;

/// <summary>
/// Thousands of random operations through HTTP on one server (fixed seeds, manual clock). After
/// every step, every run the server holds is checked: it moved only along legal edges since last
/// seen (each move accounted for by a fired transition or the client action that made it), its
/// fields match its status as in spec/runs.md §4.2, an ended run never changes (but for the
/// metadata this test modifies), and no thread
/// has two active runs. Every answer is also predicted from the last snapshot.
/// </summary>
public sealed class RandomizedRunOperationsTests(RandomizedRunOperationsTests.Server server, ITestOutputHelper output)
    : IClassFixture<RandomizedRunOperationsTests.Server>
{
    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Timings:Expiry"] = "00:00:30",
        ["Mock:Timings:Jitter"] = "0.5",
        ["Mock:Outcomes:complete"] = "50",
        ["Mock:Outcomes:tool_call"] = "20",
        ["Mock:Outcomes:fail"] = "8",
        ["Mock:Outcomes:incomplete"] = "8",
        ["Mock:Outcomes:rate_limit"] = "4",
        ["Mock:Outcomes:expire"] = "10",
    });

    private const int Operations = 3000;
    private const long ExpirySeconds = 30;
    private const int MaxRuns = 40;

    private static readonly string[] Statuses =
        ["queued", "in_progress", "requires_action", "cancelling", "cancelled", "failed", "completed", "incomplete", "expired"];

    private static readonly string[] Scenarios = ["complete", "tool_call", "fail", "incomplete", "rate_limit", "invalid_prompt", "expire"];

    private static readonly Dictionary<string, string[]> Legal = new()
    {
        ["queued"] = ["in_progress", "cancelling", "expired"],
        ["in_progress"] = ["completed", "requires_action", "failed", "incomplete", "cancelling", "expired"],
        ["requires_action"] = ["queued", "cancelling", "expired"],
        ["cancelling"] = ["cancelled"],
    };

    private readonly ApiClient api = server.Api();
    private readonly Random random = new(20240611);
    private readonly List<string> threads = [];
    private readonly Dictionary<string, JsonElement> runs = new();
    private readonly Dictionary<string, string> endedBodies = new();
    private readonly HashSet<string> started = [];
    private readonly Dictionary<string, List<(string From, string To)>> moves = new();
    private readonly Dictionary<string, int> counts = new();
    private readonly HashSet<string> statusesSeen = [];
    private string plainAssistant = "";
    private string toolAssistant = "";
    private int step;
    private long nowMs;
    private string operation = "";

    [Fact]
    public async Task Thousands_of_random_operations_keep_every_run_legal_and_consistent()
    {
        nowMs = (await api.Post("/_mock/reset")).Ok().Json.Long("now_ms");
        plainAssistant = await api.CreateAssistant(new { model = "gpt-4o" });
        toolAssistant = await api.CreateAssistant(RunsApi.ToolAssistant);
        for (var i = 0; i < 6; i++)
        {
            threads.Add(await api.CreateThread());
        }

        for (step = 0; step < Operations; step++)
        {
            moves.Clear();
            // Deleting threads keeps the server's run count (and each step's full check) small.
            var roll = runs.Count > MaxRuns ? 90 : random.Next(100);
            operation = roll switch
            {
                < 22 => "create run",
                < 25 => "create thread and run",
                < 36 => "cancel",
                < 46 => "submit outputs",
                < 50 => "submit wrong outputs",
                < 57 => "force transition",
                < 80 => "advance",
                < 85 => "modify run",
                < 90 => "add message",
                < 92 => "delete thread",
                < 95 => "create thread",
                _ => "retrieve run",
            };
            counts[operation] = counts.GetValueOrDefault(operation) + 1;
            switch (operation)
            {
                case "create run": await CreateRun(); break;
                case "create thread and run": await CreateThreadAndRun(); break;
                case "cancel": await Cancel(); break;
                case "submit outputs": await Submit(valid: true); break;
                case "submit wrong outputs": await Submit(valid: false); break;
                case "force transition": await Force(); break;
                case "advance": await Advance(); break;
                case "modify run": await Modify(); break;
                case "add message": await AddMessage(); break;
                case "delete thread": await DeleteThread(); break;
                case "create thread": threads.Add(await api.CreateThread()); break;
                default: await Retrieve(); break;
            }
            await CheckEveryRun();
            if (step % 100 == 99)
            {
                await CheckStepsAndMessages();
            }
        }

        output.WriteLine(string.Join(", ", counts.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}")));
        output.WriteLine($"Runs at the end: {runs.Count}; ended ones seen: {endedBodies.Count}");
        Assert.Equal(Statuses.Order(), statusesSeen.Order());
    }

    // ---- operations -----------------------------------------------------------------------

    private async Task CreateRun()
    {
        if (threads.Count == 0)
        {
            threads.Add(await api.CreateThread());
        }
        var thread = Pick(threads);
        var body = RunBody(withMessages: random.Next(4) == 0);
        var response = await api.CreateRun(thread, body);
        var active = ActiveRunOn(thread);
        if (active is not null)
        {
            var expected = body.ContainsKey("additional_messages")
                ? $"Can't add messages to {thread} while a run {active} is active."
                : $"Thread {thread} already has an active run {active}.";
            Expect(response, HttpStatusCode.BadRequest, expected);
            return;
        }
        Accept(response, "queued");
    }

    private async Task CreateThreadAndRun()
    {
        var body = RunBody(withMessages: false);
        body["thread"] = new { messages = new[] { new { role = "user", content = "Hello" } } };
        var response = (await api.Post("/v1/threads/runs", body)).Ok();
        threads.Add(response.Json.Str("thread_id"));
        Accept(response, "queued");
    }

    private Dictionary<string, object> RunBody(bool withMessages)
    {
        var tools = random.Next(2) == 0;
        var body = new Dictionary<string, object> { ["assistant_id"] = tools ? toolAssistant : plainAssistant };
        if (random.Next(2) == 0)
        {
            body["metadata"] = new Dictionary<string, string> { ["mock_scenario"] = Pick(Scenarios) };
        }
        if (tools && random.Next(4) == 0)
        {
            body["tool_choice"] = random.Next(2) == 0 ? "required" : "none";
        }
        if (random.Next(4) == 0)
        {
            body["parallel_tool_calls"] = false;
        }
        if (withMessages)
        {
            body["additional_messages"] = new[] { new { role = "user", content = "More" } };
        }
        return body;
    }

    private async Task Cancel()
    {
        if (PickRun(status => status is "queued" or "in_progress" or "requires_action", 70) is not { } run)
        {
            return;
        }
        var status = run.Status();
        var response = await api.Cancel(run.Str("thread_id"), run.Str("id"));
        if (status is "queued" or "in_progress" or "requires_action")
        {
            Accept(response, "cancelling", status);
            return;
        }
        Expect(response, HttpStatusCode.BadRequest, $"Cannot cancel run with status '{status}'.");
    }

    private async Task Submit(bool valid)
    {
        if (PickRun(status => status == "requires_action", 85) is not { } run)
        {
            return;
        }
        var status = run.Status();
        var ids = status == "requires_action" ? run.CallIds() : ["call_" + new string('x', 24)];
        var given = valid ? ids.OrderBy(_ => random.Next()).ToList() : WrongIds(ids);
        var response = await api.Submit(run.Str("thread_id"), run.Str("id"), given);
        if (status != "requires_action")
        {
            Expect(response, HttpStatusCode.BadRequest, $"Runs in status \"{status}\" do not accept tool outputs.");
            return;
        }
        if (!valid)
        {
            Expect(response, HttpStatusCode.BadRequest, $"Expected tool outputs for call_ids [{PythonList(ids)}], got [{PythonList(given)}]");
            return;
        }
        Accept(response, "queued", status);
    }

    private List<string> WrongIds(List<string> ids) => random.Next(4) switch
    {
        0 => ids.Skip(1).ToList(),
        1 => [.. ids, "call_" + new string('y', 24)],
        2 => [ids[0], ids[0]],
        _ => [],
    };

    private async Task Force()
    {
        if (PickRun(_ => true, 0) is not { } run)
        {
            return;
        }
        var from = run.Status();
        var target = Pick(Statuses);
        var lastError = target == "failed" && random.Next(2) == 0 ? new { code = "invalid_prompt", message = "Forced." } : null;
        var response = await api.Transition(run.Str("id"), target, lastError);
        var hasFunctions = run.GetProperty("tools").EnumerateArray().Any(tool => tool.Str("type") == "function");
        // requires_action -> queued is a legal edge, but only submitting outputs takes it, never a forced transition.
        var forcible = !(from == "requires_action" && target == "queued");
        var legal = forcible && Legal.TryGetValue(from, out var next) && next.Contains(target) && (target != "requires_action" || hasFunctions);
        if (!legal)
        {
            Check(response.Status == HttpStatusCode.BadRequest, () => $"forcing {from} -> {target} should be refused, got {(int)response.Status}: {response.Text}");
            response.Error(HttpStatusCode.BadRequest);
            return;
        }
        var fired = response.Ok().Json;
        var to = fired.Str("to");
        // A forced completion may still end incomplete when the run's token limits say so.
        Check(to == target || (target == "completed" && to == "incomplete"), () => $"forcing {from} -> {target} ended in {to}");
        Record(fired.Str("run_id"), fired.Str("from"), to);
    }

    private async Task Advance()
    {
        var roll = random.Next(100);
        var seconds = roll < 70 ? 0.001 + random.NextDouble() * 1.5 : roll < 95 ? 1.5 + random.NextDouble() * 8.5 : 10 + random.NextDouble() * 30;
        seconds = Math.Round(seconds, 3);
        var before = nowMs;
        var result = await api.Advance(seconds);
        var now = nowMs = result.Long("now_ms");
        Check(now == before + (long)Math.Round(seconds * 1000), () => $"advance by {seconds} moved the clock from {before} to {now}");
        var last = double.MinValue;
        foreach (var fired in result.GetProperty("fired").EnumerateArray())
        {
            var at = fired.GetProperty("at").GetDouble();
            Check(at >= last && at * 1000 <= now + 0.5 && at * 1000 >= before - 0.5, () => $"fired at {at} out of order or outside ({before}, {now}]");
            last = at;
            Record(fired.Str("run_id"), fired.Str("from"), fired.Str("to"));
        }
    }

    private async Task Modify()
    {
        if (PickRun(_ => true, 0) is not { } run)
        {
            return;
        }
        var value = $"v{step}";
        endedBodies.Remove(run.Str("id"));
        var response = (await api.Post($"/v1/threads/{run.Str("thread_id")}/runs/{run.Str("id")}", new { metadata = new { note = value } })).Ok();
        Check(response.Json.GetProperty("metadata").Str("note") == value, () => "modify did not set the metadata");
        Check(response.Json.Status() == run.Status(), () => $"modify changed the status {run.Status()} -> {response.Json.Status()}");
        CheckPollHint(response);
    }

    private async Task AddMessage()
    {
        if (threads.Count == 0)
        {
            return;
        }
        var thread = Pick(threads);
        var response = await api.Post($"/v1/threads/{thread}/messages", new { role = "user", content = $"Message {step}" });
        if (ActiveRunOn(thread) is { } active)
        {
            Expect(response, HttpStatusCode.BadRequest, $"Can't add messages to {thread} while a run {active} is active.");
            return;
        }
        response.Ok();
    }

    private async Task DeleteThread()
    {
        if (threads.Count == 0)
        {
            return;
        }
        var thread = Pick(threads);
        (await api.Delete($"/v1/threads/{thread}")).Ok();
        threads.Remove(thread);
        foreach (var id in runs.Where(pair => pair.Value.Str("thread_id") == thread).Select(pair => pair.Key).ToList())
        {
            runs.Remove(id);
            endedBodies.Remove(id);
        }
    }

    private async Task Retrieve()
    {
        if (PickRun(_ => true, 0) is not { } run)
        {
            return;
        }
        var response = (await api.Get($"/v1/threads/{run.Str("thread_id")}/runs/{run.Str("id")}")).Ok();
        Check(response.Text == run.GetRawText(), () => "a retrieved run differs from the one /_mock/runs lists");
        CheckPollHint(response);
    }

    // ---- expectations ---------------------------------------------------------------------

    private void Accept(ApiResponse response, string status, string? from = null)
    {
        Check(response.Status == HttpStatusCode.OK, () => $"expected 200, got {(int)response.Status}: {response.Text}");
        var run = response.Json;
        Check(run.Status() == status, () => $"expected the answer in {status}, got {run.Status()}");
        CheckPollHint(response);
        if (from is not null)
        {
            Record(run.Str("id"), from, status);
        }
    }

    private void Expect(ApiResponse response, HttpStatusCode status, string message)
    {
        Check(response.Status == status, () => $"expected {(int)status} '{message}', got {(int)response.Status}: {response.Text}");
        var actual = response.Error(status).Message();
        Check(actual == message, () => $"expected '{message}', got '{actual}'");
    }

    private static void CheckPollHint(ApiResponse response)
    {
        var status = response.Json.Status();
        var hint = response.Header("openai-poll-after-ms");
        if (status is "queued" or "in_progress" or "cancelling")
        {
            Assert.True(hint is not null && int.TryParse(hint, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 1000,
                $"a {status} run needs a poll hint between 1 and 1000, got '{hint}'");
        }
        else
        {
            Assert.True(hint is null, $"a {status} run must have no poll hint, got '{hint}'");
        }
    }

    private void Record(string run, string from, string to)
    {
        if (!moves.TryGetValue(run, out var list))
        {
            moves[run] = list = [];
        }
        list.Add((from, to));
    }

    // ---- the invariants -------------------------------------------------------------------

    private async Task CheckEveryRun()
    {
        var current = await api.MockRuns();
        var now = nowMs / 1000;
        var seen = new Dictionary<string, JsonElement>();
        var activeByThread = new Dictionary<string, string>();
        foreach (var run in current)
        {
            var id = run.Str("id");
            seen[id] = run;
            var status = run.Status();
            statusesSeen.Add(status);
            var previous = runs.TryGetValue(id, out var before) ? before.Status() : null;
            CheckMoves(id, previous, status);
            CheckFields(run, now);
            if (Legal.ContainsKey(status))
            {
                var thread = run.Str("thread_id");
                Check(activeByThread.TryAdd(thread, id), () => $"thread {thread} has two active runs: {activeByThread.GetValueOrDefault(thread)} and {id}");
            }
            else
            {
                var stable = run.GetRawText();
                if (endedBodies.TryGetValue(id, out var ended))
                {
                    Check(ended == stable, () => $"ended run {id} changed:\n{ended}\n{stable}");
                }
                endedBodies[id] = stable;
            }
        }
        foreach (var id in runs.Keys)
        {
            Check(seen.ContainsKey(id), () => $"run {id} disappeared without its thread being deleted");
        }
        foreach (var id in moves.Keys)
        {
            Check(seen.ContainsKey(id), () => $"a transition was reported for run {id}, which the server does not list");
        }
        runs.Clear();
        foreach (var (id, run) in seen)
        {
            runs[id] = run;
        }
    }

    private void CheckMoves(string id, string? previous, string status)
    {
        var list = moves.GetValueOrDefault(id) ?? [];
        if (previous is null)
        {
            // A run created by this step starts queued.
            var expectedStart = list.Count > 0 ? list[0].From : status;
            Check(expectedStart == "queued", () => $"new run {id} first seen {status} after moves {Describe(list)}");
            previous = "queued";
        }
        var at = previous;
        foreach (var (from, to) in list)
        {
            Check(from == at, () => $"run {id} was {at} but a move from {from} was reported ({Describe(list)})");
            Check(Legal.TryGetValue(from, out var next) && next.Contains(to), () => $"run {id} took the illegal edge {from} -> {to}");
            if (to == "in_progress")
            {
                started.Add(id);
            }
            at = to;
        }
        Check(at == status, () => $"run {id} went from {previous} to {status}, but only {Describe(list)} was reported");
    }

    private void CheckFields(JsonElement run, long now)
    {
        var id = run.Str("id");
        var status = run.Status();
        bool Set(string field) => !run.IsNull(field);
        void Iff(string field, bool expected) =>
            Check(Set(field) == expected, () => $"run {id} in {status}: {field} should be {(expected ? "set" : "null")}, is {run.GetProperty(field).GetRawText()}");

        Iff("usage", status is "completed" or "failed" or "incomplete");
        Iff("expires_at", status is not ("completed" or "failed" or "incomplete" or "cancelled"));
        Iff("required_action", status == "requires_action");
        Iff("completed_at", status == "completed");
        Iff("failed_at", status == "failed");
        Iff("cancelled_at", status == "cancelled");
        Iff("last_error", status == "failed");
        Iff("incomplete_details", status == "incomplete");
        Iff("started_at", started.Contains(id));

        var created = run.Long("created_at");
        Check(created <= now, () => $"run {id} created in the future");
        if (Set("expires_at"))
        {
            Check(run.Long("expires_at") == created + ExpirySeconds, () => $"run {id} expires_at {run.Long("expires_at")} is not created_at + {ExpirySeconds}");
        }
        foreach (var field in new[] { "started_at", "completed_at", "failed_at", "cancelled_at" })
        {
            if (Set(field))
            {
                Check(run.Long(field) >= created && run.Long(field) <= now, () => $"run {id} {field} {run.Long(field)} outside [{created}, {now}]");
            }
        }
        if (Set("usage"))
        {
            var usage = run.GetProperty("usage");
            Check(usage.GetProperty("total_tokens").GetInt32() == usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(),
                () => $"run {id} usage does not add up: {usage.GetRawText()}");
        }
        if (status == "requires_action")
        {
            Check(run.CallIds().Count > 0, () => $"run {id} requires action with no calls");
        }
    }

    /// <summary>What a run has written agrees with its status: steps and messages are only in progress while it is.</summary>
    private async Task CheckStepsAndMessages()
    {
        foreach (var run in runs.Values.ToList())
        {
            var id = run.Str("id");
            var thread = run.Str("thread_id");
            var status = run.Status();
            var steps = await api.Steps(thread, id, "?limit=100");
            var messages = await api.Messages(thread, $"?run_id={id}&limit=100");
            var open = steps.Where(s => s.Str("status") == "in_progress").ToList();
            var writing = messages.Where(m => m.Str("status") == "in_progress").ToList();
            Check(open.Count <= 1 && writing.Count <= 1, () => $"run {id} has {open.Count} steps and {writing.Count} messages in progress");
            Check(steps.All(s => s.Str("run_id") == id) && messages.All(m => m.Str("run_id") == id), () => $"run {id} lists another run's step or message");
            switch (status)
            {
                case "in_progress":
                    // A run that is going to fail works without a step (the failing scenarios fail before writing).
                    Check(open.Count == 0 || steps[0].Str("status") == "in_progress", () => $"in_progress run {id} works on a step that is not its newest");
                    break;
                case "requires_action":
                    Check(open.Count == 1 && steps[0].Str("type") == "tool_calls", () => $"run {id} requires action without an open tool step");
                    var callIds = steps[0].GetProperty("step_details").GetProperty("tool_calls").EnumerateArray().Select(c => c.Str("id"));
                    Check(callIds.SequenceEqual(run.CallIds()), () => $"run {id}: the tool step's calls differ from required_action");
                    Check(writing.Count == 0, () => $"run {id} requires action while writing a message");
                    break;
                case "cancelling":
                    break;
                default:
                    Check(open.Count == 0 && writing.Count == 0, () => $"{status} run {id} left a step or message in progress");
                    break;
            }
            if (status == "completed")
            {
                var last = steps[0];
                Check(last.Str("type") == "message_creation" && last.Str("status") == "completed", () => $"completed run {id} did not end with a completed message step");
                var messageId = last.GetProperty("step_details").GetProperty("message_creation").Str("message_id");
                Check(messages.Any(m => m.Str("id") == messageId && m.Str("status") == "completed"), () => $"completed run {id}: its message {messageId} is not completed");
                var total = steps.Sum(s => s.IsNull("usage") ? 0 : s.GetProperty("usage").GetProperty("total_tokens").GetInt32());
                Check(total == run.GetProperty("usage").GetProperty("total_tokens").GetInt32(), () => $"completed run {id}: usage is not the sum of its steps'");
            }
            foreach (var s in steps)
            {
                var stepStatus = s.Str("status");
                Check((stepStatus == "completed") == !s.IsNull("completed_at"), () => $"step {s.Str("id")} in {stepStatus} with completed_at {s.GetProperty("completed_at")}");
                Check((stepStatus == "cancelled") == !s.IsNull("cancelled_at"), () => $"step {s.Str("id")} in {stepStatus} with cancelled_at {s.GetProperty("cancelled_at")}");
                Check((stepStatus == "failed") == !s.IsNull("failed_at"), () => $"step {s.Str("id")} in {stepStatus} with failed_at {s.GetProperty("failed_at")}");
                Check((stepStatus == "in_progress") == s.IsNull("usage") || stepStatus is "cancelled" or "expired" or "failed", () => $"step {s.Str("id")} in {stepStatus} with usage {s.GetProperty("usage")}");
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private string? ActiveRunOn(string thread) =>
        runs.Values.FirstOrDefault(run => run.Str("thread_id") == thread && Legal.ContainsKey(run.Status())) is { ValueKind: JsonValueKind.Object } active
            ? active.Str("id")
            : null;

    /// <summary>A known run: with <paramref name="preferPercent"/> % chance one matching <paramref name="preferred"/>, else any.</summary>
    private JsonElement? PickRun(Func<string, bool> preferred, int preferPercent)
    {
        if (runs.Count == 0)
        {
            return null;
        }
        var all = runs.Values.OrderBy(run => run.Str("id"), StringComparer.Ordinal).ToList();
        var matching = all.Where(run => preferred(run.Status())).ToList();
        return matching.Count > 0 && random.Next(100) < preferPercent ? Pick(matching) : Pick(all);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string PythonList(IEnumerable<string> ids) => string.Join(", ", ids.Select(id => $"'{id}'"));

    private static string Describe(List<(string From, string To)> list) =>
        list.Count == 0 ? "nothing" : string.Join(", ", list.Select(move => $"{move.From}->{move.To}"));

    /// <summary>Builds the message only on failure: the checks run hundreds of thousands of times.</summary>
    private void Check(bool condition, Func<string> message)
    {
        if (!condition)
        {
            Assert.Fail($"step {step} ({operation}): {message()}");
        }
    }
}
