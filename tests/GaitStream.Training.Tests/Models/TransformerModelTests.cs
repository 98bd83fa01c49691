using GaitStream.Training.Models;
using GaitStream.Training.Runtime;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Models;

/// <summary>The Transformer constants an exporter recomputes: sinusoidal positions, the causal mask, the names.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class TransformerModelTests
{
    [Fact]
    public void Positions_are_interleaved_sin_and_cos_of_geometric_wavelengths()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();

        var pe = TransformerModel.SinusoidalPositions(100, 64, CPU);

        Assert.Equal([100L, 64L], pe.shape);
        foreach (var (t, i) in new[] { (0, 0), (1, 0), (7, 3), (99, 31), (50, 10) })
        {
            var rate = Math.Pow(10000, -2.0 * i / 64);
            Assert.Equal(Math.Sin(t * rate), pe[t, 2 * i].item<float>(), 1e-5);
            Assert.Equal(Math.Cos(t * rate), pe[t, (2 * i) + 1].item<float>(), 1e-5);
        }
    }

    [Fact]
    public void Causal_mask_is_zero_on_and_below_the_diagonal_and_minus_infinity_above()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();

        var mask = TransformerModel.CausalMask(4, CPU).data<float>().ToArray();

        float inf = float.NegativeInfinity;
        Assert.Equal([0, inf, inf, inf, 0, 0, inf, inf, 0, 0, 0, inf, 0, 0, 0, 0], mask);
    }

    [Fact]
    public void State_dict_names_each_projection()
    {
        TorchRuntime.EnsureInitialized();
        using var model = SequenceModel.Create(ModelConfig.Default(Architecture.Transformer, 22));

        var keys = model.state_dict().Keys.ToHashSet();

        Assert.Equal(4 + (2 * 16) + 2, keys.Count);
        foreach (var name in new[] { "norm1", "attention.query", "attention.key", "attention.value", "attention.proj", "norm2", "ffn1", "ffn2" })
        {
            Assert.Contains($"blocks.1.{name}.weight", keys);
            Assert.Contains($"blocks.1.{name}.bias", keys);
        }
        Assert.Contains("norm.weight", keys);
        Assert.Contains("head.bias", keys);
    }
}
