using System.Runtime.CompilerServices;

namespace MockRunsServer.Store;

/// <summary>
/// An id kept in place, in the struct that owns it, instead of as a string of its own: a string
/// per object kept is one more object for the GC to copy. Holds up to <see cref="MaxLength"/>
/// ASCII characters (the ids made here are a prefix and 24 letters and digits); the default value
/// is the empty id.
/// </summary>
public readonly struct InlineId
{
    public const int MaxLength = 31;

    private readonly Bytes32 bytes;

    private InlineId(ReadOnlySpan<char> id)
    {
        bytes[0] = (byte)id.Length;
        for (var i = 0; i < id.Length; i++)
        {
            bytes[i + 1] = (byte)id[i];
        }
    }

    public int Length => bytes[0];

    /// <summary>Whether an id can be kept in place: short enough and all ASCII.</summary>
    public static bool Fits(ReadOnlySpan<char> id) => id.Length <= MaxLength && System.Text.Ascii.IsValid(id);

    public static InlineId Of(ReadOnlySpan<char> id) =>
        Fits(id) ? new InlineId(id) : throw new ArgumentException($"The id '{id}' is longer than {MaxLength} characters or not ASCII.", nameof(id));

    /// <summary>Compares with a string without making one.</summary>
    public bool Is(ReadOnlySpan<char> id)
    {
        if (id.Length != Length)
        {
            return false;
        }
        for (var i = 0; i < id.Length; i++)
        {
            if (id[i] != bytes[i + 1])
            {
                return false;
            }
        }
        return true;
    }

    public override string ToString()
    {
        var length = Length;
        return string.Create(length, this, static (chars, id) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)id.bytes[i + 1];
            }
        });
    }

    [InlineArray(MaxLength + 1)]
    private struct Bytes32
    {
        private byte first;
    }
}
