using System.Globalization;
using MockRunsServer.Store;
using MockRunsServer.Wire;
using MockRunsServer.Wire.Validation;

namespace MockRunsServer.Http;

/// <summary>The list parameters every list endpoint takes: limit (1–100), order, after, before.</summary>
public static class ListQuery
{
    public static PageRequest Read(HttpRequest request)
    {
        var query = request.Query;
        var limit = 20;
        if (query.TryGetValue("limit", out var limitValues) && limitValues.ToString() is { Length: > 0 } limitText)
        {
            if (!long.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                throw ApiError.BadRequest($"Invalid type for 'limit': expected an integer, but got a string instead.", "limit", "invalid_type");
            }
            if (parsed > 100)
            {
                throw ApiError.BadRequest($"Invalid 'limit': integer above maximum value. Expected a value <= 100, but got {parsed} instead.", "limit", "integer_above_max_value");
            }
            if (parsed < 1)
            {
                throw ApiError.BadRequest($"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got {parsed} instead.", "limit", "integer_below_min_value");
            }
            limit = (int)parsed;
        }
        var ascending = false;
        if (query.TryGetValue("order", out var orderValues) && orderValues.ToString() is { Length: > 0 } order)
        {
            ascending = order switch
            {
                "asc" => true,
                "desc" => false,
                _ => throw ApiError.BadRequest($"Invalid value: '{order}'. Supported values are: {FieldReader.SupportedList(["asc", "desc"])}.", "order", "invalid_value"),
            };
        }
        var after = query.TryGetValue("after", out var afterValues) && afterValues.ToString() is { Length: > 0 } a ? a : null;
        var before = query.TryGetValue("before", out var beforeValues) && beforeValues.ToString() is { Length: > 0 } b ? b : null;
        return new PageRequest(limit, ascending, after, before);
    }
}
