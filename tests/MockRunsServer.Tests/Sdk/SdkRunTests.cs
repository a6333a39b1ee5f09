#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>Runs through the official .NET SDK: create, poll on the manual clock, outcomes, cancel, modify, list.</summary>
public sealed class SdkRunTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task A_new_run_is_queued_with_the_real_defaults()
    {
        var assistant = await sdk.CreateAssistant(new AssistantCreationOptions { Instructions = "Be kind.", Temperature = 0.3f });
        var thread = await sdk.CreateThread();

        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        Assert.StartsWith("run_", run.Id);
        Assert.Equal(thread.Id, run.ThreadId);
        Assert.Equal(assistant.Id, run.AssistantId);
        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal(run.CreatedAt.AddSeconds(600), run.ExpiresAt);
        Assert.Null(run.StartedAt);
        Assert.Null(run.CompletedAt);
        Assert.Null(run.CancelledAt);
        Assert.Null(run.FailedAt);
        Assert.Null(run.LastError);
        Assert.Null(run.IncompleteDetails);
        Assert.Null(run.Usage);
        Assert.Empty(run.RequiredActions);
        Assert.Equal("gpt-4o", run.Model);
        Assert.Equal("Be kind.", run.Instructions);
        Assert.Equal(0.3f, run.Temperature);
        Assert.Equal(1f, run.NucleusSamplingFactor);
        Assert.Null(run.MaxInputTokenCount);
        Assert.Null(run.MaxOutputTokenCount);
        Assert.Equal(ToolConstraint.Auto.ToString(), run.ToolConstraint.ToString());
        Assert.Equal(AssistantResponseFormat.Auto, run.ResponseFormat);
        Assert.True(run.AllowParallelToolCalls);
        Assert.Null(run.TruncationStrategy.LastMessages);
        Assert.Empty(run.Metadata);
    }

    [Fact]
    public async Task Polling_with_the_clock_takes_a_run_through_in_progress_to_completed()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        var statuses = new List<RunStatus> { run.Status };
        while (!run.Status.IsTerminal)
        {
            await sdk.Advance(0.25);
            run = await sdk.Client.GetRunAsync(thread.Id, run.Id);
            if (statuses[^1] != run.Status)
            {
                statuses.Add(run.Status);
            }
        }

        Assert.Equal([RunStatus.Queued, RunStatus.InProgress, RunStatus.Completed], statuses);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.CompletedAt);
        Assert.Null(run.ExpiresAt);
        Assert.True(run.StartedAt <= run.CompletedAt);
    }

    [Fact]
    public async Task A_completed_run_wrote_the_assistant_reply_into_the_thread()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread("What is the weather like?");

        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        Assert.Equal(RunStatus.Completed, run.Status);
        var messages = await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync();
        var reply = messages[0];
        Assert.Equal(MessageRole.Assistant, reply.Role);
        Assert.Equal(run.Id, reply.RunId);
        Assert.Equal(assistant.Id, reply.AssistantId);
        Assert.Equal(MessageStatus.Completed, reply.Status);
        Assert.False(string.IsNullOrWhiteSpace(Assert.Single(reply.Content).Text));
        Assert.Equal(MessageRole.User, messages[1].Role);
        Assert.Null(messages[1].RunId);
    }

    [Fact]
    public async Task A_completed_run_reports_usage_that_adds_up()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        Assert.NotNull(run.Usage);
        Assert.True(run.Usage.InputTokenCount > 0);
        Assert.True(run.Usage.OutputTokenCount > 0);
        Assert.Equal(run.Usage.InputTokenCount + run.Usage.OutputTokenCount, run.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Create_thread_and_run_makes_the_thread_with_its_messages_and_completes()
    {
        var assistant = await sdk.CreateAssistant();
        var threadOptions = new ThreadCreationOptions { InitialMessages = { "Tell me a joke" }, Metadata = { ["via"] = "thread-and-run" } };

        ThreadRun run = await sdk.Client.CreateThreadAndRunAsync(assistant.Id, threadOptions, new RunCreationOptions { Metadata = { ["r"] = "1" } });

        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Equal("1", run.Metadata["r"]);
        AssistantThread thread = await sdk.Client.GetThreadAsync(run.ThreadId);
        Assert.Equal("thread-and-run", thread.Metadata["via"]);
        run = await sdk.Poll(run);
        Assert.Equal(RunStatus.Completed, run.Status);
        var texts = (await sdk.Client.GetMessagesAsync(run.ThreadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync())
            .Select(m => (m.Role, m.RunId)).ToList();
        Assert.Equal([(MessageRole.User, null), (MessageRole.Assistant, run.Id)], texts);
    }

    [Fact]
    public async Task Every_run_creation_option_is_kept_on_the_run()
    {
        var assistant = await sdk.CreateAssistant(new AssistantCreationOptions { Instructions = "Base" });
        var thread = await sdk.CreateThread();
        var options = new RunCreationOptions
        {
            ModelOverride = "gpt-4.1-mini",
            InstructionsOverride = "Override",
            AdditionalInstructions = "And more.",
            Temperature = 0.2f,
            NucleusSamplingFactor = 0.8f,
            MaxInputTokenCount = 5000,
            MaxOutputTokenCount = 700,
            TruncationStrategy = RunTruncationStrategy.CreateLastMessagesStrategy(3),
            ToolConstraint = ToolConstraint.None,
            ResponseFormat = AssistantResponseFormat.JsonObject,
            AllowParallelToolCalls = false,
            ToolsOverride = { ToolDefinition.CreateCodeInterpreter() },
            Metadata = { ["k"] = "v" },
        };

        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id, options);

        Assert.Equal("gpt-4.1-mini", run.Model);
        Assert.Equal("Override\n\nAnd more.", run.Instructions);
        Assert.Equal(0.2f, run.Temperature);
        Assert.Equal(0.8f, run.NucleusSamplingFactor);
        Assert.Equal(5000, run.MaxInputTokenCount);
        Assert.Equal(700, run.MaxOutputTokenCount);
        Assert.Equal(3, run.TruncationStrategy.LastMessages);
        Assert.Equal(ToolConstraint.None.ToString(), run.ToolConstraint.ToString());
        Assert.Equal(AssistantResponseFormat.JsonObject, run.ResponseFormat);
        Assert.False(run.AllowParallelToolCalls);
        Assert.IsType<CodeInterpreterToolDefinition>(Assert.Single(run.Tools));
        Assert.Equal("v", run.Metadata["k"]);
    }

    [Fact]
    public async Task Additional_messages_are_added_to_the_thread_before_the_run()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread("First");

        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id, new RunCreationOptions { AdditionalMessages = { "Second" } });

        var texts = (await sdk.Client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync())
            .Select(m => m.Content[0].Text);
        Assert.Equal(["First", "Second"], texts);
        Assert.Equal(RunStatus.Queued, run.Status);
    }

    [Fact]
    public async Task The_sdk_writes_back_a_run_with_every_option_exactly_as_it_was_received()
    {
        var assistant = await sdk.CreateAssistantWithFunctions();
        var thread = await sdk.CreateThread();
        var options = new RunCreationOptions
        {
            TruncationStrategy = RunTruncationStrategy.CreateLastMessagesStrategy(2),
            ToolConstraint = new ToolConstraint(assistant.Tools[0]),
            ResponseFormat = AssistantResponseFormat.CreateJsonSchemaFormat("out", BinaryData.FromString("""{"type":"object","properties":{}}""")),
            MaxOutputTokenCount = 900,
        };
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id, options);
        run = await sdk.Poll(run);

        var raw = (await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}")).Ok().Text;

        Assert.Equal(RunStatus.RequiresAction, run.Status);
        SdkJson.AssertRoundTrips<ThreadRun>(raw);
    }

    [Fact]
    public async Task The_sdk_writes_back_a_completed_run_with_usage_exactly_as_it_was_received()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        var raw = (await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}")).Ok().Text;

        SdkJson.AssertRoundTrips<ThreadRun>(raw);
    }

    [Theory]
    [InlineData("fail", "server_error")]
    [InlineData("rate_limit", "rate_limit_exceeded")]
    [InlineData("invalid_prompt", "invalid_prompt")]
    public async Task A_failing_run_ends_failed_with_the_typed_error(string scenario, string code)
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario(scenario));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.NotNull(run.FailedAt);
        Assert.Equal(new RunErrorCode(code), run.LastError.Code);
        Assert.False(string.IsNullOrEmpty(run.LastError.Message));
        SdkJson.AssertRoundTrips<ThreadRun>((await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}")).Ok().Text);
    }

    [Fact]
    public async Task An_incomplete_run_reports_the_reason_on_the_run_and_the_message()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, SdkHarness.Scenario("incomplete"));

        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal(RunIncompleteReason.MaxOutputTokenCount, run.IncompleteDetails.Reason);
        Assert.NotNull(run.Usage);
        ThreadMessage reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.Equal(MessageStatus.Incomplete, reply.Status);
        Assert.Equal(MessageFailureReason.MaxTokens, reply.IncompleteDetails.Reason);
        Assert.NotNull(reply.IncompleteAt);
        SdkJson.AssertRoundTrips<ThreadRun>((await sdk.Api.Get($"/v1/threads/{thread.Id}/runs/{run.Id}")).Ok().Text);
        SdkJson.AssertRoundTrips<ThreadMessage>((await sdk.Api.Get($"/v1/threads/{thread.Id}/messages/{reply.Id}")).Ok().Text);
    }

    [Fact]
    public async Task A_run_over_its_prompt_token_limit_ends_incomplete_for_input_tokens()
    {
        var assistant = await sdk.CreateAssistant(new AssistantCreationOptions { Instructions = string.Concat(Enumerable.Repeat("Long instructions. ", 100)) });
        var thread = await sdk.CreateThread();

        var run = await sdk.RunToEnd(thread.Id, assistant.Id, new RunCreationOptions { MaxInputTokenCount = 256 });

        Assert.Equal(RunStatus.Incomplete, run.Status);
        Assert.Equal(RunIncompleteReason.MaxInputTokenCount, run.IncompleteDetails.Reason);
    }

    [Fact]
    public async Task A_run_left_waiting_past_its_expiry_ends_expired()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id, SdkHarness.Scenario("expire"));

        await sdk.Advance(601);
        run = await sdk.Client.GetRunAsync(thread.Id, run.Id);

        Assert.Equal(RunStatus.Expired, run.Status);
        Assert.True(run.Status.IsTerminal);
        Assert.Null(run.Usage);
    }

    [Fact]
    public async Task Cancelling_a_queued_run_goes_through_cancelling_to_cancelled()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        ThreadRun cancelling = await sdk.Client.CancelRunAsync(thread.Id, run.Id);
        var cancelled = await sdk.Poll(cancelling);

        Assert.Equal(RunStatus.Cancelling, cancelling.Status);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Null(cancelled.CompletedAt);
        Assert.Null(cancelled.Usage);
    }

    [Fact]
    public async Task Cancelling_an_in_progress_run_leaves_its_message_incomplete()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.Poll((await sdk.Client.CreateRunAsync(thread.Id, assistant.Id)).Value, until: RunStatus.InProgress);

        ThreadRun cancelling = await sdk.Client.CancelRunAsync(thread.Id, run.Id);
        var cancelled = await sdk.Poll(cancelling);

        Assert.Equal(RunStatus.InProgress, run.Status);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        ThreadMessage reply = (await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync())[0];
        Assert.Equal(run.Id, reply.RunId);
        Assert.Equal(MessageFailureReason.RunCancelled, reply.IncompleteDetails.Reason);
    }

    [Fact]
    public async Task Cancelling_a_completed_run_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var run = await sdk.RunToEnd(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CancelRunAsync(thread.Id, run.Id));

        Assert.Equal(400, error.Status);
        Assert.Contains("Cannot cancel run with status 'completed'.", error.Message);
    }

    [Fact]
    public async Task Modifying_a_run_replaces_its_metadata()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id, new RunCreationOptions { Metadata = { ["old"] = "1" } });

        // The SDK has no typed ModifyRun: its protocol method takes the JSON body, and the typed model reads the answer.
        var result = await sdk.Client.ModifyRunAsync(thread.Id, run.Id, BinaryContent.Create(BinaryData.FromString("""{"metadata":{"new":"2"}}""")));
        var modified = ModelReaderWriter.Read<ThreadRun>(result.GetRawResponse().Content)!;

        Assert.Equal(run.Id, modified.Id);
        Assert.Equal("2", modified.Metadata["new"]);
        Assert.False(modified.Metadata.ContainsKey("old"));
        Assert.Equal("2", (await sdk.Client.GetRunAsync(thread.Id, run.Id)).Value.Metadata["new"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enumerating_25_runs_pages_through_each_exactly_once(bool ascending)
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var created = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            // One active run per thread: each finishes before the next starts.
            ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);
            await sdk.Advance(3);
            created.Add(run.Id);
        }
        var options = new RunCollectionOptions { PageSizeLimit = 10, Order = ascending ? RunCollectionOrder.Ascending : RunCollectionOrder.Descending };

        var seen = await sdk.Client.GetRunsAsync(thread.Id, options).ToListAsync();
        var pages = await sdk.Client.GetRunsAsync(thread.Id, options).GetRawPagesAsync().CountAsync();

        Assert.Equal(ascending ? created : Enumerable.Reverse(created).ToList(), seen.Select(run => run.Id));
        Assert.All(seen, run => Assert.Equal(RunStatus.Completed, run.Status));
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_second_active_run_on_a_thread_throws_the_real_400()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        ThreadRun first = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateRunAsync(thread.Id, assistant.Id));

        Assert.Equal(400, error.Status);
        Assert.Contains($"Thread {thread.Id} already has an active run {first.Id}.", error.Message);
    }

    [Fact]
    public async Task An_unknown_field_sent_through_the_protocol_method_throws_a_400_with_its_code()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();
        var body = BinaryContent.Create(BinaryData.FromString($$"""{"assistant_id":"{{assistant.Id}}","colour":"blue"}"""));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateRunAsync(thread.Id, body));

        Assert.Equal(400, error.Status);
        Assert.Contains("invalid_request_error: unknown_parameter", error.Message);
        Assert.Contains("Unknown parameter: 'colour'.", error.Message);
    }

    [Fact]
    public async Task The_sdks_auto_truncation_strategy_sends_last_messages_0_and_gets_the_real_400()
    {
        var assistant = await sdk.CreateAssistant();
        var thread = await sdk.CreateThread();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateRunAsync(thread.Id, assistant.Id,
            new RunCreationOptions { TruncationStrategy = RunTruncationStrategy.Auto }));

        Assert.Equal(400, error.Status);
        Assert.Contains("truncation_strategy.last_messages", error.Message);
        Assert.Contains("integer_below_min_value", error.Message);
    }

    [Fact]
    public async Task Create_thread_and_run_with_a_new_vector_store_is_refused_because_the_sdk_copies_it_to_the_run()
    {
        var assistant = await sdk.CreateAssistant(new AssistantCreationOptions { Tools = { ToolDefinition.CreateFileSearch() } });
        var helper = new ToolResources { FileSearch = new FileSearchToolResources { NewVectorStores = { new VectorStoreCreationHelper(["file-report"]) } } };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateThreadAndRunAsync(assistant.Id,
            new ThreadCreationOptions { InitialMessages = { "What does the report say?" }, ToolResources = helper }));

        Assert.Equal(400, error.Status);
        Assert.Contains("Unknown parameter: 'tool_resources.file_search.vector_stores'.", error.Message);
        // What the README suggests instead: the thread takes the helper, then the run.
        AssistantThread thread = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { ToolResources = helper });
        Assert.Single(thread.ToolResources.FileSearch.VectorStoreIds);
        ThreadRun run = await sdk.Client.CreateRunAsync(thread.Id, assistant.Id);
        Assert.Equal(RunStatus.Queued, run.Status);
    }

    [Fact]
    public async Task A_scenario_header_added_by_a_client_policy_picks_the_outcome()
    {
        var withHeader = new SdkHarness(factory, ("X-Mock-Scenario", "fail"));
        var assistant = await withHeader.CreateAssistant();
        var thread = await withHeader.CreateThread();

        var run = await withHeader.RunToEnd(thread.Id, assistant.Id);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(RunErrorCode.ServerError, run.LastError.Code);
    }

    [Fact]
    public async Task A_run_on_an_unknown_thread_throws_a_404()
    {
        var assistant = await sdk.CreateAssistant();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateRunAsync("thread_unknown", assistant.Id));

        Assert.Equal(404, error.Status);
        Assert.Contains("No thread found with id 'thread_unknown'.", error.Message);
    }

    [Fact]
    public async Task A_run_with_an_unknown_assistant_throws_a_404()
    {
        var thread = await sdk.CreateThread();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.CreateRunAsync(thread.Id, "asst_unknown"));

        Assert.Equal(404, error.Status);
        Assert.Contains("No assistant found with id 'asst_unknown'.", error.Message);
    }

    [Fact]
    public async Task Getting_an_unknown_run_throws_a_404()
    {
        var thread = await sdk.CreateThread();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetRunAsync(thread.Id, "run_unknown"));

        Assert.Equal(404, error.Status);
        Assert.Contains("No run found with id 'run_unknown'.", error.Message);
    }
}
