using MockRunsServer.Store;

namespace MockRunsServer.Tests.Threads;

/// <summary>Retention finds its cut-off by selection; it must agree with a full sort on every input.</summary>
public sealed class LeastRecentlyUsedSelectionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1000)]
    public void The_kth_smallest_value_is_the_one_a_sort_puts_at_k(int length)
    {
        var random = new Random(length);
        for (var trial = 0; trial < 50; trial++)
        {
            // Few distinct values in some trials, so duplicates and equal pivots are exercised too.
            var range = trial % 3 == 0 ? 4 : 1_000_000;
            var values = Enumerable.Range(0, length).Select(_ => (long)random.Next(range)).ToArray();
            var sorted = values.Order().ToArray();
            var k = random.Next(length);

            Assert.Equal(sorted[k], Selection.KthSmallest((long[])values.Clone(), k));
        }
    }

    [Fact]
    public void Ascending_and_descending_inputs_select_correctly()
    {
        var ascending = Enumerable.Range(0, 10_000).Select(i => (long)i).ToArray();
        var descending = ascending.Reverse().ToArray();

        Assert.Equal(2_499, Selection.KthSmallest(ascending, 2_499));
        Assert.Equal(9_999, Selection.KthSmallest(descending, 9_999));
        Assert.Equal(0, Selection.KthSmallest(descending, 0));
    }

    [Fact]
    public void A_position_outside_the_values_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Selection.KthSmallest([1, 2, 3], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Selection.KthSmallest([1, 2, 3], -1));
    }
}
