using GaitStream.Training.Models;
using GaitStream.Training.Runtime;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Models;

/// <summary>The Mamba details an exporter must reproduce exactly: the scan recurrence, the initialisation, the names.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class MambaModelTests
{
    [Fact]
    public void Selective_scan_follows_the_discretised_recurrence_frame_by_frame()
    {
        const int batch = 2, frames = 5, inner = 3, state = 4;
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(5);
        var u = randn(batch, frames, inner);
        var delta = rand(batch, frames, inner) * 0.5f;
        var a = -rand(inner, state) * 3f;
        var b = randn(batch, frames, state);
        var c = randn(batch, frames, state);

        var y = MambaModel.SelectiveScan(u, delta, a, b, c);

        // Plain arithmetic in double: h_t[i,n] = exp(Δ_t[i]·A[i,n])·h_{t−1}[i,n] + Δ_t[i]·B_t[n]·u_t[i]; y_t[i] = Σ_n C_t[n]·h_t[i,n].
        var (U, Dt, A, B, C, Y) = (u.data<float>().ToArray(), delta.data<float>().ToArray(), a.data<float>().ToArray(),
                                  b.data<float>().ToArray(), c.data<float>().ToArray(), y.data<float>().ToArray());
        Assert.Equal([batch, frames, inner], y.shape);
        for (var s = 0; s < batch; s++)
        {
            var h = new double[inner, state];
            for (var t = 0; t < frames; t++)
            {
                for (var i = 0; i < inner; i++)
                {
                    var dti = Dt[(((s * frames) + t) * inner) + i];
                    var ui = U[(((s * frames) + t) * inner) + i];
                    var expected = 0.0;
                    for (var n = 0; n < state; n++)
                    {
                        h[i, n] = (Math.Exp(dti * A[(i * state) + n]) * h[i, n]) + (dti * B[(((s * frames) + t) * state) + n] * ui);
                        expected += C[(((s * frames) + t) * state) + n] * h[i, n];
                    }
                    Assert.Equal(expected, Y[(((s * frames) + t) * inner) + i], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Blocks_start_from_S4D_real_A_unit_D_and_small_steps()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = SequenceModel.Create(ModelConfig.Default(Architecture.Mamba, 22));
        var weights = model.state_dict();

        for (var k = 0; k < 2; k++)
        {
            var aLog = weights[$"blocks.{k}.A_log"];                                              // [128, 16]
            var expectedA = arange(1, 17, dtype: ScalarType.Float32).expand(128, 16);
            Assert.Equal([128L, 16L], aLog.shape);
            Assert.True(exp(aLog).allclose(expectedA, rtol: 1e-5, atol: 1e-5), "A = −exp(A_log) starts at −1 … −N");
            Assert.True(ModelTestSupport.BitwiseEqual(weights[$"blocks.{k}.D"], ones(128)), "D starts at 1");
            var step = nn.functional.softplus(weights[$"blocks.{k}.dt_proj.bias"]);              // Δ with a zero input
            Assert.InRange(step.min().item<float>(), 0.99e-3f, 0.1f);
            Assert.InRange(step.max().item<float>(), 1e-3f, 0.1001f);
            Assert.InRange(weights[$"blocks.{k}.dt_proj.weight"].abs().max().item<float>(), 0f, 0.5f); // uniform ±rank^−½
        }
    }

    [Fact]
    public void State_dict_uses_the_reference_implementation_names_and_shapes()
    {
        TorchRuntime.EnsureInitialized();
        using var model = SequenceModel.Create(ModelConfig.Default(Architecture.Mamba, 22));

        var shapes = model.state_dict().ToDictionary(p => p.Key, p => string.Join("x", p.Value.shape));

        var expected = new Dictionary<string, string>
        {
            ["input.weight"] = "64x10", ["input.bias"] = "64",
            ["norm.weight"] = "64", ["norm.bias"] = "64",
            ["head.weight"] = "22x64", ["head.bias"] = "22",
        };
        for (var k = 0; k < 2; k++)
        {
            expected[$"blocks.{k}.norm.weight"] = "64";
            expected[$"blocks.{k}.norm.bias"] = "64";
            expected[$"blocks.{k}.in_proj.weight"] = "256x64";
            expected[$"blocks.{k}.conv1d.weight"] = "128x1x4";
            expected[$"blocks.{k}.conv1d.bias"] = "128";
            expected[$"blocks.{k}.x_proj.weight"] = "36x128";
            expected[$"blocks.{k}.dt_proj.weight"] = "128x4";
            expected[$"blocks.{k}.dt_proj.bias"] = "128";
            expected[$"blocks.{k}.A_log"] = "128x16";
            expected[$"blocks.{k}.D"] = "128";
            expected[$"blocks.{k}.out_proj.weight"] = "64x128";
        }
        Assert.Equal(expected.OrderBy(p => p.Key), shapes.OrderBy(p => p.Key));
    }
}
