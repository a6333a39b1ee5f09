namespace MockRunsServer.Tests.Infrastructure;

/// <summary>
/// A <see cref="FactAttribute"/> for tests that need OpenAI's OpenAPI spec: when the spec file is not
/// beside the repository the test is reported as skipped, with the reason, instead of passing.
/// </summary>
public sealed class SpecFactAttribute : FactAttribute
{
    public SpecFactAttribute()
    {
        if (!OpenApiSchemas.IsAvailable)
        {
            Skip = OpenApiSchemas.UnavailableReason;
        }
    }
}

/// <summary>The <see cref="TheoryAttribute"/> counterpart of <see cref="SpecFactAttribute"/>.</summary>
public sealed class SpecTheoryAttribute : TheoryAttribute
{
    public SpecTheoryAttribute()
    {
        if (!OpenApiSchemas.IsAvailable)
        {
            Skip = OpenApiSchemas.UnavailableReason;
        }
    }
}
