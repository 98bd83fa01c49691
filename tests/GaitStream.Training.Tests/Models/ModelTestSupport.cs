using GaitStream.Training.Models;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Models;

internal static class ModelTestSupport
{
    public static TheoryData<Architecture> Architectures => [Architecture.Lstm, Architecture.Transformer, Architecture.Mamba];

    /// <summary>Same shape and every element equal (NaN never equals).</summary>
    public static bool BitwiseEqual(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
