using MockRunsServer.Wire;

namespace MockRunsServer.Store;

/// <summary>
/// Every run's steps, in slots (<see cref="StepSlot"/>); a run holds its first and last slot and
/// each step the next, in creation order. The caller holds the run's thread lock, as it did for
/// the step objects this replaces; a deleted run's steps are given back under that lock.
/// </summary>
public sealed class StepTable
{
    private readonly SlotTable<StepSlot> slots = new();

    public ref StepSlot this[int slot] => ref slots[slot];

    /// <summary>Steps kept, for tests and benchmarks.</summary>
    public int Count => slots.Count;

    /// <summary>Adds a step after the run's last one; returns its slot.</summary>
    public int Append(RunRecord run, in StepSlot step)
    {
        var slot = slots.Add(step);
        if (run.LastStep >= 0)
        {
            slots[run.LastStep].Next = slot;
        }
        else
        {
            run.FirstStep = slot;
        }
        run.LastStep = slot;
        run.StepCount++;
        return slot;
    }

    /// <summary>Gives back the run's steps (its thread is deleted); the run shows none after.</summary>
    public void FreeAll(RunRecord run)
    {
        for (var slot = run.FirstStep; slot >= 0;)
        {
            var next = slots[slot].Next;
            slots.Free(slot);
            slot = next;
        }
        run.FirstStep = -1;
        run.LastStep = -1;
        run.CurrentStep = -1;
        run.StepCount = 0;
    }

    public void Clear() => slots.Clear();

    /// <summary>The run's steps' slots, first to last.</summary>
    public Slots Of(RunRecord run) => new(this, run.FirstStep);

    /// <summary>The slot of the run's step with this id, or -1.</summary>
    public int Find(RunRecord run, string id)
    {
        foreach (var slot in Of(run))
        {
            if (slots[slot].Id.Is(id))
            {
                return slot;
            }
        }
        return -1;
    }

    public RunStepObject ToWire(RunRecord run, int slot) => slots[slot].ToWire(run.Run);

    /// <summary>The run's steps as the API shows them, first to last.</summary>
    public List<RunStepObject> ToWire(RunRecord run)
    {
        var steps = new List<RunStepObject>(run.StepCount);
        foreach (var slot in Of(run))
        {
            steps.Add(ToWire(run, slot));
        }
        return steps;
    }

    /// <summary>One page of the run's steps, with the cursors and order of every other list.</summary>
    public Page<RunStepObject> Page(RunRecord run, PageRequest page)
    {
        var steps = new OrderedCollection<RunStepObject>();
        foreach (var slot in Of(run))
        {
            steps.Add(ToWire(run, slot));
        }
        return steps.Page(page);
    }

    public readonly struct Slots(StepTable table, int first)
    {
        public Enumerator GetEnumerator() => new(table, first);

        public struct Enumerator(StepTable table, int first)
        {
            private int next = first;

            public int Current { get; private set; } = -1;

            public bool MoveNext()
            {
                if (next < 0)
                {
                    return false;
                }
                Current = next;
                next = table.slots[next].Next;
                return true;
            }
        }
    }
}
