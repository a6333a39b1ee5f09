#pragma warning disable OPENAI001

using System.ClientModel;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>
/// The official .NET SDK's streaming APIs over the manual clock: typed updates in the real order,
/// text from deltas equal to the stored message, tool rounds, and every ending.
/// </summary>
public sealed class SdkStreamingTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    private static readonly StreamingUpdateReason[] MessageRunTail =
    [
        StreamingUpdateReason.RunInProgress,
        StreamingUpdateReason.RunStepCreated,
        StreamingUpdateReason.RunStepInProgress,
        StreamingUpdateReason.MessageCreated,
        StreamingUpdateReason.MessageInProgress,
        StreamingUpdateReason.MessageUpdated,
        StreamingUpdateReason.MessageCompleted,
        StreamingUpdateReason.RunStepCompleted,
        StreamingUpdateReason.RunCompleted,
    ];

    [Fact]
    public async Task A_streamed_run_yields_the_typed_updates_in_the_real_order()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id));

        Assert.Equal([StreamingUpdateReason.RunCreated, StreamingUpdateReason.RunQueued, .. MessageRunTail], Collapsed(updates));
        Assert.True(updates.Count(u => u.UpdateKind == StreamingUpdateReason.MessageUpdated) > 1, "the text should come in several deltas");
    }

    [Fact]
    public async Task The_streamed_text_deltas_add_up_to_the_stored_message()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id));

        var deltas = updates.OfType<MessageContentUpdate>().ToList();
        var messageId = Assert.Single(deltas.Select(d => d.MessageId).Distinct());
        Assert.All(deltas, d => Assert.Equal(0, d.MessageIndex));
        ThreadMessage stored = await sdk.Client.GetMessageAsync(thread.Id, messageId!);
        Assert.Equal(string.Concat(deltas.Select(d => d.Text)), Assert.Single(stored.Content).Text);
        var completed = updates.OfType<MessageStatusUpdate>().Last();
        Assert.Equal(MessageStatus.Completed, completed.Value.Status);
        Assert.Equal(stored.Content[0].Text, completed.Value.Content[0].Text);
    }

    [Fact]
    public async Task A_json_object_run_streams_json_text_equal_to_the_stored_message()
    {
        var assistant = await sdk.CreateAssistant(new AssistantCreationOptions { ResponseFormat = AssistantResponseFormat.JsonObject });
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id));

        var text = string.Concat(updates.OfType<MessageContentUpdate>().Select(d => d.Text));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, System.Text.Json.JsonDocument.Parse(text).RootElement.ValueKind);
        var reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.Equal(text, reply.Content[0].Text);
        Assert.Equal(StreamingUpdateReason.RunCompleted, updates[^1].UpdateKind);
    }

    [Fact]
    public async Task The_stream_never_shows_text_the_stored_message_does_not_have_yet()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var streamed = "";
        var checks = 0;

        await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id), onUpdate: async update =>
        {
            if (update is MessageContentUpdate delta)
            {
                streamed += delta.Text;
                ThreadMessage stored = await sdk.Client.GetMessageAsync(thread.Id, delta.MessageId);
                Assert.StartsWith(streamed, stored.Content[0].Text);
                checks++;
            }
        });

        Assert.True(checks > 1);
    }

    [Fact]
    public async Task The_last_streamed_run_is_the_run_a_get_returns()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id));

        var runs = updates.OfType<RunUpdate>().Select(u => u.Value).ToList();
        var last = runs[^1];
        ThreadRun fetched = await sdk.Client.GetRunAsync(thread.Id, last.Id);
        Assert.All(runs, run => Assert.Equal(last.Id, run.Id));
        Assert.Equal(RunStatus.Completed, fetched.Status);
        Assert.Equal(fetched.CompletedAt, last.CompletedAt);
        Assert.Equal(fetched.Usage.TotalTokenCount, last.Usage.TotalTokenCount);
        Assert.Null(last.ExpiresAt);
        var step = updates.OfType<RunStepUpdate>().Last().Value;
        Assert.Equal(updates.OfType<MessageStatusUpdate>().First().Value.Id, step.Details.CreatedMessageId);
        Assert.NotNull(step.Usage);
    }

    [Fact]
    public async Task Create_thread_and_run_streams_the_new_thread_first()
    {
        var assistant = await sdk.CreateAssistant();
        var threadOptions = new ThreadCreationOptions { InitialMessages = { "Stream me" }, Metadata = { ["s"] = "1" } };

        var updates = await sdk.ReadStream(() => sdk.Client.CreateThreadAndRunStreamingAsync(assistant.Id, threadOptions));

        Assert.Equal([StreamingUpdateReason.ThreadCreated, StreamingUpdateReason.RunCreated, StreamingUpdateReason.RunQueued, .. MessageRunTail], Collapsed(updates));
        var thread = Assert.IsType<ThreadUpdate>(updates[0]);
        Assert.StartsWith("thread_", thread.Id);
        Assert.Equal("1", thread.Metadata["s"]);
        Assert.All(updates.OfType<RunUpdate>(), run => Assert.Equal(thread.Id, run.Value.ThreadId));
        var messages = await sdk.Client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Equal("Stream me", messages[0].Content[0].Text);
    }

    [Fact]
    public async Task A_streamed_tool_round_ends_with_the_required_action_and_the_call_built_from_step_deltas()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call")));

        Assert.Equal(
        [
            StreamingUpdateReason.RunCreated, StreamingUpdateReason.RunQueued, StreamingUpdateReason.RunInProgress,
            StreamingUpdateReason.RunStepCreated, StreamingUpdateReason.RunStepInProgress, StreamingUpdateReason.RunStepUpdated,
            StreamingUpdateReason.RunRequiresAction,
        ], Collapsed(updates));
        var action = Assert.IsType<RequiredActionUpdate>(updates[^1]);
        Assert.Equal(RunStatus.RequiresAction, action.Value.Status);
        Assert.Equal("get_weather", action.FunctionName);
        var deltas = updates.OfType<RunStepDetailsUpdate>().ToList();
        Assert.Equal(action.ToolCallId, deltas[0].ToolCallId);
        Assert.Equal("get_weather", deltas[0].FunctionName);
        Assert.All(deltas.Skip(1), d => Assert.Null(d.ToolCallId));
        Assert.All(deltas, d => Assert.Equal(0, d.ToolCallIndex));
        Assert.Equal(action.FunctionArguments, string.Concat(deltas.Select(d => d.FunctionArguments)));
        Assert.Equal(RunStatus.RequiresAction, (await sdk.Client.GetRunAsync(thread.Id, action.Value.Id)).Value.Status);
    }

    [Fact]
    public async Task A_parallel_streamed_tool_round_gives_one_required_action_per_call()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call")));

        var actions = updates.OfType<RequiredActionUpdate>().ToList();
        Assert.Equal(["get_weather", "get_time"], actions.Select(a => a.FunctionName));
        var starts = updates.OfType<RunStepDetailsUpdate>().Where(d => d.ToolCallId is not null).ToList();
        Assert.Equal(actions.Select(a => a.ToolCallId), starts.Select(d => d.ToolCallId));
        Assert.Equal([0, 1], starts.Select(d => d.ToolCallIndex!.Value));
    }

    [Fact]
    public async Task Submitting_outputs_with_a_stream_completes_the_tool_step_and_then_the_run()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var first = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call")));
        var action = first.OfType<RequiredActionUpdate>().Single();

        var updates = await sdk.ReadStream(() => sdk.Client.SubmitToolOutputsToRunStreamingAsync(thread.Id, action.Value.Id, [new ToolOutput(action.ToolCallId, "22 degrees")]));

        Assert.Equal([StreamingUpdateReason.RunStepCompleted, StreamingUpdateReason.RunQueued, .. MessageRunTail], Collapsed(updates));
        var toolStep = Assert.IsType<RunStepUpdate>(updates[0]).Value;
        Assert.Equal(RunStepKind.ToolCall, toolStep.Kind);
        Assert.Equal("22 degrees", Assert.Single(toolStep.Details.ToolCalls).FunctionOutput);
        var queued = Assert.IsType<RunUpdate>(updates[1]).Value;
        Assert.Empty(queued.RequiredActions);
        var done = Assert.IsType<RunUpdate>(updates[^1]).Value;
        Assert.Equal(RunStatus.Completed, done.Status);
        var reply = updates.OfType<MessageStatusUpdate>().Last().Value;
        Assert.Equal(done.Id, reply.RunId);
    }

    [Theory]
    [InlineData("fail", "server_error")]
    [InlineData("rate_limit", "rate_limit_exceeded")]
    public async Task A_failing_streamed_run_ends_with_run_failed_and_its_error(string scenario, string code)
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario(scenario)));

        Assert.Equal(StreamingUpdateReason.RunFailed, updates[^1].UpdateKind);
        var failed = Assert.IsType<RunUpdate>(updates[^1]).Value;
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(new RunErrorCode(code), failed.LastError.Code);
        Assert.NotNull(failed.FailedAt);
    }

    [Fact]
    public async Task An_incomplete_streamed_run_ends_with_the_message_cut_short_and_run_incomplete()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("incomplete")));

        var incomplete = Assert.IsType<RunUpdate>(updates[^1]).Value;
        Assert.Equal(StreamingUpdateReason.RunIncomplete, updates[^1].UpdateKind);
        Assert.Equal(RunIncompleteReason.MaxOutputTokenCount, incomplete.IncompleteDetails.Reason);
        var message = updates.OfType<MessageStatusUpdate>().Last();
        Assert.Equal(MessageStatus.Incomplete, message.Value.Status);
        Assert.Equal(MessageFailureReason.MaxTokens, message.Value.IncompleteDetails.Reason);
        ThreadMessage stored = await sdk.Client.GetMessageAsync(thread.Id, message.Value.Id);
        Assert.Equal(string.Concat(updates.OfType<MessageContentUpdate>().Select(d => d.Text)), stored.Content.Count == 0 ? "" : stored.Content[0].Text);
    }

    [Fact]
    public async Task Cancelling_during_a_stream_ends_it_with_cancelling_then_cancelled()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id), onUpdate: async update =>
        {
            if (update.UpdateKind == StreamingUpdateReason.MessageInProgress)
            {
                await sdk.Client.CancelRunAsync(thread.Id, ((MessageStatusUpdate)update).Value.RunId);
            }
        });

        var afterCancel = Collapsed(updates).SkipWhile(kind => kind != StreamingUpdateReason.RunCancelling).ToList();
        Assert.Equal(StreamingUpdateReason.RunCancelling, afterCancel[0]);
        Assert.Equal(StreamingUpdateReason.RunCancelled, afterCancel[^1]);
        Assert.Contains(StreamingUpdateReason.RunStepCancelled, afterCancel);
        Assert.DoesNotContain(StreamingUpdateReason.RunCompleted, afterCancel);
        Assert.NotNull(Assert.IsType<RunUpdate>(updates[^1]).Value.CancelledAt);
    }

    [Fact]
    public async Task A_streamed_run_left_to_expire_ends_with_run_expired()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var updates = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("expire")));

        Assert.Equal(StreamingUpdateReason.RunExpired, updates[^1].UpdateKind);
        Assert.Equal(RunStatus.Expired, Assert.IsType<RunUpdate>(updates[^1]).Value.Status);
        Assert.Contains(StreamingUpdateReason.RunStepExpired, updates.Select(u => u.UpdateKind));
    }

    [Fact]
    public async Task A_run_goes_on_to_completed_when_the_sdk_stops_reading_its_stream()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        string? runId = null;

        await using (var stream = await sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id))
        {
            await foreach (var update in stream)
            {
                runId = ((RunUpdate)update).Value.Id;
                break;
            }
        }
        var run = await sdk.Poll((await sdk.Client.GetRunAsync(thread.Id, runId!)).Value);

        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.Equal(runId, (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0].RunId);
    }

    [Fact]
    public async Task Streaming_a_second_run_on_a_busy_thread_throws_the_real_400_before_any_update()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun active = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id)));

        Assert.Equal(400, error.Status);
        Assert.Contains($"already has an active run {active.Id}", error.Message);
    }

    [Fact]
    public async Task Streaming_a_run_on_an_unknown_thread_throws_a_404()
    {
        var assistant = await sdk.CreateAssistant();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync("thread_unknown", assistant.Id)));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Streaming_a_submit_with_a_missing_call_id_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistantWithFunctions("get_weather", "get_time");
        var thread = await sdk.CreateThread();
        var first = await sdk.ReadStream(() => sdk.Client.CreateRunStreamingAsync(thread.Id, assistant.Id, SdkHarness.Scenario("tool_call")));
        var action = first.OfType<RequiredActionUpdate>().First();

        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.ReadStream(() => sdk.Client.SubmitToolOutputsToRunStreamingAsync(thread.Id, action.Value.Id, [new ToolOutput(action.ToolCallId, "x")])));

        Assert.Equal(400, error.Status);
        Assert.Contains("Expected tool outputs for call_ids", error.Message);
    }

    /// <summary>The update kinds with each run of text or step deltas shown once, so the shape does not depend on the chunk count.</summary>
    private static List<StreamingUpdateReason> Collapsed(List<StreamingUpdate> updates)
    {
        var kinds = new List<StreamingUpdateReason>();
        foreach (var update in updates)
        {
            var kind = update.UpdateKind;
            if (kinds.Count > 0 && kinds[^1] == kind && kind is StreamingUpdateReason.MessageUpdated or StreamingUpdateReason.RunStepUpdated or StreamingUpdateReason.RunRequiresAction)
            {
                continue;
            }
            kinds.Add(kind);
        }
        return kinds;
    }
}
