using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace MockRunsServer.Options;

/// <summary>
/// Refuses what the configuration binder would otherwise skip without a word, each named by its
/// full path: keys under <c>Mock</c> that name no setting (a typo such as <c>Mock:Clock:Mod</c>), a
/// value where settings go or settings where a value goes (<c>"Clock": "manual"</c>,
/// <c>"Seed": [42]</c>, <c>--Mock:Auth:ApiKeys=sk-1</c>), a value that does not convert inside a
/// dictionary or list (the binder drops an outcome weight of <c>abc</c>, or a whole scenario with a
/// <c>ToolCalls</c> of 1.5), and an enum given as a number. (The binder takes list entries whatever
/// their keys, and an empty dictionary entry as a removal, so neither is refused.)
/// Scenario names, outcome weights and rule indexes are keys the user chooses, so only what is
/// under them is checked against the settings.
/// </summary>
public sealed class UnknownKeysValidator(IConfiguration configuration) : IValidateOptions<MockOptions>
{
    public ValidateOptionsResult Validate(string? name, MockOptions options)
    {
        var problems = new List<string>();
        Walk(configuration.GetSection(MockOptions.Section), typeof(MockOptions), problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> problems)
    {
        var nullable = Nullable.GetUnderlyingType(type) is not null || !type.IsValueType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type))
        {
            foreach (var child in section.GetChildren())
            {
                problems.Add($"{child.Path} is not a setting the server knows ({section.Path} takes one value).");
            }
            if (section.Value is { } value && !(nullable && value.Length == 0) && !Converts(value, type))
            {
                problems.Add($"{section.Path} '{value}' is not {Describe(type)}.");
            }
            return;
        }
        if (!string.IsNullOrEmpty(section.Value))
        {
            problems.Add(ElementType(type) is null
                ? $"{section.Path} takes settings under it ({section.Path}:…), not the value '{section.Value}'."
                : $"{section.Path} takes entries under it ({section.Path}:{(type.IsArray || typeof(IList).IsAssignableFrom(type) ? "0" : "<name>")}, …), not the value '{section.Value}'.");
        }
        if (ElementType(type) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                // An empty entry removes it (an outcome weight set to "" in the environment): the binder skips it, as meant.
                if (child.Value is { Length: 0 } && IsValue(Nullable.GetUnderlyingType(element) ?? element))
                {
                    continue;
                }
                Walk(child, element, problems);
            }
            return;
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite || !IsValue(property.PropertyType))
            .ToDictionary(property => property.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                Walk(child, property.PropertyType, problems);
            }
            else
            {
                problems.Add($"{child.Path} is not a setting the server knows.");
            }
        }
    }

    /// <summary>Whether the binder would take the value: the converter it uses, and for an enum a defined name (not a number).</summary>
    private static bool Converts(string value, Type type)
    {
        try
        {
            var converted = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return !type.IsEnum
                || (converted is not null && Enum.IsDefined(type, converted) && !value.Trim().All(c => char.IsAsciiDigit(c) || c is '-' or '+'));
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or NotSupportedException or OverflowException || exception.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for the messages that refuse one.</summary>
    internal static string Describe(Type type) =>
        type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type).Select(name => name.ToLowerInvariant()))}"
        : type == typeof(TimeSpan) ? "a duration ([d.]hh:mm:ss[.fff])"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) || type == typeof(decimal) ? "a number"
        : $"a valid {type.Name}";

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset);

    /// <summary>The element type of a dictionary or list, whose keys the user names.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (!typeof(IEnumerable).IsAssignableFrom(type) || !type.IsGenericType)
        {
            return null;
        }
        var arguments = type.GetGenericArguments();
        return arguments[^1];
    }
}
