using GaitStream.Core.Preprocessing;
using ModelCard = GaitStream.Inference.Cards.ModelCard;
using GaitStream.Server.Hosting;
using GaitStream.Synth;
using GaitStream.Tests;
using GaitStream.Trainer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GaitStream.Replay.Tests;

/// <summary>
/// Shared by the replay tests: a tiny synthetic cohort (3 healthy subjects and 1 antalgic patient, one 3 s trial each at
/// 100 Hz), an LSTM trained for one epoch on it with moments and forces (0.5 s windows) and exported as <see cref="ModelName"/>,
/// its offline evaluation on every subject (<c>gaitstream-trainer evaluate</c>), a degraded copy of the model under the
/// same name, and the real service running in-process on the good one.
/// </summary>
public sealed class ReplayFixture : IAsyncLifetime
{
    public const string ModelName = "tiny";

    public string Root { get; } = Directory.CreateTempSubdirectory("gaitstream-replay-").FullName;

    public string Dataset => Path.Combine(Root, "cohort");

    public string TrainDir => Path.Combine(Root, "train");

    public string ModelsDir => Path.Combine(Root, "models");

    /// <summary>The same ONNX with its card's output means shifted by half an SD: a model that got worse.</summary>
    public string DegradedModelsDir => Path.Combine(Root, "models-degraded");

    public string OfflineReport => Path.Combine(Root, "evaluate", "report.json");

    public string ServerUrl { get; private set; } = "";

    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        (int exit, string text) = CapturedConsole.Run(SynthCli.Run, "generate", "--out", Dataset, "--healthy", "3", "--pathological", "1", "--cadences", "1",
            "--seconds", "3", "--threads", "1", "--reference", RepoPaths.Shared("opensim-reference"));
        Assert.True(exit == SynthCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "train", "--dataset", Dataset, "--arch", "lstm", "--epochs", "1", "--window-s", "0.5",
            "--stride-frames", "8", "--split", "0.34,0.33,0.33", "--seed", "7", "--threads", "1", "--device", "cpu", "--out", TrainDir);
        Assert.True(exit == TrainerCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", TrainDir, "--out", ModelsDir, "--name", ModelName);
        Assert.True(exit == TrainerCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "evaluate", "--model", TrainDir, "--dataset", Dataset, "--subjects", "all", "--threads", "1",
            "--out", Path.GetDirectoryName(OfflineReport)!);
        Assert.True(exit == TrainerCli.ExitOk, text);
        WriteDegradedModel();

        (_app, ServerEndpoints endpoints) = await ServerApp.StartAsync([], o =>
        {
            o.GrpcPort = 0;
            o.HttpPort = -1;
            o.TcpPort = -1;
            o.ModelsDirectory = ModelsDir;
            o.Limits.MaxFramesPerSecondPerSession = 10_000_000;
        }, builder => builder.Logging.ClearProviders());
        ServerUrl = endpoints.GrpcAddress.ToString();
    }

    private void WriteDegradedModel()
    {
        Directory.CreateDirectory(DegradedModelsDir);
        File.Copy(Path.Combine(ModelsDir, ModelName + ModelCard.OnnxExtension), Path.Combine(DegradedModelsDir, ModelName + ModelCard.OnnxExtension));
        ModelCard card = ModelCard.Load(Path.Combine(ModelsDir, ModelName + ModelCard.CardExtension));
        ZScoreStatistics o = card.OutputStatistics;
        double[] shifted = [.. o.Means.Select((m, c) => m + (0.5 * o.StandardDeviations[c]))];
        (card with { OutputStatistics = new ZScoreStatistics(o.ChannelNames, shifted, o.StandardDeviations, o.FrameCount) }).Save(DegradedModelsDir);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(Root, recursive: true);
    }
}
