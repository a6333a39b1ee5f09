using Microsoft.Extensions.Options;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Options;

/// <summary>Bad <c>Mock:Faults</c>, <c>RateLimits</c>, <c>Latency</c>, <c>Auth</c> and <c>Journal</c> values stop start-up with a message naming the key.</summary>
public sealed class HttpOptionsValidationTests
{
    [Theory]
    [InlineData("Mock:Faults:RateLimit", "-0.1", "Mock:Faults:RateLimit must be a probability from 0 to 1.")]
    [InlineData("Mock:Faults:Drop", "1.5", "Mock:Faults:Drop must be a probability from 0 to 1.")]
    [InlineData("Mock:Faults:RetryAfter", "02:00:00", "Mock:Faults:RetryAfter must be between 00:00:00 and 01:00:00; it was read as 02:00:00 (a duration is [d.]hh:mm:ss[.fff]: 00:00:02 is two seconds, a bare 2 two days).")]
    [InlineData("Mock:RateLimits:RequestsPerMinute", "0", "Mock:RateLimits:RequestsPerMinute must be between 1 and 100000000")]
    [InlineData("Mock:RateLimits:TokensPerMinute", "-5", "Mock:RateLimits:TokensPerMinute must be between 1 and 100000000")]
    [InlineData("Mock:Latency:Fixed", "00:06:00", "Mock:Latency:Fixed must be between 00:00:00 and 00:05:00; it was read as 00:06:00 (a duration is [d.]hh:mm:ss[.fff]: 00:00:02 is two seconds, a bare 2 two days).")]
    [InlineData("Mock:Latency:Jitter", "-00:00:01", "Mock:Latency:Jitter must be between 00:00:00 and 00:05:00; it was read as -00:00:01 (a duration is [d.]hh:mm:ss[.fff]: 00:00:02 is two seconds, a bare 2 two days).")]
    [InlineData("Mock:Auth:ApiKeys:0", " ", "Mock:Auth:ApiKeys:0 must not be empty.")]
    [InlineData("Mock:Journal:Size", "-1", "Mock:Journal:Size must be between 0 (off) and 1000000.")]
    [InlineData("Mock:Journal:MaxBodyBytes", "99999999", "Mock:Journal:MaxBodyBytes must be between 0 and 16777216.")]
    public void A_bad_value_stops_start_up_naming_the_key(string key, string value, string message)
    {
        using var server = MockServerFactory.With((key, value));

        var error = Assert.Throws<OptionsValidationException>(() => server.CreateClient());

        Assert.Contains(error.Failures, failure => failure.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bare_number_for_a_duration_is_said_to_have_been_read_as_days()
    {
        using var server = MockServerFactory.With(("Mock:Timings:InProgress", "2"));

        var error = Assert.Throws<OptionsValidationException>(() => server.CreateClient());

        Assert.Contains(error.Failures, failure => failure.StartsWith(
            "Mock:Timings:InProgress must be between 00:00:00 and 1.00:00:00; it was read as 2.00:00:00 (a duration is [d.]hh:mm:ss[.fff]: 00:00:02 is two seconds, a bare 2 two days).",
            StringComparison.Ordinal));
    }

    [Fact]
    public void Fault_probabilities_adding_up_to_more_than_one_stop_start_up()
    {
        using var server = MockServerFactory.With(("Mock:Faults:ServerError", "0.6"), ("Mock:Faults:ServiceUnavailable", "0.5"));

        var error = Assert.Throws<OptionsValidationException>(() => server.CreateClient());

        Assert.Contains(error.Failures, failure => failure.StartsWith("Mock:Faults probabilities (RateLimit + ServerError + ServiceUnavailable + Drop) must add up to at most 1, not 1.1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probabilities_adding_up_to_exactly_one_are_accepted()
    {
        using var server = MockServerFactory.With(("Mock:Faults:RateLimit", "0.25"), ("Mock:Faults:ServerError", "0.25"), ("Mock:Faults:ServiceUnavailable", "0.25"), ("Mock:Faults:Drop", "0.25"));

        (await server.Api().Get("/_mock/config")).Ok();
    }
}
