namespace GaitStream.Inference.Cards;

/// <summary>
/// The architecture and sizes of a model, field for field as the trainer's <c>ModelConfig</c> (which this assembly
/// must not reference: it lives beside TorchSharp). Informational for serving; the counts are checked against the graph.
/// </summary>
public sealed record ModelArchitecture(
    string Architecture,
    int InputChannels,
    int OutputChannels,
    int ModelDim,
    int Layers,
    int WindowFrames,
    double Dropout = 0,
    int Heads = 0,
    int FeedForwardDim = 0,
    int StateSize = 0,
    int ConvKernel = 0,
    int Expand = 0,
    int DeltaRank = 0);
