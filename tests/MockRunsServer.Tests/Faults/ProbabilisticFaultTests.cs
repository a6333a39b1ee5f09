using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Faults;

/// <summary><c>Mock:Faults</c> probabilities: drawn per request from a seeded source of their own.</summary>
public sealed class ProbabilisticFaultTests
{
    private const int Requests = 1000;

    private static MockServerFactory Server(int seed = 42) => MockServerFactory.With(
        ("Mock:Seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Mock:Faults:RateLimit", "0.1"),
        ("Mock:Faults:ServerError", "0.05"),
        ("Mock:Faults:ServiceUnavailable", "0.15"));

    [Fact]
    public async Task Each_fault_comes_at_about_its_configured_rate()
    {
        using var server = Server();
        var counts = (await Statuses(server.Api(), Requests)).CountBy(status => status).ToDictionary();

        // Binomial with n = 1000: five standard deviations is at most ±57 for p = 0.15.
        AssertNear(100, counts.GetValueOrDefault(HttpStatusCode.TooManyRequests), 48);
        AssertNear(50, counts.GetValueOrDefault(HttpStatusCode.InternalServerError), 35);
        AssertNear(150, counts.GetValueOrDefault(HttpStatusCode.ServiceUnavailable), 57);
        AssertNear(700, counts.GetValueOrDefault(HttpStatusCode.OK), 73);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults_in_the_same_order()
    {
        using var first = Server();
        using var second = Server();

        Assert.Equal(await Statuses(first.Api(), 100), await Statuses(second.Api(), 100));
    }

    [Fact]
    public async Task Another_seed_gives_another_sequence()
    {
        using var first = Server(1);
        using var second = Server(2);

        Assert.NotEqual(await Statuses(first.Api(), 100), await Statuses(second.Api(), 100));
    }

    [Fact]
    public async Task Reset_starts_the_fault_sequence_over()
    {
        using var server = Server();
        var api = server.Api();
        var before = await Statuses(api, 50);

        (await api.Post("/_mock/reset")).Ok();

        Assert.Equal(before, await Statuses(api, 50));
    }

    [Fact]
    public async Task Turning_faults_on_does_not_change_the_ids_a_seed_gives()
    {
        using var plain = MockServerFactory.With(("Mock:Seed", "7"));
        using var faulty = MockServerFactory.With(("Mock:Seed", "7"), ("Mock:Faults:ServerError", "0.5"));
        var expected = new List<string>();
        var actual = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            expected.Add(await plain.Api().CreateAssistant());
        }
        var api = faulty.Api();
        while (actual.Count < 5)
        {
            var response = await api.Post("/v1/assistants", new { model = "gpt-4o", name = "Helper" });
            if (response.Status == HttpStatusCode.OK)
            {
                actual.Add(response.Id);
            }
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Faults_at_probability_one_fail_every_OpenAI_request_but_not_the_control_API()
    {
        using var server = MockServerFactory.With(("Mock:Faults:ServerError", "1"));
        var api = server.Api();

        Assert.All(await Statuses(api, 20), status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        (await api.Get("/_mock/clock")).Ok();
    }

    private static async Task<List<HttpStatusCode>> Statuses(ApiClient api, int count)
    {
        var statuses = new List<HttpStatusCode>(count);
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await api.Get("/v1/assistants?limit=1")).Status);
        }
        return statuses;
    }

    private static void AssertNear(int expected, int actual, int tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"Expected {expected} ± {tolerance}, got {actual}.");
}
