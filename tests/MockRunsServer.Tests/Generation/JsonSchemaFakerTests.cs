using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bogus;
using Json.Schema;
using MockRunsServer.Generation;

namespace MockRunsServer.Tests.Generation;

public sealed class JsonSchemaFakerTests
{
    private const int Samples = 1000;
    private const int Seed = 20240615;

    // Flag output stops at the first failure, which keeps 1000 checks per schema quick;
    // a failing value is evaluated again with the list output to explain it.
    private static readonly EvaluationOptions StrictFormats = new()
    {
        RequireFormatValidation = true,
        OutputFormat = OutputFormat.Flag,
    };

    private static readonly EvaluationOptions StrictFormatsExplained = new()
    {
        RequireFormatValidation = true,
        OutputFormat = OutputFormat.List,
    };

    private const string WeatherParameters = """
        {
          "type": "object",
          "properties": {
            "location": { "type": "string", "description": "The city and state, e.g. San Francisco, CA" },
            "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] }
          },
          "required": ["location"]
        }
        """;

    /// <summary>
    /// Each case: what it covers, the schema given to the generator, and (when JsonSchema.Net cannot
    /// read the schema itself, as with draft-4 boolean bounds) an equivalent schema to validate against.
    /// </summary>
    public static TheoryData<string, string, string?> Schemas => new()
    {
        {
            "enum and required",
            """{"type":"object","properties":{"status":{"type":"string","enum":["open","closed","pending"]},"priority":{"type":"integer","enum":[1,2,3]},"note":{"type":"string"}},"required":["status","priority"],"additionalProperties":false}""",
            null
        },
        {
            "nested objects",
            """{"type":"object","properties":{"user":{"type":"object","properties":{"name":{"type":"string"},"email":{"type":"string","format":"email"},"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"},"zip":{"type":"string","pattern":"^\\d{5}$"}},"required":["city","zip"],"additionalProperties":false}},"required":["name","address"],"additionalProperties":false}},"required":["user"],"additionalProperties":false}""",
            null
        },
        {
            "array with minItems and maxItems",
            """{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string","minLength":2,"maxLength":12},"minItems":2,"maxItems":5},"scores":{"type":"array","items":{"type":"integer","minimum":0,"maximum":9},"minItems":4},"empty":{"type":"array","maxItems":0}},"required":["tags","scores","empty"]}""",
            null
        },
        {
            "array with uniqueItems",
            """{"type":"object","properties":{"numbers":{"type":"array","items":{"type":"integer","minimum":1,"maximum":10},"minItems":4,"maxItems":6,"uniqueItems":true},"letters":{"type":"array","items":{"enum":["a","b","c","d"]},"minItems":3,"uniqueItems":true},"flags":{"type":"array","items":{"type":"boolean"},"minItems":2,"uniqueItems":true}},"required":["numbers","letters","flags"]}""",
            null
        },
        {
            "exclusive bounds at the edge of what a property's name suggests",
            """{"type":"object","properties":{"price":{"type":"number","exclusiveMinimum":500},"count":{"type":"number","exclusiveMaximum":1},"rating":{"type":"number","exclusiveMinimum":5},"temperature":{"type":"number","exclusiveMinimum":40},"total":{"type":"number","exclusiveMinimum":500,"maximum":600}},"required":["price","count","rating","temperature","total"]}""",
            null
        },
        {
            "anyOf",
            """{"type":"object","properties":{"id":{"anyOf":[{"type":"string","maxLength":5},{"type":"integer","minimum":10}]},"filter":{"anyOf":[{"type":"null"},{"type":"object","properties":{"field":{"type":"string"},"op":{"enum":["eq","ne","gt"]}},"required":["field","op"],"additionalProperties":false}]}},"required":["id","filter"]}""",
            null
        },
        {
            "oneOf with overlapping integer branches",
            """{"oneOf":[{"type":"integer","multipleOf":3},{"type":"integer","multipleOf":5}]}""",
            null
        },
        {
            "oneOf with a number and an integer branch",
            """{"oneOf":[{"type":"number"},{"type":"integer"},{"type":"string","format":"uuid"}]}""",
            null
        },
        {
            "oneOf of tagged objects",
            """{"oneOf":[{"type":"object","properties":{"kind":{"const":"circle"},"radius":{"type":"number","exclusiveMinimum":0}},"required":["kind","radius"],"additionalProperties":false},{"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number","exclusiveMinimum":0}},"required":["kind","side"],"additionalProperties":false}]}""",
            null
        },
        {
            "$ref to $defs",
            """{"type":"object","properties":{"home":{"$ref":"#/$defs/address"},"work":{"$ref":"#/$defs/address"}},"required":["home"],"additionalProperties":false,"$defs":{"address":{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string","minLength":2}},"required":["city","country"],"additionalProperties":false}}}""",
            null
        },
        {
            "$ref to definitions",
            """{"type":"object","properties":{"items":{"type":"array","items":{"$ref":"#/definitions/item"},"minItems":1}},"required":["items"],"definitions":{"item":{"type":"object","properties":{"sku":{"type":"string","pattern":"^[A-Z]{2}-[0-9]{4}$"},"quantity":{"type":"integer","minimum":1,"maximum":99}},"required":["sku","quantity"]}}}""",
            null
        },
        {
            "$ref with sibling keywords",
            """{"type":"object","properties":{"start":{"$ref":"#/$defs/day","description":"first day"},"end":{"$ref":"#/$defs/day","maxLength":10}},"required":["start","end"],"$defs":{"day":{"type":"string","format":"date"}}}""",
            null
        },
        {
            "recursive tree",
            """{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["value","children"],"additionalProperties":false}}}""",
            null
        },
        {
            "recursive linked list through anyOf",
            """{"$ref":"#/$defs/list","$defs":{"list":{"anyOf":[{"type":"null"},{"type":"object","properties":{"head":{"type":"string"},"tail":{"$ref":"#/$defs/list"}},"required":["head","tail"]}]}}}""",
            null
        },
        {
            "recursion through the root",
            """{"type":"object","properties":{"name":{"type":"string"},"parent":{"$ref":"#"}},"required":["name"]}""",
            null
        },
        {
            "patterns",
            """{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]{3}-\\d{4}$"},"slug":{"type":"string","pattern":"^[a-z0-9]+(?:-[a-z0-9]+)*$"},"phone":{"type":"string","pattern":"^\\+?1?\\(?\\d{3}\\)?[ -]?\\d{3}-\\d{4}$"},"pet":{"type":"string","pattern":"^(cat|dog|bird)s?$"},"unanchored":{"type":"string","pattern":"ab+c","minLength":10},"mail":{"type":"string","pattern":"^\\w+@\\w+\\.(com|org)$"},"hex":{"type":"string","pattern":"^#[0-9a-fA-F]{6}$"},"not_slash":{"type":"string","pattern":"^[^/\\s]{3,8}$"},"echo":{"type":"string","pattern":"^(\\w)x\\1$"},"ranged":{"type":"string","pattern":"^[a-z]+$","minLength":20,"maxLength":24},"version":{"type":"string","pattern":"^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$"},"options":{"type":"string","pattern":"(?i)^[a-z]{2}_(?:us|gb)$"},"named":{"type":"string","pattern":"^(?<word>[a-z]{2,4})-\\k<word>$"},"escapes":{"type":"string","pattern":"^\\x41\\u0042[\\t ]\\.\\*\\{1\\}$"},"iso":{"type":"string","pattern":"^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$"}},"required":["code","slug","phone","pet","unanchored","mail","hex","not_slash","echo","ranged","version","options","named","escapes","iso"]}""",
            null
        },
        {
            "pattern with look-aheads",
            """{"type":"string","pattern":"^(?=.*[A-Z])(?=.*\\d)[A-Za-z\\d]{8,16}$"}""",
            null
        },
        { "format date-time", """{"type":"string","format":"date-time"}""", null },
        { "format date", """{"type":"string","format":"date"}""", null },
        { "format time", """{"type":"string","format":"time"}""", null },
        { "format email", """{"type":"string","format":"email"}""", null },
        { "format uri", """{"type":"string","format":"uri"}""", null },
        { "format url", """{"type":"string","format":"url"}""", """{"type":"string","format":"uri"}""" },
        { "format uuid", """{"type":"string","format":"uuid"}""", null },
        { "format hostname", """{"type":"string","format":"hostname"}""", null },
        { "format ipv4", """{"type":"string","format":"ipv4"}""", null },
        { "format ipv6", """{"type":"string","format":"ipv6"}""", null },
        { "format duration", """{"type":"string","format":"duration"}""", null },
        {
            "numeric bounds with exclusive ones",
            """{"type":"object","properties":{"ratio":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1},"small":{"type":"integer","exclusiveMinimum":5,"exclusiveMaximum":8},"fixed":{"type":"integer","minimum":-3,"maximum":-3},"narrow":{"type":"number","minimum":10.5,"exclusiveMaximum":10.75},"negative":{"type":"number","maximum":-1000},"big":{"type":"integer","minimum":1000000},"latitude":{"type":"number","minimum":0}},"required":["ratio","small","fixed","narrow","negative","big","latitude"]}""",
            null
        },
        {
            "draft-4 boolean exclusive bounds",
            """{"type":"object","properties":{"i":{"type":"integer","minimum":0,"exclusiveMinimum":true,"maximum":3,"exclusiveMaximum":true},"x":{"type":"number","minimum":1,"exclusiveMinimum":true,"maximum":1.01,"exclusiveMaximum":true}},"required":["i","x"]}""",
            """{"type":"object","properties":{"i":{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":3},"x":{"type":"number","exclusiveMinimum":1,"exclusiveMaximum":1.01}},"required":["i","x"]}"""
        },
        {
            "multipleOf",
            """{"type":"object","properties":{"week":{"type":"integer","multipleOf":7,"minimum":100,"maximum":200},"quarter":{"type":"number","multipleOf":0.25,"minimum":1,"maximum":2},"thousand":{"type":"integer","multipleOf":1000},"half":{"type":"integer","multipleOf":0.5,"exclusiveMinimum":0}},"required":["week","quarter","thousand","half"]}""",
            null
        },
        {
            "const",
            """{"type":"object","properties":{"type":{"const":"function"},"version":{"const":2},"meta":{"const":{"a":[1,2],"b":null}}},"required":["type","version","meta"],"additionalProperties":false}""",
            null
        },
        {
            "type arrays with null",
            """{"type":"object","properties":{"nickname":{"type":["string","null"],"maxLength":8},"score":{"type":["integer","null"],"minimum":0},"anything":{"type":["boolean","number","null"]}},"required":["nickname","score","anything"],"additionalProperties":false}""",
            null
        },
        {
            "allOf merging object branches",
            """{"allOf":[{"type":"object","properties":{"id":{"type":"integer","minimum":1}},"required":["id"]},{"type":"object","properties":{"name":{"type":"string","minLength":3}},"required":["name"]},{"properties":{"id":{"maximum":50}}}]}""",
            null
        },
        {
            "allOf with a closed branch",
            """{"allOf":[{"$ref":"#/$defs/base"},{"required":["b"]}],"$defs":{"base":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"boolean"}},"additionalProperties":false}}}""",
            null
        },
        {
            "string lengths",
            """{"type":"object","properties":{"short":{"type":"string","maxLength":3},"description":{"type":"string","minLength":40,"maxLength":45},"exact":{"type":"string","minLength":7,"maxLength":7},"empty":{"type":"string","maxLength":0},"email":{"type":"string","format":"email","maxLength":60}},"required":["short","description","exact","empty","email"]}""",
            null
        },
        {
            "object without type but with properties",
            """{"properties":{"query":{"type":"string"},"limit":{"minimum":1,"maximum":5,"type":"integer"}},"required":["query"],"additionalProperties":false}""",
            null
        },
        {
            "map-like additionalProperties",
            """{"type":"object","properties":{"counts":{"type":"object","additionalProperties":{"type":"integer","minimum":0},"minProperties":1,"maxProperties":3},"labels":{"type":"object","patternProperties":{"^x-[a-z]+$":{"type":"string"}},"additionalProperties":false}},"required":["counts","labels"]}""",
            null
        },
        {
            "tuple with prefixItems and contains",
            """{"type":"object","properties":{"point":{"type":"array","prefixItems":[{"type":"string","format":"date"},{"type":"number"}],"items":false,"minItems":2},"lucky":{"type":"array","items":{"type":"integer","minimum":0,"maximum":100},"contains":{"const":42}}},"required":["point","lucky"]}""",
            null
        },
        {
            "dependentRequired",
            """{"type":"object","properties":{"card":{"type":"string"},"cvv":{"type":"string","pattern":"^\\d{3}$"}},"dependentRequired":{"card":["cvv"]},"additionalProperties":false}""",
            null
        },
        {
            "realistic function with nested arrays and enums",
            """{"type":"object","properties":{"origin":{"type":"string","description":"IATA code","pattern":"^[A-Z]{3}$"},"destination":{"type":"string","pattern":"^[A-Z]{3}$"},"departure_date":{"type":"string","format":"date"},"passengers":{"type":"array","minItems":1,"maxItems":4,"items":{"type":"object","properties":{"first_name":{"type":"string"},"last_name":{"type":"string"},"age":{"type":"integer","minimum":0,"maximum":120},"type":{"type":"string","enum":["adult","child","infant"]}},"required":["first_name","last_name","type"],"additionalProperties":false}},"cabin":{"type":"string","enum":["economy","premium_economy","business","first"]},"max_price":{"type":["number","null"],"exclusiveMinimum":0},"nonstop":{"type":"boolean"}},"required":["origin","destination","departure_date","passengers","cabin","max_price","nonstop"],"additionalProperties":false}""",
            null
        },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Generated_values_satisfy_the_schema(string covers, string schemaJson, string? validateAgainst)
    {
        var validator = JsonSchema.FromText(validateAgainst ?? schemaJson);
        using var schema = JsonDocument.Parse(schemaJson);
        var faker = new JsonSchemaFaker(new Randomizer(Seed));
        var failures = new List<string>();

        for (var i = 0; i < Samples && failures.Count < 5; i++)
        {
            var value = faker.Generate(schema.RootElement);
            if (!validator.Evaluate(JsonNode.Parse(value), StrictFormats).IsValid)
            {
                var explained = validator.Evaluate(JsonNode.Parse(value), StrictFormatsExplained);
                failures.Add($"value {value}\n  errors: {Errors(explained)}");
            }
        }

        Assert.True(failures.Count == 0, $"[{covers}] schema {schemaJson}\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void A_schema_of_many_long_strings_stops_near_a_megabyte_instead_of_hundreds()
    {
        // 2,000 strings of 100,000 characters each would be 200 MB, past what JSON text can hold.
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"array","minItems":2000,"items":{"type":"string","minLength":100000}}},"required":["a"]}""");

        var value = new JsonSchemaFaker(new Randomizer(Seed)).Generate(schema.RootElement);

        Assert.InRange(value.Length, 1_000_000, 1_300_000);
        using var parsed = JsonDocument.Parse(value);
        Assert.Equal(JsonValueKind.Array, parsed.RootElement.GetProperty("a").ValueKind);
    }

    [Fact]
    public void Long_const_values_count_against_the_same_budget()
    {
        var big = new string('x', 1_000_000);
        var json = """{"type":"object","properties":{"items":{"type":"array","minItems":60,"items":{"$ref":"#/$defs/c"}},"more":{"const":"BIG"},"also":{"enum":["BIG"]}},"required":["items","more","also"],"$defs":{"c":{"const":"BIG"}}}""";
        using var schema = JsonDocument.Parse(json.Replace("BIG", big));

        var value = new JsonSchemaFaker(new Randomizer(Seed)).Generate(schema.RootElement);

        Assert.InRange(value.Length, 1_000_000, 2_200_000);
    }

    [Fact]
    public void Generated_arguments_satisfy_a_schema_with_enum_and_required()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer","minimum":1,"maximum":7}},"required":["unit","days"],"additionalProperties":false}""");
        var faker = new JsonSchemaFaker(new Randomizer(Seed));

        for (var i = 0; i < 100; i++)
        {
            using var arguments = JsonDocument.Parse(faker.Generate(schema.RootElement));
            var root = arguments.RootElement;
            Assert.Contains(root.GetProperty("unit").GetString(), new[] { "celsius", "fahrenheit" });
            Assert.InRange(root.GetProperty("days").GetInt32(), 1, 7);
            Assert.Equal(2, root.EnumerateObject().Count());
        }
    }

    [Fact]
    public void A_get_current_weather_call_gets_a_city_and_state_and_sometimes_a_unit_from_the_enum()
    {
        using var schema = JsonDocument.Parse(WeatherParameters);
        var faker = new JsonSchemaFaker(new Randomizer(Seed));
        var withUnit = 0;

        for (var i = 0; i < 200; i++)
        {
            using var arguments = JsonDocument.Parse(faker.Generate(schema.RootElement));
            var location = arguments.RootElement.GetProperty("location").GetString()!;
            Assert.Matches(@"^[A-Za-z' .-]+, [A-Z]{2}$", location);
            if (arguments.RootElement.TryGetProperty("unit", out var unit))
            {
                withUnit++;
                Assert.Contains(unit.GetString(), new[] { "celsius", "fahrenheit" });
            }
        }

        Assert.InRange(withUnit, 50, 150); // optional properties come about half the time
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence_of_values()
    {
        using var weather = JsonDocument.Parse(WeatherParameters);
        var schemas = Schemas.Select(row => JsonDocument.Parse((string)row[1]).RootElement).Append(weather.RootElement).ToArray();

        var first = Sequence(new JsonSchemaFaker(new Randomizer(42)), schemas);
        var second = Sequence(new JsonSchemaFaker(new Randomizer(42)), schemas);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seeds_give_different_values()
    {
        using var weather = JsonDocument.Parse(WeatherParameters);
        var schemas = new[] { weather.RootElement };

        var first = Sequence(new JsonSchemaFaker(new Randomizer(1)), schemas);
        var second = Sequence(new JsonSchemaFaker(new Randomizer(2)), schemas);

        var differing = first.Zip(second).Count(pair => pair.First != pair.Second);
        Assert.True(differing > first.Count * 9 / 10, $"only {differing} of {first.Count} values differ");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{}")]
    [InlineData("true")]
    [InlineData("""{"type":"object","properties":{}}""")]
    [InlineData("""{"type":"object"}""")]
    [InlineData("""{"description":"takes no arguments"}""")]
    public void Absent_or_empty_parameters_give_an_empty_object(string? schemaJson)
    {
        using var document = schemaJson is null ? null : JsonDocument.Parse(schemaJson);
        var schema = document?.RootElement ?? default;

        Assert.Equal("{}", new JsonSchemaFaker(new Randomizer(Seed)).Generate(schema));
    }

    [Theory]
    [InlineData("""{"type":"foo"}""")]
    [InlineData("""{"type":[]}""")]
    [InlineData("false")]
    [InlineData("42")]
    [InlineData("[1,2]")]
    [InlineData("\"string\"")]
    [InlineData("null")]
    [InlineData("""{"$ref":"#"}""")]
    [InlineData("""{"$ref":"#/$defs/missing"}""")]
    [InlineData("""{"$ref":"https://example.com/schema.json"}""")]
    [InlineData("""{"allOf":[{"$ref":"#"}]}""")]
    [InlineData("""{"anyOf":[]}""")]
    [InlineData("""{"oneOf":[{"$ref":"#"},{"$ref":"#"}]}""")]
    [InlineData("""{"enum":[]}""")]
    [InlineData("""{"minimum":"x","maxLength":-4,"required":"a","properties":[]}""")]
    [InlineData("""{"type":"string","minLength":5,"maxLength":2}""")]
    [InlineData("""{"type":"integer","minimum":5,"maximum":1}""")]
    [InlineData("""{"type":"integer","exclusiveMinimum":1e300}""")]
    [InlineData("""{"type":"number","multipleOf":1e-30,"minimum":1e28}""")]
    [InlineData("""{"type":"string","pattern":"("}""")]
    [InlineData("""{"type":"string","pattern":"(a+)+$","minLength":50}""")]
    [InlineData("""{"type":"string","pattern":"(?i)abc"}""")]
    [InlineData("""{"type":"string","pattern":"a{99999}"}""")]
    [InlineData("""{"type":"string","minLength":1000000000}""")]
    [InlineData("""{"type":"object","required":["next"],"properties":{"next":{"$ref":"#"}}}""")]
    [InlineData("""{"type":"array","minItems":60,"items":{"type":"array","minItems":60,"items":{"type":"array","minItems":60,"items":{"type":"array","minItems":60}}}}""")]
    [InlineData("""{"type":"array","minItems":2000000000}""")]
    [InlineData("""{"allOf":[{"type":"string"},{"type":"integer"}]}""")]
    [InlineData("""{"type":"object","minProperties":5,"additionalProperties":false}""")]
    public void Weird_schemas_still_give_json_without_throwing(string schemaJson)
    {
        using var schema = JsonDocument.Parse(schemaJson);
        var faker = new JsonSchemaFaker(new Randomizer(Seed));

        for (var i = 0; i < 5; i++)
        {
            var value = faker.Generate(schema.RootElement);
            using var parsed = JsonDocument.Parse(value); // throws if the text is not JSON
            Assert.NotEqual(JsonValueKind.Undefined, parsed.RootElement.ValueKind);
        }
    }

    [Fact]
    public void Strings_read_like_the_property_they_fill()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"email":{"type":"string"},"website":{"type":"string"},"city":{"type":"string"},"created_at":{"type":"string"},"user_id":{"type":"string"}},"required":["email","website","city","created_at","user_id"]}""");
        var faker = new JsonSchemaFaker(new Randomizer(Seed));

        for (var i = 0; i < 50; i++)
        {
            using var value = JsonDocument.Parse(faker.Generate(schema.RootElement));
            var root = value.RootElement;
            Assert.Contains("@", root.GetProperty("email").GetString());
            Assert.StartsWith("http", root.GetProperty("website").GetString());
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("city").GetString()));
            Assert.True(DateTimeOffset.TryParse(root.GetProperty("created_at").GetString(), out _));
            Assert.True(Guid.TryParse(root.GetProperty("user_id").GetString(), out _));
        }
    }

    [Fact]
    public void Optional_properties_are_sometimes_present_and_sometimes_left_out()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a"]}""");
        var faker = new JsonSchemaFaker(new Randomizer(Seed));

        var present = Enumerable.Range(0, 400).Count(_ => faker.Generate(schema.RootElement).Contains("\"b\":", StringComparison.Ordinal));

        Assert.InRange(present, 120, 280);
    }

    private static List<string> Sequence(JsonSchemaFaker faker, IReadOnlyList<JsonElement> schemas)
    {
        var values = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            foreach (var schema in schemas)
            {
                values.Add(faker.Generate(schema));
            }
        }

        return values;
    }

    private static string Errors(EvaluationResults result)
    {
        var text = new StringBuilder();
        foreach (var detail in result.Details.Where(d => d.HasErrors))
        {
            foreach (var (keyword, message) in detail.Errors!)
            {
                text.Append($"[{detail.InstanceLocation} {keyword}: {message}] ");
            }
        }

        return text.ToString();
    }
}
