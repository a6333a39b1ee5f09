using MockRunsServer.Store;

namespace MockRunsServer.Tests.Store;

/// <summary>
/// The files of the vector stores made here outlive the threads retention drops, so they are bounded
/// on their own: by stores and by file ids in all, the oldest stores going first.
/// </summary>
public sealed class VectorStoreFilesTests
{
    private static IEnumerable<string> Files(string store, int count) => Enumerable.Range(0, count).Select(i => $"file-{store}-{i}");

    [Fact]
    public void Past_the_file_budget_the_oldest_stores_are_forgotten_and_the_newest_kept_whole()
    {
        var stores = new VectorStoreFiles();
        var perStore = VectorStoreFiles.MaxFiles / 10;

        for (var i = 0; i < 25; i++)
        {
            stores.Add($"vs_{i}", Files($"vs_{i}", perStore));
        }

        Assert.Equal((10, VectorStoreFiles.MaxFiles), stores.Count());
        Assert.Empty(stores.Of("vs_14"));
        Assert.Equal(Files("vs_15", perStore), stores.Of("vs_15"));
        Assert.Equal(Files("vs_24", perStore), stores.Of("vs_24"));
    }

    [Fact]
    public void Files_added_to_the_oldest_store_keep_it_and_forget_the_next_oldest_instead()
    {
        var stores = new VectorStoreFiles();
        var half = VectorStoreFiles.MaxFiles / 2;
        stores.Add("vs_old", Files("a", half));
        stores.Add("vs_middle", Files("b", half - 10));
        stores.Add("vs_new", Files("c", 10));

        stores.AddTo("vs_old", Files("d", 10));

        Assert.Equal(half + 10, stores.Of("vs_old").Length);
        Assert.Empty(stores.Of("vs_middle"));
        Assert.Equal(10, stores.Of("vs_new").Length);
        Assert.Equal((2, half + 20), stores.Count());
    }

    [Fact]
    public void No_more_than_the_capacity_of_stores_is_kept_however_small_they_are()
    {
        var stores = new VectorStoreFiles();

        for (var i = 0; i < VectorStoreFiles.Capacity + 5; i++)
        {
            stores.Add($"vs_{i}", [$"file-{i}"]);
        }

        Assert.Equal((VectorStoreFiles.Capacity, VectorStoreFiles.Capacity), stores.Count());
        Assert.Empty(stores.Of("vs_4"));
        Assert.Equal(["file-5"], stores.Of("vs_5"));
    }

    [Fact]
    public void A_reset_forgets_every_store_and_its_count()
    {
        var stores = new VectorStoreFiles();
        stores.Add("vs_a", Files("a", 3));

        stores.Clear();
        stores.Add("vs_b", Files("b", 2));

        Assert.Equal((1, 2), stores.Count());
    }
}
