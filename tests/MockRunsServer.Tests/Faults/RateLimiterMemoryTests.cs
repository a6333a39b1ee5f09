using Microsoft.Extensions.Options;
using MockRunsServer.Http;
using MockRunsServer.Options;
using MockRunsServer.Runs;
using MockRunsServer.Scenarios;

namespace MockRunsServer.Tests.Faults;

/// <summary>The limiter keeps a bucket per API key; keys that stop coming are forgotten, so distinct keys can't hold memory for ever.</summary>
public sealed class RateLimiterMemoryTests
{
    private static (RateLimiter Limiter, MockClock Clock) Limiter()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new MockOptions
        {
            Clock = new ClockOptions { Mode = ClockMode.Manual, Start = 1_700_000_000 },
            RateLimits = new RateLimitOptions { RequestsPerMinute = 6 },
        });
        var clock = new MockClock(options, TimeProvider.System);
        return (new RateLimiter(clock, new LiveConfig(options)), clock);
    }

    [Fact]
    public void A_burst_of_keys_that_never_come_again_is_forgotten_a_minute_later()
    {
        var (limiter, clock) = Limiter();
        for (var i = 0; i < 25_000; i++)
        {
            Assert.True(limiter.Admit($"sk-burst-{i}", 0).Allowed);
        }
        Assert.True(limiter.KeyCount > 10_000, $"{limiter.KeyCount} keys");

        clock.MoveTo(clock.NowMs + 61_000);
        Assert.True(limiter.Admit("sk-later", 0).Allowed);

        Assert.Equal(1, limiter.KeyCount);
    }

    [Fact]
    public void A_key_still_spending_its_budget_is_kept_and_keeps_what_it_spent()
    {
        var (limiter, clock) = Limiter();
        for (var i = 0; i < 6; i++)
        {
            Assert.True(limiter.Admit("sk-busy", 0).Allowed);
        }

        clock.MoveTo(clock.NowMs + 60_000);
        for (var i = 0; i < 6; i++)
        {
            Assert.True(limiter.Admit("sk-busy", 0).Allowed);
        }
        clock.MoveTo(clock.NowMs + 30_000);

        // Half a minute refills three of the six: the fourth request is refused.
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => limiter.Admit("sk-busy", 0).Allowed));
    }
}
