using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Schema;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;
using GaitStream.Tests;

namespace GaitStream.Inference.Tests;

/// <summary>
/// The models the repository ships in models/ (what the service loads by default): each one loads through the
/// registry and estimates finite, plausible hip loads from a real OpenSim walking trial, and default.txt names one of them.
/// </summary>
public sealed class ShippedModelsTests
{
    private static readonly string[] ShippedNames = ["lstm-100hz", "transformer-100hz", "mamba-100hz"];

    public static IEnumerable<object[]> Shipped => ShippedNames.Select(n => new object[] { n });

    private static string ModelsDir => Path.Combine(RepoPaths.RepoRoot, ModelRegistryOptions.DefaultDirectory);

    private static string Walk => Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk");

    [Fact]
    public void Registry_lists_every_shipped_model_without_problems_and_default_txt_names_one()
    {
        var registry = new ModelRegistry(ModelsDir);
        IReadOnlyList<ModelCard> cards = registry.List();

        Assert.Empty(registry.Problems);
        Assert.Equal(ShippedNames.Order(StringComparer.Ordinal), cards.Select(c => c.Name).Order(StringComparer.Ordinal));
        string[] lines = File.ReadAllLines(Path.Combine(ModelsDir, "default.txt"));
        string name = Assert.Single(lines).Trim();
        Assert.Contains(name, cards.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Shipped))]
    public void Shipped_model_estimates_finite_plausible_loads_on_a_real_walk(string name)
    {
        RegisteredModel model = new ModelRegistry(ModelsDir).Load(name);
        ModelCard card = model.Card;
        Assert.Equal(ChannelSchema.InputAngles, card.Inputs.Select(c => c.Name));
        Assert.Equal(ChannelSchema.HipMoments.Concat(ChannelSchema.GroupForces), card.Outputs.Select(c => c.Name));
        Assert.Equal((100.0, 100), (card.SampleRateHz, card.WindowFrames));
        Assert.True(new FileInfo(model.OnnxPath).Length < 4_000_000, $"{model.OnnxPath} is {new FileInfo(model.OnnxPath).Length} bytes");

        // The real gait2354 walk (OpenSim IK), prepared as the protocol prepares any trial, at the model's rate.
        Dataset dataset = DatasetCatalog.Load(Walk);
        PreparedTrial trial = TrialPreprocessor.Prepare(dataset.LoadTrial(dataset.Trials[0]), card.Preprocessing with { IncludeForces = false });
        var spec = new WindowSpec(card.WindowFrames, 1);
        int batch = Math.Min(16, CausalWindows.Count(trial.FrameCount, spec.LengthFrames, spec.StrideFrames));
        Assert.True(batch >= 8, $"the walk gives only {batch} windows");

        using var backend = OnnxRuntimeBackend.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1, MaxBatchSize = 64 });
        var estimator = new Estimator(backend, card);
        float[] windows = new float[batch * estimator.WindowLength];
        CausalWindows.CopyWindows(trial.Inputs, spec, 0, batch, windows);
        int k = card.Outputs.Count;
        float[] estimates = new float[batch * k];
        estimator.EstimatePerKg(windows, batch, estimates);

        Assert.All(estimates, v => Assert.True(float.IsFinite(v)));
        for (int c = 0; c < k; c++)
        {
            float[] series = [.. Enumerable.Range(0, batch).Select(b => estimates[(b * k) + c])];
            if (card.Outputs[c].Kind == ChannelKind.Moment)
            {
                // Walking hip moments stay within a few N·m/kg (peaks about 1).
                Assert.All(series, v => Assert.InRange(v, -3f, 3f));
            }
            else
            {
                // Group forces are tensions: about zero up to a few tens of N/kg in walking.
                Assert.All(series, v => Assert.InRange(v, -5f, 60f));
            }
        }
        // The estimates follow the motion: the hip flexion moment changes over the 0.15 s the windows span.
        int flexion = card.Outputs.Select(c => c.Name).ToList().IndexOf("hip_flexion_r_moment");
        float[] hip = [.. Enumerable.Range(0, batch).Select(b => estimates[(b * k) + flexion])];
        Assert.True(hip.Max() - hip.Min() > 0.02f, $"hip_flexion_r_moment barely moves: {hip.Min():0.000}..{hip.Max():0.000} N·m/kg");
    }
}
