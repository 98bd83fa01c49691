using System.Net;
using GaitStream.Server.Grpc;
using GaitStream.Server.Models;
using GaitStream.Server.Observability;
using GaitStream.Server.Security;
using GaitStream.Server.Sessions;
using GaitStream.Server.Tcp;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace GaitStream.Server.Hosting;

/// <summary>
/// The whole composition of the service in one place: options bound from configuration and validated, services
/// registered, Kestrel listeners (gRPC over HTTP/2, HTTP/1.1 for the dashboard and metrics, the raw TCP bridge), and
/// endpoints mapped. <c>Program</c> runs it; the replay tool and the tests start it in-process with
/// <see cref="StartAsync"/>.
/// </summary>
public static class ServerApp
{
    /// <summary>Builds the service. <paramref name="configure"/> may override options after configuration binding.</summary>
    public static WebApplication Build(string[] args, Action<GaitStreamServerOptions>? configure = null, Action<WebApplicationBuilder>? extend = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        var options = new GaitStreamServerOptions();
        builder.Configuration.GetSection(GaitStreamServerOptions.Section).Bind(options);
        configure?.Invoke(options);
        options.Validate();

        var endpoints = new ServerEndpoints { Tls = options.Tls.Enabled };
        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<SessionHub>();
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.Limits.MaxMessageBytes;
            grpc.MaxSendMessageSize = options.Limits.MaxMessageBytes;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<ApiKeyInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks().AddCheck<ModelHealthCheck>("models");
        builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, options, endpoints));
        extend?.Invoke(builder);

        WebApplication app = builder.Build();
        // Load and verify the default model now, so a broken models folder fails at start-up, not on the first session.
        _ = app.Services.GetRequiredService<ModelCatalog>();
        app.MapGrpcService<GaitStreamService>();
        app.MapGrpcHealthChecksService();
        app.MapHealthChecks("/healthz");
        app.MapMetrics("/metrics", app.Services.GetRequiredService<ServerMetrics>().Registry);
        Dashboard.DashboardEndpoints.MapDashboard(app);
        return app;
    }

    /// <summary>Builds and starts the service; the returned endpoints hold the bound ports.</summary>
    public static async Task<(WebApplication App, ServerEndpoints Endpoints)> StartAsync(string[] args, Action<GaitStreamServerOptions>? configure = null,
        Action<WebApplicationBuilder>? extend = null, CancellationToken cancellationToken = default)
    {
        WebApplication app = Build(args, configure, extend);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return (app, app.Services.GetRequiredService<ServerEndpoints>());
    }

    private static void Listen(KestrelServerOptions kestrel, GaitStreamServerOptions options, ServerEndpoints endpoints)
    {
        IPAddress address = options.ExposeOnNetwork ? IPAddress.Any : IPAddress.Loopback;
        kestrel.Limits.Http2.MaxStreamsPerConnection = Math.Max(100, options.Limits.MaxSessions);
        kestrel.Listen(address, options.GrpcPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            UseTls(listen, options);
            endpoints.Grpc = listen;
        });
        if (options.HttpPort >= 0)
        {
            kestrel.Listen(address, options.HttpPort, listen =>
            {
                listen.Protocols = options.Tls.Enabled ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                UseTls(listen, options);
                endpoints.Http = listen;
            });
        }
        if (options.TcpPort >= 0)
        {
            kestrel.Listen(address, options.TcpPort, listen =>
            {
                UseTls(listen, options);
                listen.UseConnectionHandler<TcpBridgeHandler>();
                endpoints.Tcp = listen;
            });
        }
    }

    private static void UseTls(ListenOptions listen, GaitStreamServerOptions options)
    {
        if (options.Tls.Enabled)
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(options.Tls.CertificatePath!, options.Tls.KeyPath);
            listen.UseHttps(certificate);
        }
    }
}
