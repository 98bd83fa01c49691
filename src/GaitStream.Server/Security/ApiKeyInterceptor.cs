using GaitStream.Server.Observability;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace GaitStream.Server.Security;

/// <summary>
/// Refuses gRPC calls without a valid <c>x-api-key</c> (UNAUTHENTICATED) when keys are configured. Health checks stay
/// open so load balancers and orchestrators can probe the service.
/// </summary>
public sealed class ApiKeyInterceptor(ApiKeyValidator keys, ServerMetrics metrics) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!keys.Required || context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal))
        {
            return;
        }
        string? presented = context.RequestHeaders.GetValue(ApiKeyValidator.MetadataKey);
        string? device = keys.Authenticate(presented);
        if (device is null)
        {
            metrics.Unauthenticated.WithLabels("grpc").Inc();
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                presented is null
                    ? $"This server requires an API key: send it as '{ApiKeyValidator.MetadataKey}' call metadata."
                    : $"The '{ApiKeyValidator.MetadataKey}' metadata does not match any configured device key."));
        }
        context.UserState["device"] = device;
    }
}
