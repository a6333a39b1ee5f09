namespace MockRunsServer.Options;

/// <summary><c>Mock:Auth</c>: the accepted API keys; empty accepts any key or none.</summary>
public sealed class AuthOptions
{
    public List<string> ApiKeys { get; set; } = [];
}
