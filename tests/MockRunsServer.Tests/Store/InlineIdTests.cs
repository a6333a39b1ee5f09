using MockRunsServer.Store;

namespace MockRunsServer.Tests.Store;

/// <summary>Ids kept in place of a string: the same text back, compared without a string, and only ids that fit.</summary>
public sealed class InlineIdTests
{
    [Theory]
    [InlineData("step_abcDEF0123456789ghijKLMN")]
    [InlineData("thread_abcDEF0123456789ghijKLMN")]
    [InlineData("")]
    [InlineData("x")]
    public void An_id_comes_back_as_it_was_given(string id)
    {
        var inline = InlineId.Of(id);

        Assert.Equal(id, inline.ToString());
        Assert.Equal(id.Length, inline.Length);
        Assert.True(inline.Is(id));
    }

    [Theory]
    [InlineData("step_abc", "step_abd")]
    [InlineData("step_abc", "step_ab")]
    [InlineData("step_abc", "step_abcd")]
    [InlineData("step_abc", "STEP_ABC")]
    [InlineData("step_abc", "")]
    public void Another_id_is_not_taken_for_it(string id, string other)
    {
        Assert.False(InlineId.Of(id).Is(other));
    }

    [Theory]
    [InlineData("step_0123456789012345678901234567")]
    [InlineData("step_é")]
    [InlineData("step_中")]
    public void An_id_too_long_or_not_ascii_does_not_fit_and_is_refused(string id)
    {
        Assert.False(InlineId.Fits(id));
        Assert.Throws<ArgumentException>(() => InlineId.Of(id));
    }

    [Fact]
    public void The_default_is_the_empty_id()
    {
        Assert.Equal("", default(InlineId).ToString());
        Assert.True(default(InlineId).Is(""));
    }
}
