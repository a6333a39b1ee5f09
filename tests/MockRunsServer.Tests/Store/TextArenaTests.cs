using MockRunsServer.Store;

namespace MockRunsServer.Tests.Store;

/// <summary>Texts kept in shared chunks: each reads back as it was added, whatever was added around it.</summary>
public sealed class TextArenaTests
{
    [Theory]
    [InlineData("Lorem ipsum dolor sit amet.")]
    [InlineData("x")]
    [InlineData("an emoji 🙂 and a citation 【4:0†notes.txt】")]
    public void A_text_reads_back_as_it_was_added(string text)
    {
        var added = new TextArena().Add(text);

        Assert.Equal(text, added.ToString());
        Assert.Equal(text.Length, added.Length);
        Assert.Equal(text, new string(added.Span));
    }

    [Fact]
    public void The_empty_text_is_the_default_and_reads_as_empty()
    {
        var added = new TextArena().Add("");

        Assert.Equal(0, added.Length);
        Assert.Equal(string.Empty, added.ToString());
        Assert.Equal(string.Empty, default(ArenaText).ToString());
        Assert.Equal(string.Empty, added.Slice(0, 0));
    }

    [Fact]
    public void Texts_added_past_a_chunk_s_end_and_long_ones_each_read_back_whole()
    {
        var arena = new TextArena();
        var texts = Enumerable.Range(0, 3 * TextArena.ChunkChars / 100)
            .Select(i => i % 50 == 0 ? new string((char)('a' + i % 26), TextArena.LongText + i) : $"text {i} " + new string('.', i % 90))
            .ToList();

        var added = texts.Select(text => arena.Add(text)).ToList();

        Assert.Equal(texts, added.Select(text => text.ToString()));
    }

    [Fact]
    public void A_prefix_and_a_slice_read_the_same_characters_as_the_string_would()
    {
        var text = "one two three four";
        var added = new TextArena().Add(text);

        Assert.Equal("one two", added.Prefix(7).ToString());
        Assert.Equal(text, added.Prefix(100).ToString());
        Assert.Equal(string.Empty, added.Prefix(0).ToString());
        Assert.Equal(" three", added.Slice(7, 13));
    }

    [Fact]
    public async Task Texts_added_from_many_threads_at_once_each_read_back_as_their_own()
    {
        var arena = new TextArena();

        var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
            Enumerable.Range(0, 5_000).Select(i => (Expected: $"worker {worker} text {i}", Text: arena.Add($"worker {worker} text {i}"))).ToList())));

        Assert.All(added.SelectMany(list => list), pair => Assert.Equal(pair.Expected, pair.Text.ToString()));
    }
}
