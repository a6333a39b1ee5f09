using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MockRunsServer.Http;

public static class Hosting
{
    /// <summary>
    /// The command line with the settings files' watcher turned off, unless the command line sets it
    /// itself (a later value wins). Nothing here reads a setting again once started, and each watcher
    /// takes one of the user's inotify instances: 128 by default, shared by every process of that user,
    /// so on a busy Docker host or CI runner the server did not start ("The configured user limit (128)
    /// on the number of inotify instances has been reached").
    /// </summary>
    public static string[] WithoutSettingsWatcher(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>
    /// The server reads the repository's top-level appsettings.json, which the build places beside
    /// the binary. It slots in just before the content-root appsettings.json: an appsettings.json in
    /// the working directory (the repository's own, edited since the last build) wins over the copy,
    /// and environment variables and the command line still override both.
    /// </summary>
    public static void AddMockConfiguration(this WebApplicationBuilder builder)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var sources = builder.Configuration.Sources;
        var alreadyRead = sources.OfType<JsonConfigurationSource>().Any(source =>
            source.Path == "appsettings.json" && source.FileProvider?.GetFileInfo("appsettings.json").PhysicalPath is { } physical
            && Path.GetFullPath(physical) == Path.GetFullPath(path));
        if (alreadyRead || !File.Exists(path))
        {
            return;
        }
        var index = sources.ToList().FindIndex(source => source is JsonConfigurationSource json && json.Path == "appsettings.json");
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        sources.Insert(index >= 0 ? index : 0, source);
    }

    /// <summary>
    /// A settings file that is a folder stops start-up: the JSON provider would pass it over as a
    /// missing optional file, and that is what docker mounts for a host path that does not exist
    /// (-v ./my-settings.json:/app/appsettings.Production.json with a typo), so the settings the user
    /// meant would be silently left out.
    /// </summary>
    public static void RefuseFolderSettings(IConfigurationBuilder configuration)
    {
        foreach (var source in configuration.Sources.OfType<JsonConfigurationSource>())
        {
            if (source.FileProvider is Microsoft.Extensions.FileProviders.PhysicalFileProvider provider && source.Path is { } file
                && Path.Combine(provider.Root, file) is var full && Directory.Exists(full))
            {
                throw new IOException($"'{full}' is a folder, not a file.");
            }
        }
    }

    /// <summary>Kestrel's own cut-offs, past which a request gets an empty answer: what OpenAIMiddleware checks itself lies well within.</summary>
    public const int KestrelLineAndHeaderBytes = 1024 * 1024;

    /// <summary>Kestrel's cut-off for the number of headers (100 by default), past which the answer is an empty 431.</summary>
    public const int KestrelHeaderCount = 1000;

    /// <summary>
    /// Kestrel refuses a request line over 8 KB (414), headers over 32 KB or more than 100 of them
    /// (431) before any middleware runs, with an empty body that no client can read as an OpenAI error. With room
    /// up to 1 MB (Kestrel's request buffer) such requests reach <see cref="OpenAIMiddleware"/>,
    /// which refuses a URL over its limit in OpenAI's envelope. A limit set under Kestrel:Limits wins.
    /// </summary>
    public static void LeaveRoomForLongRequests(this IWebHostBuilder host) => host.ConfigureKestrel((context, kestrel) =>
    {
        var limits = context.Configuration.GetSection("Kestrel:Limits");
        if (limits["MaxRequestLineSize"] is null)
        {
            kestrel.Limits.MaxRequestLineSize = KestrelLineAndHeaderBytes;
        }
        if (limits["MaxRequestHeadersTotalSize"] is null)
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = KestrelLineAndHeaderBytes;
        }
        if (limits["MaxRequestHeaderCount"] is null)
        {
            kestrel.Limits.MaxRequestHeaderCount = KestrelHeaderCount;
        }
    });

    /// <summary>Where the server listens when nothing says: the address <c>dotnet run</c> uses, so the README's base URL holds for the published build too.</summary>
    public const string DefaultAddress = "http://localhost:5080";

    /// <summary>
    /// <see cref="DefaultAddress"/> instead of ASP.NET Core's localhost:5000 when no address is
    /// configured (ASPNETCORE_URLS or --urls, ASPNETCORE_HTTP_PORTS or HTTPS_PORTS, Kestrel:Endpoints);
    /// null when one is, which then decides.
    /// </summary>
    public static string? AddressWhenUnset(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["urls"])
        && string.IsNullOrWhiteSpace(configuration["http_ports"])
        && string.IsNullOrWhiteSpace(configuration["https_ports"])
        && !configuration.GetSection("Kestrel:Endpoints").Exists()
            ? DefaultAddress
            : null;

    public static void TryAddTimeProvider(this IServiceCollection services) => services.TryAddSingleton(TimeProvider.System);

    public static void AddMockSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "MockRunsServer",
                Version = "v1",
                Description = "A local stand-in for OpenAI's Assistants v2 runs API. Every /v1 route is also served without the prefix. " +
                              "Swagger UI sends the OpenAI-Beta: assistants=v2 header for you.",
            });
            swagger.SupportNonNullableReferenceTypes();
            // A nullable object (a run's last_error, usage…) is written as allOf [$ref] with nullable: a bare $ref can't say null.
            swagger.UseAllOfToExtendReferenceSchemas();
            swagger.MapType<TimeSpan>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "A duration: [d.]hh:mm:ss[.fff]",
                Example = System.Text.Json.Nodes.JsonValue.Create("00:00:00.500"),
            });
            // A text part's value is a string on the wire, whatever it is kept as.
            swagger.MapType<Wire.TextValue>(() => new OpenApiSchema { Type = JsonSchemaType.String });
            swagger.CustomSchemaIds(SchemaId);
            swagger.OperationFilter<Endpoints.Docs.OperationFilter>();
            swagger.SchemaFilter<Endpoints.WireSchemaFilter>();
            // "Authorize" in Swagger UI: the key for Mock:Auth:ApiKeys, or Mock:Admin:ApiKey for the control API.
            swagger.AddSecurityDefinition("bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Needed only when Mock:Auth:ApiKeys (OpenAI routes) or Mock:Admin:ApiKey (/_mock) is set.",
            });
            swagger.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        });
        // Swashbuckle describes types with MVC's JSON options (camelCase) unless told otherwise; the answers
        // are written with the minimal-API options (snake_case), which the document and "Try it out" must follow.
        services.AddTransient<ISerializerDataContractResolver>(provider => new JsonSerializerDataContractResolver(
            provider.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
    }

    /// <summary>OpenAI's names for schemas whose .NET type has another name (Swashbuckle would write AssistantObjectListObject, UsageObject…).</summary>
    private static readonly Dictionary<Type, string> SchemaIds = new()
    {
        [typeof(Wire.ListObject<Wire.AssistantObject>)] = "ListAssistantsResponse",
        [typeof(Wire.ListObject<Wire.MessageObject>)] = "ListMessagesResponse",
        [typeof(Wire.ListObject<Wire.RunObject>)] = "ListRunsResponse",
        [typeof(Wire.ListObject<Wire.RunStepObject>)] = "ListRunStepsResponse",
        [typeof(Wire.ErrorBody)] = "Error",
        // The same objects under the spec's names (a run step's usage is RunStepCompletionUsage: WireSchemaFilter).
        [typeof(Wire.UsageObject)] = "RunCompletionUsage",
        [typeof(Wire.RequiredToolCall)] = "RunToolCallObject",
        [typeof(Wire.FileCitationAnnotation)] = "MessageContentTextAnnotationsFileCitationObject",
        [typeof(Wire.FileSearchResult)] = "RunStepDetailsToolCallsFileSearchResultObject",
        [typeof(Wire.StepRanking)] = "RunStepDetailsToolCallsFileSearchRankingOptionsObject",
        [typeof(Wire.FileSearchRanking)] = "FileSearchRankingOptions",
    };

    /// <summary>The schema's name in the document: OpenAI's where <see cref="SchemaIds"/> has it, else Swashbuckle's default.</summary>
    public static string SchemaId(Type type) =>
        SchemaIds.TryGetValue(type, out var id) ? id
        : type.IsConstructedGenericType ? string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`')]
        : type.Name;

    /// <summary>
    /// Swagger's two middlewares match every request's path (the UI one with a regex built per
    /// request); they only ever answer under /swagger, so only those requests go through them.
    /// </summary>
    public static void UseMockSwagger(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger"), swagger =>
        {
            swagger.UseSwagger();
            swagger.UseSwaggerUI(ui =>
            {
                ui.SwaggerEndpoint("/swagger/v1/swagger.json", "MockRunsServer");
                ui.UseRequestInterceptor("(request) => { request.headers['OpenAI-Beta'] = 'assistants=v2'; return request; }");
            });
        });
    }
}
