using GaitStream.Training.Models;
using GaitStream.Training.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Models;

/// <summary>Each default model, trained briefly on a small causal task, must learn it (gradients flow end to end).</summary>
[Collection(TorchGlobalRng.Name)]
public sealed class SequenceModelTrainingTests(ITestOutputHelper output)
{
    private const int Steps = 60;

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Sixty_AdamW_steps_halve_the_loss_on_a_causal_filter_task(Architecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        manual_seed(2024);
        var x = SyntheticSequences.Inputs(batch: 4, frames: 64);               // [4, 64, 10]
        var target = SyntheticSequences.Targets(x);                             // [4, 64, 6]
        using var model = SequenceModel.Create(ModelConfig.Default(architecture, SyntheticSequences.OutputChannels));
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);

        var losses = new float[Steps];
        for (var step = 0; step < Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), target);
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }

        output.WriteLine($"{architecture}: MSE step 1 {losses[0]:F4}, step {Steps / 2} {losses[(Steps / 2) - 1]:F4}, step {Steps} {losses[^1]:F4} " +
                         $"(ratio {losses[^1] / losses[0]:F3})");
        Assert.True(float.IsFinite(losses[0]) && losses[0] > 0.1f, $"initial loss {losses[0]} should be a real error");
        Assert.True(losses[^1] < 0.5f * losses[0], $"{architecture}: loss went from {losses[0]:F4} to {losses[^1]:F4} in {Steps} steps; expected below half");
    }
}
