using System.Text.Json.Serialization;

namespace MockRunsServer.Wire;

/// <summary>
/// An enum as its name only: a number in its place (a hand-edited state file, a config body) is
/// refused rather than read as whatever member has that value, or as none.
/// </summary>
public sealed class StrictStringEnumConverter<T>() : JsonStringEnumConverter<T>(namingPolicy: null, allowIntegerValues: false)
    where T : struct, Enum;
