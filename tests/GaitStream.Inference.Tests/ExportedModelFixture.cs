using GaitStream.Tests;
using GaitStream.Trainer;

namespace GaitStream.Inference.Tests;

/// <summary>
/// One LSTM trained for a single epoch on the real running data (moments only) and exported with
/// <c>gaitstream-trainer export</c>, shared by the tests of a class. Tests copy the models folder before tampering.
/// </summary>
public sealed class ExportedModelFixture : IDisposable
{
    public const string Name = "lstm-running";

    public ExportedModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("gaitstream-inference-").FullName;
        TrainDir = Path.Combine(Root, "train");
        ModelsDir = Path.Combine(Root, "models");
        (int exit, string text) = CapturedConsole.Run(TrainerCli.Run,
            "train", "--dataset", Running, "--moments-only", "--arch", "lstm", "--epochs", "1", "--stride-frames", "8",
            "--split", "0.5,0.25,0.25", "--seed", "7", "--threads", "1", "--device", "cpu", "--out", TrainDir);
        Assert.True(exit == TrainerCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", TrainDir, "--out", ModelsDir, "--name", Name);
        Assert.True(exit == TrainerCli.ExitOk, text);
        ExportText = text;
    }

    public static string Running => RepoPaths.Shared("addbio-hamner2013-running");

    public string Root { get; }

    public string TrainDir { get; }

    public string ModelsDir { get; }

    public string ExportText { get; }

    /// <summary>A fresh copy of the models folder that a test may break.</summary>
    public string CopyModels()
    {
        string dir = Directory.CreateTempSubdirectory("gaitstream-models-").FullName;
        foreach (string file in Directory.EnumerateFiles(ModelsDir))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }
        return dir;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
