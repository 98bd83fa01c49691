using Grpc.Core;

namespace GaitStream.Server.Sessions;

/// <summary>A session request the service refuses, with the gRPC status it maps to and a sentence for the device's developer.</summary>
public sealed class SessionRejectedException : Exception
{
    public SessionRejectedException()
    {
    }

    public SessionRejectedException(string message)
        : this(StatusCode.InvalidArgument, message)
    {
    }

    public SessionRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = StatusCode.InvalidArgument;
    }

    public SessionRejectedException(StatusCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public StatusCode Code { get; }

    public RpcException ToRpcException() => new(new Status(Code, Message));
}
