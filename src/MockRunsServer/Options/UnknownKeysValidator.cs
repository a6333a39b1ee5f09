using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace MockRunsServer.Options;

/// <summary>
/// Refuses keys under <c>Mock</c> that name no setting (a typo such as <c>Mock:Clock:Mod</c> would
/// otherwise be ignored while the server runs with the default), naming each by its full path.
/// Scenario names, outcome weights and rule indexes are keys the user chooses, so only what is
/// under them is checked.
/// </summary>
public sealed class UnknownKeysValidator(IConfiguration configuration) : IValidateOptions<MockOptions>
{
    public ValidateOptionsResult Validate(string? name, MockOptions options)
    {
        var unknown = new List<string>();
        Walk(configuration.GetSection(MockOptions.Section), typeof(MockOptions), unknown);
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(unknown.Select(path => $"{path} is not a setting the server knows."));
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> unknown)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsValue(type))
        {
            return;
        }
        if (ElementType(type) is { } element)
        {
            foreach (var child in section.GetChildren())
            {
                Walk(child, element, unknown);
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
                Walk(child, property.PropertyType, unknown);
            }
            else
            {
                unknown.Add(child.Path);
            }
        }
    }

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
