using GaitStream.Core.Schema;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Batching;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Estimation;
using GaitStream.Protocol.V1;

namespace GaitStream.Server.Models;

/// <summary>One loaded model: its card, its backend and the batching engine every session on it shares.</summary>
public sealed class ModelRuntime : IAsyncDisposable
{
    private readonly IInferenceBackend _backend;

    internal ModelRuntime(ModelCard card, IInferenceBackend backend, BatchingEngine engine)
    {
        Card = card;
        _backend = backend;
        Engine = engine;
        Info = Describe(card, backend.Description);
    }

    public string Id => Card.Name;

    public ModelCard Card { get; }

    public BatchingEngine Engine { get; }

    /// <summary>The model as ListModels and SessionAccepted describe it.</summary>
    public ModelInfo Info { get; }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().ConfigureAwait(false);
        _backend.Dispose();
    }

    internal static ChannelInfo ToChannelInfo(Channel channel, bool perKg) => new()
    {
        Name = channel.Name,
        Kind = channel.Kind switch { ChannelKind.Angle => "angle", ChannelKind.Moment => "moment", _ => "force" },
        Unit = channel.Kind switch
        {
            ChannelKind.Angle => "deg",
            ChannelKind.Moment => perKg ? "N·m/kg" : "N·m",
            _ => perKg ? "N/kg" : "N",
        },
    };

    internal static ModelInfo Describe(ModelCard card, string backend)
    {
        var info = new ModelInfo
        {
            Id = card.Name,
            Architecture = card.Architecture.Architecture,
            Parameters = (ulong)Math.Max(0, card.Parameters),
            SampleRateHz = card.SampleRateHz,
            WindowFrames = (uint)card.WindowFrames,
            OnnxSha256 = card.OnnxSha256,
            Backend = backend,
            MetricsJson = card.Metrics?.ToJsonString() ?? "",
        };
        info.Inputs.AddRange(card.Inputs.Select(c => ToChannelInfo(c, perKg: false)));
        info.Outputs.AddRange(card.Outputs.Select(c => ToChannelInfo(c, perKg: false)));
        return info;
    }
}
