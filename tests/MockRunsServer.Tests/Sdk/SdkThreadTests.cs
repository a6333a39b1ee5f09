#pragma warning disable OPENAI001

using System.ClientModel;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>Threads through the official .NET SDK: create (with initial messages), get, modify, delete.</summary>
public sealed class SdkThreadTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task Creating_a_thread_with_initial_messages_stores_them_in_order()
    {
        var options = new ThreadCreationOptions
        {
            InitialMessages =
            {
                "First question",
                new ThreadInitializationMessage(MessageRole.Assistant, ["An earlier answer"]),
                new ThreadInitializationMessage(MessageRole.User, ["Second ", "question"]) { Metadata = { ["n"] = "3" } },
            },
            Metadata = { ["topic"] = "sdk" },
        };

        AssistantThread thread = await sdk.Client.CreateThreadAsync(options);

        Assert.StartsWith("thread_", thread.Id);
        Assert.Equal("sdk", thread.Metadata["topic"]);
        var messages = await sdk.Client.GetMessagesAsync(thread.Id, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }).ToListAsync();
        Assert.Collection(messages,
            message =>
            {
                Assert.Equal(MessageRole.User, message.Role);
                Assert.Equal("First question", Assert.Single(message.Content).Text);
            },
            message =>
            {
                Assert.Equal(MessageRole.Assistant, message.Role);
                Assert.Equal("An earlier answer", Assert.Single(message.Content).Text);
            },
            message =>
            {
                Assert.Equal(["Second ", "question"], message.Content.Select(part => part.Text));
                Assert.Equal("3", message.Metadata["n"]);
            });
        Assert.All(messages, message => Assert.Equal(thread.Id, message.ThreadId));
    }

    [Fact]
    public async Task Creating_an_empty_thread_gives_no_messages_and_no_metadata()
    {
        var now = await sdk.Now();

        AssistantThread thread = await sdk.Client.CreateThreadAsync();

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now), thread.CreatedAt);
        Assert.Empty(thread.Metadata);
        Assert.Empty(await sdk.Client.GetMessagesAsync(thread.Id).ToListAsync());
    }

    [Fact]
    public async Task Getting_a_thread_returns_what_was_created()
    {
        AssistantThread created = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { Metadata = { ["a"] = "1" } });

        AssistantThread fetched = await sdk.Client.GetThreadAsync(created.Id);

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.CreatedAt, fetched.CreatedAt);
        Assert.Equal("1", fetched.Metadata["a"]);
    }

    [Fact]
    public async Task Modifying_a_thread_replaces_its_metadata()
    {
        AssistantThread created = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { Metadata = { ["a"] = "1" } });

        AssistantThread modified = await sdk.Client.ModifyThreadAsync(created.Id, new ThreadModificationOptions { Metadata = { ["b"] = "2" } });

        Assert.Equal("2", modified.Metadata["b"]);
        Assert.Equal("2", (await sdk.Client.GetThreadAsync(created.Id)).Value.Metadata["b"]);
    }

    [Fact]
    public async Task Deleting_a_thread_reports_it_deleted_and_its_messages_are_gone()
    {
        var thread = await sdk.CreateThread();

        ThreadDeletionResult result = await sdk.Client.DeleteThreadAsync(thread.Id);

        Assert.True(result.Deleted);
        Assert.Equal(thread.Id, result.ThreadId);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetThreadAsync(thread.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetMessagesAsync(thread.Id).ToListAsync().AsTask())).Status);
    }

    [Fact]
    public async Task Getting_an_unknown_thread_throws_a_404_with_the_real_message()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetThreadAsync("thread_doesnotexist"));

        Assert.Equal(404, error.Status);
        Assert.Contains("No thread found with id 'thread_doesnotexist'.", error.Message);
    }

    [Fact]
    public async Task A_thread_keeps_its_tool_resources()
    {
        var resources = new ToolResources
        {
            CodeInterpreter = new CodeInterpreterToolResources { FileIds = { "file-abc" } },
            FileSearch = new FileSearchToolResources { VectorStoreIds = { "vs_existing" } },
        };

        AssistantThread thread = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { ToolResources = resources });

        Assert.Equal(["file-abc"], thread.ToolResources.CodeInterpreter.FileIds);
        Assert.Equal(["vs_existing"], thread.ToolResources.FileSearch.VectorStoreIds);
        SdkJson.AssertRoundTrips<AssistantThread>((await sdk.Api.Get($"/v1/threads/{thread.Id}")).Ok().Text);
    }

    [Fact]
    public async Task A_thread_created_with_the_vector_store_helper_lists_the_new_store_id()
    {
        var resources = new ToolResources { FileSearch = new FileSearchToolResources { NewVectorStores = { new VectorStoreCreationHelper(["file-abc"]) } } };

        AssistantThread thread = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { ToolResources = resources });

        Assert.StartsWith("vs_", Assert.Single(thread.ToolResources.FileSearch.VectorStoreIds));
        Assert.Empty(thread.ToolResources.FileSearch.NewVectorStores);
    }

    [Fact]
    public async Task The_sdk_writes_back_a_thread_exactly_as_it_was_received()
    {
        AssistantThread created = await sdk.Client.CreateThreadAsync(new ThreadCreationOptions { Metadata = { ["x"] = "y" } });

        var raw = (await sdk.Api.Get($"/v1/threads/{created.Id}")).Ok().Text;

        SdkJson.AssertRoundTrips<AssistantThread>(raw);
    }
}
