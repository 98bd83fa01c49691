using GaitStream.Server.Demo;
using GaitStream.Server.Hosting;
using GaitStream.Tests;
using GaitStream.Trainer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GaitStream.Dashboard.Tests;

/// <summary>
/// The service running in-process on free ports with the demo feeder (session <c>demo-walk</c>, the bundled gait2354
/// walk in real time), serving one LSTM trained for a single epoch on the real running data (moments only) and
/// exported with <c>gaitstream-trainer export</c>.
/// </summary>
public sealed class LiveServerFixture : IAsyncLifetime
{
    public const string ModelName = "lstm-dashboard";

    private string _root = "";

    public WebApplication App { get; private set; } = null!;

    public ServerEndpoints Endpoints { get; private set; } = null!;

    public Uri HttpAddress => Endpoints.HttpAddress!;

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("gaitstream-dashboard-").FullName;
        string trainDir = Path.Combine(_root, "train"), modelsDir = Path.Combine(_root, "models");
        (int exit, string text) = CapturedConsole.Run(TrainerCli.Run,
            "train", "--dataset", RepoPaths.Shared("addbio-hamner2013-running"), "--moments-only", "--arch", "lstm", "--epochs", "1",
            "--stride-frames", "8", "--split", "0.5,0.25,0.25", "--seed", "7", "--threads", "1", "--device", "cpu", "--out", trainDir);
        Assert.True(exit == TrainerCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", trainDir, "--out", modelsDir, "--name", ModelName);
        Assert.True(exit == TrainerCli.ExitOk, text);

        string dataset = Path.Combine(RepoPaths.RepoRoot, DemoFeeder.DefaultDataset);
        (App, Endpoints) = await ServerApp.StartAsync(
            [$"--{GaitStreamServerOptions.Section}:Demo:Dataset={dataset}"],
            o =>
            {
                o.ModelsDirectory = modelsDir;
                o.GrpcPort = 0;
                o.HttpPort = 0;
                o.TcpPort = -1;
                o.Inference.IntraOpThreads = 1;
            },
            b => b.Services.AddHostedService<DemoFeeder>());
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
    }
}
