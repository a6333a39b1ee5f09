#pragma warning disable OPENAI001

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Sdk;

/// <summary>Assistants through the official .NET SDK: create, get, modify, delete and the paged list.</summary>
public sealed class SdkAssistantTests(MockServerFactory factory) : IClassFixture<MockServerFactory>
{
    private readonly SdkHarness sdk = new(factory);

    [Fact]
    public async Task Creating_an_assistant_returns_every_field_the_sdk_reads()
    {
        var options = new AssistantCreationOptions
        {
            Name = "Math tutor",
            Description = "Helps with sums",
            Instructions = "Be brief.",
            Temperature = 0.5f,
            NucleusSamplingFactor = 0.9f,
            ResponseFormat = AssistantResponseFormat.JsonObject,
            Tools = { ToolDefinition.CreateCodeInterpreter(), ToolDefinition.CreateFunction("add", "Adds", BinaryData.FromString("""{"type":"object","properties":{"a":{"type":"number"}}}""")) },
            Metadata = { ["team"] = "math" },
        };
        var now = await sdk.Now();

        Assistant assistant = await sdk.Client.CreateAssistantAsync("gpt-4o-mini", options);

        Assert.StartsWith("asst_", assistant.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now), assistant.CreatedAt);
        Assert.Equal("gpt-4o-mini", assistant.Model);
        Assert.Equal("Math tutor", assistant.Name);
        Assert.Equal("Helps with sums", assistant.Description);
        Assert.Equal("Be brief.", assistant.Instructions);
        Assert.Equal(0.5f, assistant.Temperature);
        Assert.Equal(0.9f, assistant.NucleusSamplingFactor);
        Assert.Equal(AssistantResponseFormat.JsonObject, assistant.ResponseFormat);
        Assert.Equal("math", assistant.Metadata["team"]);
        Assert.Collection(assistant.Tools,
            tool => Assert.IsType<CodeInterpreterToolDefinition>(tool),
            tool =>
            {
                var function = Assert.IsType<FunctionToolDefinition>(tool);
                Assert.Equal("add", function.FunctionName);
                Assert.Equal("Adds", function.Description);
                Assert.Equal("number", JsonDocument.Parse(function.Parameters).RootElement.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
            });
    }

    [Fact]
    public async Task A_new_assistant_has_the_real_defaults()
    {
        Assistant assistant = await sdk.Client.CreateAssistantAsync("gpt-4o");

        Assert.Null(assistant.Name);
        Assert.Null(assistant.Description);
        Assert.Null(assistant.Instructions);
        Assert.Empty(assistant.Tools);
        Assert.Empty(assistant.Metadata);
        Assert.Equal(1f, assistant.Temperature);
        Assert.Equal(1f, assistant.NucleusSamplingFactor);
        Assert.Equal(AssistantResponseFormat.Auto, assistant.ResponseFormat);
    }

    [Fact]
    public async Task A_json_schema_response_format_round_trips()
    {
        var format = AssistantResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString("""{"type":"object","properties":{"value":{"type":"integer"}},"required":["value"],"additionalProperties":false}"""), "The answer", true);

        Assistant assistant = await sdk.Client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { ResponseFormat = format });

        Assert.Equal(format, assistant.ResponseFormat);
        Assert.Equal(format, (await sdk.Client.GetAssistantAsync(assistant.Id)).Value.ResponseFormat);
    }

    [Fact]
    public async Task An_assistant_keeps_its_tool_resources_and_tool_options()
    {
        var options = new AssistantCreationOptions
        {
            Tools =
            {
                new FileSearchToolDefinition { MaxResults = 7, RankingOptions = new FileSearchRankingOptions(0.5f) { Ranker = FileSearchRanker.Default20240821 } },
                ToolDefinition.CreateFunction("strict_one", "Strict", BinaryData.FromString(SdkHarness.StrictWeatherParameters), strictParameterSchemaEnabled: true),
            },
            ToolResources = new ToolResources { FileSearch = new FileSearchToolResources { NewVectorStores = { new VectorStoreCreationHelper(["file-1"]) } } },
        };

        Assistant assistant = await sdk.Client.CreateAssistantAsync("gpt-4o", options);

        var search = Assert.IsType<FileSearchToolDefinition>(assistant.Tools[0]);
        Assert.Equal(7, search.MaxResults);
        Assert.Equal(0.5f, search.RankingOptions.ScoreThreshold);
        Assert.Equal(FileSearchRanker.Default20240821, search.RankingOptions.Ranker);
        Assert.True(Assert.IsType<FunctionToolDefinition>(assistant.Tools[1]).StrictParameterSchemaEnabled);
        Assert.StartsWith("vs_", Assert.Single(assistant.ToolResources.FileSearch.VectorStoreIds));
        SdkJson.AssertRoundTrips<Assistant>((await sdk.Api.Get($"/v1/assistants/{assistant.Id}")).Ok().Text);
    }

    [Fact]
    public async Task Getting_an_assistant_returns_what_was_created()
    {
        var created = await sdk.CreateAssistant(new AssistantCreationOptions { Name = "Fetch me", Metadata = { ["k"] = "v" } });

        Assistant fetched = await sdk.Client.GetAssistantAsync(created.Id);

        Assert.Equal(created.Id, fetched.Id);
        Assert.Equal(created.CreatedAt, fetched.CreatedAt);
        Assert.Equal("Fetch me", fetched.Name);
        Assert.Equal("v", fetched.Metadata["k"]);
    }

    [Fact]
    public async Task Modifying_an_assistant_changes_only_the_given_fields()
    {
        var created = await sdk.CreateAssistant(new AssistantCreationOptions { Name = "Before", Instructions = "Keep me" });

        Assistant modified = await sdk.Client.ModifyAssistantAsync(created.Id, new AssistantModificationOptions
        {
            Name = "After",
            Model = "gpt-4.1",
            DefaultTools = { ToolDefinition.CreateFileSearch() },
            Metadata = { ["changed"] = "yes" },
        });

        Assert.Equal("After", modified.Name);
        Assert.Equal("gpt-4.1", modified.Model);
        Assert.Equal("Keep me", modified.Instructions);
        Assert.IsType<FileSearchToolDefinition>(Assert.Single(modified.Tools));
        Assert.Equal("yes", modified.Metadata["changed"]);
        Assert.Equal("After", (await sdk.Client.GetAssistantAsync(created.Id)).Value.Name);
    }

    [Fact]
    public async Task Deleting_an_assistant_reports_it_deleted_and_it_is_gone()
    {
        var created = await sdk.CreateAssistant();

        AssistantDeletionResult result = await sdk.Client.DeleteAssistantAsync(created.Id);

        Assert.True(result.Deleted);
        Assert.Equal(created.Id, result.AssistantId);
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetAssistantAsync(created.Id));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Getting_an_unknown_assistant_throws_a_404_with_the_real_message()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Client.GetAssistantAsync("asst_doesnotexist"));

        Assert.Equal(404, error.Status);
        Assert.Contains("No assistant found with id 'asst_doesnotexist'.", error.Message);
    }

    [Fact]
    public async Task Creating_an_assistant_with_a_bad_temperature_throws_a_400()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            sdk.Client.CreateAssistantAsync("gpt-4o", new AssistantCreationOptions { Temperature = 5f }));

        Assert.Equal(400, error.Status);
        Assert.Contains("temperature", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enumerating_assistants_pages_through_all_of_them_in_order(bool ascending)
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await sdk.CreateAssistant(new AssistantCreationOptions { Name = $"Paged {i}" })).Id);
        }
        var options = new AssistantCollectionOptions
        {
            PageSizeLimit = 2,
            Order = ascending ? AssistantCollectionOrder.Ascending : AssistantCollectionOrder.Descending,
        };

        var seen = new List<string>();
        await foreach (var assistant in sdk.Client.GetAssistantsAsync(options))
        {
            seen.Add(assistant.Id);
        }
        var pages = 0;
        await foreach (var _ in sdk.Client.GetAssistantsAsync(options).GetRawPagesAsync())
        {
            pages++;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        var ours = seen.Where(created.Contains).ToList();
        Assert.Equal(ascending ? created : Enumerable.Reverse(created).ToList(), ours);
        Assert.Equal((seen.Count + 1) / 2, pages);
    }

    [Fact]
    public async Task Enumerating_assistants_after_an_id_starts_right_after_it()
    {
        var created = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            created.Add((await sdk.CreateAssistant()).Id);
        }

        var seen = new List<string>();
        await foreach (var assistant in sdk.Client.GetAssistantsAsync(new AssistantCollectionOptions { AfterId = created[1], Order = AssistantCollectionOrder.Ascending, PageSizeLimit = 1 }))
        {
            seen.Add(assistant.Id);
        }

        Assert.Equal(created[2..], seen.Take(2));
    }

    [Fact]
    public async Task The_sdk_writes_back_an_assistant_exactly_as_it_was_received()
    {
        var created = await sdk.CreateAssistant(new AssistantCreationOptions
        {
            Name = "Round trip",
            Tools = { ToolDefinition.CreateFunction("f", "F", BinaryData.FromString(SdkHarness.WeatherParameters)), ToolDefinition.CreateFileSearch(5) },
            ResponseFormat = AssistantResponseFormat.JsonObject,
        });

        var raw = (await sdk.Api.Get($"/v1/assistants/{created.Id}")).Ok().Text;

        SdkJson.AssertRoundTrips<Assistant>(raw);
    }
}
