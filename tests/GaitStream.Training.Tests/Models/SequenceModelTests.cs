using GaitStream.Training.Models;
using GaitStream.Training.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Models;

/// <summary>The SequenceModel contract every architecture keeps: shapes, causality, seeded determinism, size.</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class SequenceModelTests(ITestOutputHelper output)
{
    public static TheoryData<Architecture, int, int> ShapeCases
    {
        get
        {
            var cases = new TheoryData<Architecture, int, int>();
            foreach (var architecture in Enum.GetValues<Architecture>())
            {
                cases.Add(architecture, 100, 22);
                cases.Add(architecture, 37, 6);
            }
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(ShapeCases))]
    public void Forward_maps_a_window_to_one_estimate_per_frame(Architecture architecture, int frames, int outputs)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, outputs));

        var y = model.forward(randn(3, frames, 10));

        Assert.Equal([3L, frames, outputs], y.shape);
        Assert.Equal(ScalarType.Float32, y.dtype);
        Assert.True(isfinite(y).all().item<bool>(), "every estimate is finite");
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Create_builds_the_named_architecture_and_keeps_its_config(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        var config = ModelConfig.Default(architecture, 22);

        using var model = SequenceModel.Create(config);

        var expected = architecture switch
        {
            Architecture.Lstm => typeof(LstmModel),
            Architecture.Transformer => typeof(TransformerModel),
            _ => typeof(MambaModel),
        };
        Assert.IsType(expected, model);
        Assert.Same(config, model.Config);
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Forward_rejects_a_window_with_the_wrong_channel_count(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, 22));

        var error = Assert.Throws<ArgumentException>(() => model.forward(randn(2, 20, 9)));
        Assert.Contains("[batch, frames, 10]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => model.forward(randn(20, 10)));
        Assert.Throws<ArgumentException>(() => model.forward(randn(2, 20, 10, dtype: ScalarType.Float64)));
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Estimates_before_a_frame_ignore_that_frame(Architecture architecture)
    {
        const int frames = 100;
        const int changed = 60;
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, 22));
        model.eval();
        using var noGrad = no_grad();

        var x = randn(2, frames, 10);
        var perturbed = x.clone();
        perturbed.select(1, changed).add_(10f);                             // frame 60 only, strongly (a view: edits perturbed)
        var difference = (model.forward(perturbed) - model.forward(x)).abs().amax([0, 2]); // [L], per frame

        var before = difference.narrow(0, 0, changed).max().item<float>();
        var atChange = difference[changed].item<float>();
        var nextFive = difference.narrow(0, changed, 5).min().item<float>();
        output.WriteLine($"{architecture}: max |Δ| before frame {changed} = {before:E2}; at {changed} {atChange:E2}; " +
                         $"min over {changed}–{changed + 4} {nextFive:E2}; at {frames - 1} {difference[frames - 1].item<float>():E2}");
        Assert.True(before <= 1e-6f, $"frames before {changed} changed by up to {before}; the model looks ahead");
        Assert.True(atChange > 1e-3f, $"the estimate at frame {changed} changed by only {atChange}; it ignores its own frame");
        // Random-init recurrences forget a single frame within tens of frames (LSTM: ~1e-8 by frame 99), so look just ahead.
        Assert.True(nextFive > 1e-5f, $"a frame just after {changed} changed by only {nextFive}; the perturbation was not carried forward");
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void The_same_seed_builds_the_same_model(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var config = ModelConfig.Default(architecture, 22);

        manual_seed(42);
        using var first = SequenceModel.Create(config);
        manual_seed(42);
        using var second = SequenceModel.Create(config);
        manual_seed(43);
        using var other = SequenceModel.Create(config);
        first.eval();
        second.eval();

        var a = first.state_dict();
        var b = second.state_dict();
        Assert.Equal(a.Keys, b.Keys);
        Assert.All(a.Keys, k => Assert.True(ModelTestSupport.BitwiseEqual(a[k], b[k]), $"parameter {k} differs"));
        Assert.Contains(a.Keys, k => !ModelTestSupport.BitwiseEqual(a[k], other.state_dict()[k]));
        var x = randn(2, 30, 10);
        Assert.True(ModelTestSupport.BitwiseEqual(first.forward(x), second.forward(x)), "same parameters, same input, same output");
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void A_model_built_inside_a_dispose_scope_outlives_the_scope(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        SequenceModel model;
        using (NewDisposeScope())
        {
            model = SequenceModel.Create(ModelConfig.Default(architecture, 6));
        }

        using (model)
        using (NewDisposeScope())
        {
            Assert.All(model.state_dict(), p => Assert.True(isfinite(p.Value).all().item<bool>(), $"{p.Key} was disposed with the scope"));
            Assert.Equal([1L, 12L, 6L], model.forward(randn(1, 12, 10)).shape);
        }
    }

    public static TheoryData<Architecture, int, long> ParameterCounts => new()
    {
        // LSTM: input 10·64+64; per layer 4·(64·64 + 64·64 + 64 + 64); head 64·K+K.
        { Architecture.Lstm, 22, 704 + (2 * 33_280) + 1_430 },
        { Architecture.Lstm, 6, 704 + (2 * 33_280) + 390 },
        // Transformer: per block 2 LayerNorms (2·128), Q K V proj (4·(64·64+64)), FFN (64·128+128 + 128·64+64); final LayerNorm.
        { Architecture.Transformer, 22, 704 + (2 * 33_472) + 128 + 1_430 },
        { Architecture.Transformer, 6, 704 + (2 * 33_472) + 128 + 390 },
        // Mamba: per block LayerNorm 128, in_proj 64·256, conv 128·4+128, x_proj 128·36, dt_proj 4·128+128, A_log 128·16, D 128, out_proj 128·64.
        { Architecture.Mamba, 22, 704 + (2 * 32_768) + 128 + 1_430 },
        { Architecture.Mamba, 6, 704 + (2 * 32_768) + 128 + 390 },
    };

    [Theory]
    [MemberData(nameof(ParameterCounts))]
    public void Default_models_have_the_counted_parameters_and_stay_small(Architecture architecture, int outputs, long expected)
    {
        TorchRuntime.EnsureInitialized();
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, outputs));

        var count = model.ParameterCount();

        output.WriteLine($"{architecture}, K = {outputs}: {count:N0} parameters");
        Assert.Equal(expected, count);
        Assert.InRange(count, 20_000, 150_000);
    }
}
