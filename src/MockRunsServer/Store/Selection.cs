namespace MockRunsServer.Store;

/// <summary>Order statistics without a full sort.</summary>
public static class Selection
{
    /// <summary>
    /// The value that would sit at <paramref name="k"/> (0-based) if <paramref name="values"/> were
    /// sorted ascending, in expected linear time (Hoare's quickselect). Reorders the array.
    /// </summary>
    public static long KthSmallest(long[] values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        var low = 0;
        var high = values.Length - 1;
        while (low < high)
        {
            // The middle element as pivot: recency values arrive nearly sorted, where the first would be the worst choice.
            var pivot = values[low + (high - low) / 2];
            var i = low;
            var j = high;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }
                while (values[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                return values[k];
            }
        }
        return values[k];
    }
}
