using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;

namespace MockRunsServer.Http;

public static class Hosting
{
    /// <summary>
    /// The server reads the repository's top-level appsettings.json, which the build places beside
    /// the binary; it slots in where the content-root appsettings.json would, so environment
    /// variables and the command line still override it.
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
        sources.Insert(index >= 0 ? index + 1 : 0, source);
    }

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
        });
        // Swashbuckle describes schemas with MVC's JsonOptions, which this minimal-API server never
        // configures (camelCase); give it the options the answers are really written with (snake_case).
        services.AddTransient<Swashbuckle.AspNetCore.SwaggerGen.ISerializerDataContractResolver>(provider =>
            new Swashbuckle.AspNetCore.SwaggerGen.JsonSerializerDataContractResolver(
                provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions));
    }

    public static void UseMockSwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "MockRunsServer");
            ui.UseRequestInterceptor("(request) => { request.headers['OpenAI-Beta'] = 'assistants=v2'; return request; }");
        });
    }
}
