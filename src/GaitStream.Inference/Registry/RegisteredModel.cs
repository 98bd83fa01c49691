using GaitStream.Inference.Cards;

namespace GaitStream.Inference.Registry;

/// <summary>
/// A model whose ONNX bytes matched its card's hash and whose graph agreed with its card. Backends are built from
/// <see cref="OnnxModel"/>, the very bytes that were verified (the file is not read again).
/// </summary>
public sealed record RegisteredModel(ModelCard Card, string CardPath, string OnnxPath, ReadOnlyMemory<byte> OnnxModel);
