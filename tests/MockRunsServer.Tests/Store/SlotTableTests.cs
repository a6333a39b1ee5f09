using MockRunsServer.Store;

namespace MockRunsServer.Tests.Store;

/// <summary>The chunked table that keeps steps as structs: slots are unique while taken, reused once given back, and cleared.</summary>
public sealed class SlotTableTests
{
    private struct Entry
    {
        public int Value;
        public string? Text;
    }

    [Fact]
    public void A_slot_holds_what_was_added_and_can_be_changed_in_place()
    {
        var table = new SlotTable<Entry>();
        var slot = table.Add(new Entry { Value = 7, Text = "seven" });

        table[slot].Value++;

        Assert.Equal(8, table[slot].Value);
        Assert.Equal("seven", table[slot].Text);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_slot_given_back_is_cleared_and_taken_again_before_any_new_one()
    {
        var table = new SlotTable<Entry>();
        var first = table.Add(new Entry { Value = 1, Text = "kept alive" });
        var second = table.Add(new Entry { Value = 2 });

        table.Free(first);

        Assert.Null(table[first].Text);
        Assert.Equal(1, table.Count);
        Assert.Equal(first, table.Add(new Entry { Value = 3 }));
        Assert.Equal(3, table[first].Value);
        Assert.Equal(2, table[second].Value);
    }

    [Fact]
    public void Slots_past_one_chunk_keep_their_values_as_the_table_grows()
    {
        var table = new SlotTable<Entry>();
        var slots = Enumerable.Range(0, 5_000).Select(i => table.Add(new Entry { Value = i })).ToArray();

        Assert.Equal(Enumerable.Range(0, 5_000), slots.Select(slot => table[slot].Value));
        Assert.Equal(5_000, slots.Distinct().Count());
    }

    [Fact]
    public void Clear_gives_every_slot_back()
    {
        var table = new SlotTable<Entry>();
        for (var i = 0; i < 3_000; i++)
        {
            table.Add(new Entry { Value = i });
        }

        table.Clear();

        Assert.Equal(0, table.Count);
        Assert.Equal(0, table.Add(new Entry { Value = 9 }));
        Assert.Equal(9, table[0].Value);
    }

    [Fact]
    public async Task Concurrent_adds_and_frees_never_hand_out_a_slot_twice()
    {
        var table = new SlotTable<Entry>();
        var kept = new System.Collections.Concurrent.ConcurrentBag<(int Slot, int Value)>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var value = worker * 1_000_000 + i;
                var slot = table.Add(new Entry { Value = value });
                if (i % 2 == 0)
                {
                    Assert.Equal(value, table[slot].Value);
                    table.Free(slot);
                }
                else
                {
                    kept.Add((slot, value));
                }
            }
        })));

        Assert.Equal(kept.Count, kept.Select(entry => entry.Slot).Distinct().Count());
        Assert.All(kept, entry => Assert.Equal(entry.Value, table[entry.Slot].Value));
        Assert.Equal(kept.Count, table.Count);
    }
}
