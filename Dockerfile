# MockRunsServer container image.
#
#   docker build -t mockruns-server .
#   docker run --rm -p 5080:8080 mockruns-server      # then http://localhost:5080/v1, /swagger
#
# Config: the top-level appsettings.json is baked in; override any key with an environment
# variable (-e Mock__Clock__Mode=manual) or a command-line argument (... mockruns-server --Mock:Seed=42).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Behind a proxy that re-signs TLS, the restore must trust the proxy's root:
#   docker build --build-arg EXTRA_CA_CERTS="$(cat proxy-root.pem)" .
# Only this build stage trusts it; the runtime image is not changed.
ARG EXTRA_CA_CERTS=
RUN if [ -n "$EXTRA_CA_CERTS" ]; then \
      printf '%s\n' "$EXTRA_CA_CERTS" | \
        awk '/BEGIN CERTIFICATE/ { n++ } n { print > ("/usr/local/share/ca-certificates/build-extra-" n ".crt") }' && \
      update-ca-certificates >/dev/null; \
    fi

# Restore from the project files alone, so this layer (the packages) is reused until they change.
# The [x] patterns copy these files when the repository has them and are skipped when it has not.
COPY Directory.Build.props Directory.Packages.prop[s] NuGet.confi[g] global.jso[n] ./
COPY src/MockRunsServer/MockRunsServer.csproj src/MockRunsServer/
RUN dotnet restore src/MockRunsServer/MockRunsServer.csproj

# The csproj links ../../appsettings.json into its output, so it must sit at the top here too.
COPY appsettings.json ./
COPY src/ src/
RUN dotnet publish src/MockRunsServer -c Release -o /app --no-restore -p:UseAppHost=false


FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# A place the non-root user may write, for Mock__Persistence__Path=/data/state.json.
RUN mkdir -p /data && chown "$APP_UID:$APP_UID" /data

COPY --from=build /app ./

ENV ASPNETCORE_HTTP_PORTS=8080
# Workstation GC in the container: under a memory limit (docker run --memory 128m) the server GC's
# per-core heaps took the process past the limit under load and the kernel killed it (exit 137),
# even with Mock:Retention:MaxThreads set; workstation GC stayed near 100 MB. It costs creates
# (about a quarter fewer a second under heavy load, bench/README): -e DOTNET_gcServer=1 for a load test.
ENV DOTNET_gcServer=0
EXPOSE 8080
USER $APP_UID

# The runtime image has no curl or wget: the server binary probes its own /healthz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["dotnet", "/app/MockRunsServer.dll", "--health-probe"]

ENTRYPOINT ["dotnet", "/app/MockRunsServer.dll"]
