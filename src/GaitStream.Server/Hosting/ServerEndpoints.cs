using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace GaitStream.Server.Hosting;

/// <summary>Where the service listens, known once Kestrel has bound (ports configured as 0 are chosen then).</summary>
public sealed class ServerEndpoints
{
    internal ListenOptions? Grpc { get; set; }

    internal ListenOptions? Http { get; set; }

    internal ListenOptions? Tcp { get; set; }

    internal bool Tls { get; set; }

    public int GrpcPort => Port(Grpc);

    /// <summary>Dashboard, /metrics and /healthz; -1 when off.</summary>
    public int HttpPort => Port(Http);

    /// <summary>TCP line bridge; -1 when off.</summary>
    public int TcpPort => Port(Tcp);

    /// <summary>The gRPC address a client on this machine uses, e.g. <c>http://127.0.0.1:50051</c>.</summary>
    public Uri GrpcAddress => new($"{(Tls ? "https" : "http")}://{Host(Grpc)}:{GrpcPort}");

    /// <summary>The dashboard's address, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public Uri? HttpAddress => Http is null ? null : new($"{(Tls ? "https" : "http")}://{Host(Http)}:{HttpPort}");

    private static int Port(ListenOptions? options) => options?.IPEndPoint?.Port ?? -1;

    private static string Host(ListenOptions? options) =>
        options?.IPEndPoint?.Address is { } a && !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any) ? a.ToString() : "127.0.0.1";
}
