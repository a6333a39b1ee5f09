namespace MockRunsServer.Endpoints;

public static class OpenAIRoutes
{
    /// <summary>Maps every Assistants route under <paramref name="prefix"/>; called for "/v1" and for "" so both serve the same handlers.</summary>
    public static void MapOpenAI(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix);
        if (prefix.Length == 0)
        {
            // The unprefixed alias serves the same handlers; Swagger documents the /v1 form once,
            // and endpoint names (operation ids) belong to that form only.
            group.ExcludeFromDescription();
            ((IEndpointConventionBuilder)group).Finally(endpoint =>
            {
                var metadata = endpoint.Metadata;
                for (var i = metadata.Count - 1; i >= 0; i--)
                {
                    if (metadata[i] is Microsoft.AspNetCore.Routing.IEndpointNameMetadata or Microsoft.AspNetCore.Routing.RouteNameMetadata)
                    {
                        metadata.RemoveAt(i);
                    }
                }
            });
        }
        group.MapAssistants();
        group.MapThreads();
        group.MapMessages();
        group.MapRuns();
        group.MapRunSteps();
    }
}
