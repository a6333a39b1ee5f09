namespace MockRunsServer.Wire;

/// <summary>
/// Nullable numbers of the wire objects kept in their plain type, with a value they can never
/// take standing for null: a <c>long?</c> field takes 16 bytes, a <c>long</c> 8, and a server
/// holding a million runs holds a dozen of them per run. The properties stay nullable.
/// </summary>
internal static class Packed
{
    public const long NoLong = long.MinValue;
    public const int NoInt = int.MinValue;
    public const double NoDouble = double.NaN;

    public static long? Get(long value) => value == NoLong ? null : value;

    public static long Set(long? value) => value ?? NoLong;

    public static int? Get(int value) => value == NoInt ? null : value;

    public static int Set(int? value) => value ?? NoInt;

    public static double? Get(double value) => double.IsNaN(value) ? null : value;

    public static double Set(double? value) => value ?? NoDouble;
}
