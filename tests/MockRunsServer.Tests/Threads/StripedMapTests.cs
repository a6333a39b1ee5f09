using MockRunsServer.Store;

namespace MockRunsServer.Tests.Threads;

/// <summary>The map that finds threads and runs by id: every add, remove and count holds under concurrent use.</summary>
public sealed class StripedMapTests
{
    private sealed record Item(string Id);

    [Fact]
    public void An_added_item_is_found_by_its_id_and_a_removed_one_is_not()
    {
        var map = new StripedMap<Item>();
        var item = new Item("thread_abc123");

        Assert.True(map.TryAdd(item.Id, item));
        Assert.False(map.TryAdd(item.Id, new Item(item.Id)));
        Assert.Same(item, map.Get(item.Id));
        Assert.Equal(1, map.Count);

        Assert.True(map.Remove(item.Id));
        Assert.False(map.Remove(item.Id));
        Assert.Null(map.Get(item.Id));
        Assert.Equal(0, map.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("thread_\u00e9\u4e2d")]
    public void Any_id_can_be_looked_up_even_one_never_added(string id)
    {
        var map = new StripedMap<Item>();

        Assert.Null(map.Get(id));
        Assert.True(map.TryAdd(id, new Item(id)));
        Assert.Equal(id, map.Get(id)!.Id);
    }

    [Fact]
    public async Task Concurrent_adds_and_removes_leave_exactly_the_survivors_and_their_count()
    {
        var map = new StripedMap<Item>();
        var ids = Enumerable.Range(0, 40_000).Select(i => $"run_{i:D6}{(char)('a' + i % 26)}{(char)('A' + i / 26 % 26)}").ToArray();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = worker; i < ids.Length; i += 4)
            {
                Assert.True(map.TryAdd(ids[i], new Item(ids[i])));
                if (i % 3 == 0)
                {
                    Assert.True(map.Remove(ids[i]));
                }
            }
        })));

        var survivors = ids.Where((_, i) => i % 3 != 0).ToHashSet();
        Assert.Equal(survivors.Count, map.Count);
        Assert.Equal(survivors.Order(), map.Snapshot().Select(item => item.Id).Order());
        Assert.All(ids, id => Assert.Equal(survivors.Contains(id), map.Get(id) is not null));
    }

    [Fact]
    public async Task The_count_never_goes_below_zero_while_clears_race_with_adds()
    {
        var map = new StripedMap<Item>();
        var adders = Enumerable.Range(0, 3).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 30_000; i++)
            {
                var id = $"thread_{worker}_{i}";
                map.TryAdd(id, new Item(id));
            }
        })).ToArray();

        var lowest = int.MaxValue;
        var rounds = 0;
        while (!adders.All(adder => adder.IsCompleted) || rounds < 10)
        {
            map.Clear();
            lowest = Math.Min(lowest, map.Count);
            _ = map.Snapshot();
            rounds++;
        }
        await Task.WhenAll(adders);

        Assert.True(lowest >= 0, $"The count went down to {lowest}.");
        Assert.Equal(map.Snapshot().Count, map.Count);
    }

    [Fact]
    public void Clear_empties_every_stripe_and_the_count()
    {
        var map = new StripedMap<Item>();
        for (var i = 0; i < 1000; i++)
        {
            map.TryAdd($"msg_{i}", new Item($"msg_{i}"));
        }

        map.Clear();

        Assert.Equal(0, map.Count);
        Assert.Empty(map.Snapshot());
        Assert.Null(map.Get("msg_7"));
    }
}
