namespace MockRunsServer.Store;

/// <summary>
/// Every thread's messages, in slots (<see cref="MessageSlot"/>); a thread lists its own in order
/// (<see cref="ThreadRecord.Messages"/>). The caller holds the message's thread lock, as it did for
/// the message objects this replaces.
/// </summary>
public sealed class MessageTable
{
    private readonly SlotTable<MessageSlot> slots = new();

    public ref MessageSlot this[int slot] => ref slots[slot];

    /// <summary>Messages kept, for tests and benchmarks.</summary>
    public int Count => slots.Count;

    /// <summary>Keeps a message; it stands after every message kept before it.</summary>
    public MessageRef Add(in MessageSlot message) => new(this, slots.Add(message), Sequence.Next());

    /// <summary>
    /// Takes the message out of its thread: given back at once, or, when the thread's run still
    /// writes it, once the run lets go of it (<see cref="Release"/>), so that the run never writes
    /// into a slot given to another message.
    /// </summary>
    public void Remove(ThreadRecord thread, MessageRef message, RemovedIds? remember)
    {
        thread.Messages.Remove(message, remember);
        if (thread.ActiveRun?.CurrentMessage == message.Slot)
        {
            slots[message.Slot].Detached = true;
        }
        else
        {
            slots.Free(message.Slot);
        }
    }

    /// <summary>The run stops writing its message; a message deleted meanwhile is given back now.</summary>
    public void Release(RunRecord run)
    {
        if (run.CurrentMessage >= 0 && slots[run.CurrentMessage].Detached)
        {
            slots.Free(run.CurrentMessage);
        }
        run.CurrentMessage = -1;
    }

    /// <summary>
    /// Gives back a thread's messages (it is deleted, or was never stored). Its runs
    /// <see cref="Release"/> theirs first: a slot given back can be taken by another thread's message at once.
    /// </summary>
    public void FreeAll(ref OrderedCollection<MessageRef> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            slots.Free(messages[i].Slot);
        }
        messages.Clear();
    }

    public void Clear() => slots.Clear();
}

/// <summary>A thread's message: its slot in the store's <see cref="MessageTable"/>, and where it stands in the thread.</summary>
public readonly struct MessageRef(MessageTable table, int slot, long seq) : ISequenced
{
    public int Slot => slot;

    public long Seq => seq;

    /// <summary>False for the default value, which <see cref="OrderedCollection{T}.Get"/> answers when no message has the id.</summary>
    public bool Exists => table is not null;

    public ref MessageSlot Value => ref table[slot];

    /// <summary>Made on each call: for answers and indexes, not for comparing (<see cref="HasId"/>).</summary>
    public string Id => table[slot].Id.ToString();

    public bool HasId(ReadOnlySpan<char> id) => table[slot].Id.Is(id);
}
