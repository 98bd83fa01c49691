using GaitStream.Training.Runtime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GaitStream.Training.Tests.Runtime;

/// <summary>End to end through the native backend: if libLibTorchSharp.so loads, a tiny model must actually learn.</summary>
public sealed class TinyModelTrainingTests(ITestOutputHelper output)
{
    private const int Steps = 50;
    private const int SamplesPerCycle = 101;

    [Fact]
    public void Tiny_model_training_lowers_the_loss()
    {
        TorchRuntime.EnsureInitialized();
        torch.manual_seed(20240611);
        using var scope = torch.NewDisposeScope();

        // One synthetic gait cycle at 101 samples: inputs are the phase's sine and cosine, the target a smooth
        // moment-like curve of three harmonics (in miniature, what a gait model maps kinematics to).
        var phase = torch.linspace(0, 2 * Math.PI, SamplesPerCycle).unsqueeze(1); // [101, 1]
        var inputs = torch.cat([torch.sin(phase), torch.cos(phase)], dim: 1); // [101, 2]
        var target = (0.8 * torch.sin(phase)) + (0.3 * torch.sin((2 * phase) + 0.5)) + (0.1 * torch.cos(3 * phase)); // [101, 1]

        using var model = nn.Sequential(("hidden", nn.Linear(2, 16)), ("tanh", nn.Tanh()), ("out", nn.Linear(16, 1)));
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 0.02);

        var losses = new float[Steps];
        for (var step = 0; step < Steps; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(inputs), target);
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }

        output.WriteLine($"MSE loss: step 1 {losses[0]:F4}, step {Steps / 2} {losses[(Steps / 2) - 1]:F4}, step {Steps} {losses[^1]:F4}");
        Assert.True(float.IsFinite(losses[0]) && losses[0] > 0.05f, $"initial loss {losses[0]} should be a real error");
        Assert.True(
            losses[^1] < 0.5f * losses[0],
            $"after {Steps} AdamW steps the loss went from {losses[0]:F4} to {losses[^1]:F4}; expected below half");
    }
}
