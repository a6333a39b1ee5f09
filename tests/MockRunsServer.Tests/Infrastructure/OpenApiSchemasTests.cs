using System.Text.Json.Nodes;

namespace MockRunsServer.Tests.Infrastructure;

/// <summary>The OpenAPI schema validator, piece by piece.</summary>
public sealed class OpenApiSchemasTests
{
    [Fact]
    public void Yaml_plain_scalars_are_typed_by_the_core_schema_and_quoted_ones_stay_strings()
    {
        var node = YamlJson.Parse("""
            int: 42
            negative: -3
            float: 1.5
            yes_is_text: yes
            bool: true
            tilde: ~
            empty:
            quoted_number: "200"
            single_quoted: '1'
            date_like: 2024-10-01
            list: [1, "x", null]
            literal: |
              two
              lines
            after: x
            """)!;

        Assert.Equal("""
            {"int":42,"negative":-3,"float":1.5,"yes_is_text":"yes","bool":true,"tilde":null,"empty":null,"quoted_number":"200","single_quoted":"1","date_like":"2024-10-01","list":[1,"x",null],"literal":"two\nlines\n","after":"x"}
            """, node.ToJsonString());
    }

    [Fact]
    public void Yaml_aliases_copy_their_anchored_node()
    {
        var node = YamlJson.Parse("base: &shared {type: string}\nname: *shared\n")!;

        Assert.Equal("""{"base":{"type":"string"},"name":{"type":"string"}}""", node.ToJsonString());
    }

    [Fact]
    public void A_whitespace_only_first_line_of_a_block_scalar_reads_as_libyaml_reads_it()
    {
        // The shape of StopConfiguration's example in the spec, which YamlDotNet alone rejects.
        var node = YamlJson.Parse("schema:\n  example: |+\n      \n  nullable: true\n")!;

        Assert.Equal("\n", node["schema"]!["example"]!.GetValue<string>());
        Assert.True(node["schema"]!["nullable"]!.GetValue<bool>());
    }

    [Fact]
    public void Nullable_true_becomes_a_null_type_and_a_null_enum_value()
    {
        var schema = JsonNode.Parse("""{"type":"string","enum":["a"],"nullable":true}""")!;

        OpenApiSchemaRewriter.RewriteSchema(schema, "#");

        Assert.Equal("""{"type":["string","null"],"enum":["a",null]}""", schema.ToJsonString());
    }

    [Fact]
    public void A_nullable_member_of_allOf_makes_the_whole_schema_nullable()
    {
        var schema = JsonNode.Parse("""{"description":"d","allOf":[{"$ref":"#/components/schemas/X"},{"nullable":true}]}""")!;

        OpenApiSchemaRewriter.RewriteSchema(schema, "#");

        Assert.Equal("""{"description":"d","anyOf":[{"allOf":[{"$ref":"#/components/schemas/X"}]},{"type":"null"}]}""",
            schema.ToJsonString());
    }
}
