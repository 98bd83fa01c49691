using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Inference.Backends;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Estimation;
using GaitStream.Inference.Registry;
using GaitStream.Tests;
using GaitStream.Trainer;
using ModelCard = GaitStream.Inference.Cards.ModelCard;

namespace GaitStream.Server.Tests;

/// <summary>
/// One LSTM trained for an epoch on the real running data (moments only) and exported with the trainer, plus the
/// real trial the tests stream (subject01 run200 resampled to the model's 100 Hz) and an in-process offline estimator
/// (ONNX Runtime, no server) to compare the service with.
/// </summary>
public sealed class ServerModelFixture : IDisposable
{
    public const string ModelName = "lstm-running";

    public ServerModelFixture()
    {
        Root = Directory.CreateTempSubdirectory("gaitstream-server-").FullName;
        string train = Path.Combine(Root, "train");
        ModelsDir = Path.Combine(Root, "models");
        string running = RepoPaths.Shared("addbio-hamner2013-running");
        (int exit, string text) = CapturedConsole.Run(TrainerCli.Run,
            "train", "--dataset", running, "--moments-only", "--arch", "lstm", "--epochs", "1", "--stride-frames", "8",
            "--split", "0.5,0.25,0.25", "--seed", "7", "--threads", "1", "--device", "cpu", "--out", train);
        Assert.True(exit == TrainerCli.ExitOk, text);
        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", train, "--out", ModelsDir, "--name", ModelName);
        Assert.True(exit == TrainerCli.ExitOk, text);

        RegisteredModel model = new ModelRegistry(ModelsDir).Load(ModelName);
        Card = model.Card;
        Backend = InferenceBackends.Create(model, new InferenceOptions { ExecutionProvider = ExecutionProvider.Cpu, IntraOpThreads = 1, MaxBatchSize = 64 });
        Offline = new Estimator(Backend, Card);

        Dataset dataset = DatasetCatalog.Load(running);
        TrialData trial = dataset.LoadTrial(dataset.Trials.First(t => t.SubjectId == "subject01" && t.Condition == "run200"));
        BodyMassKg = trial.BodyMassKg;
        (double[] _, double[][] channels) = Resampler.ResampleToRate(trial.Angles.Time, trial.Angles.Values, Card.SampleRateHz);
        // The trial is under 2 s; the tests stream it forwards then backwards, repeatedly (600 frames, no jumps).
        int m = channels[0].Length;
        Frames = new float[600][];
        for (int i = 0; i < Frames.Length; i++)
        {
            int phase = i % (2 * (m - 1));
            int j = phase < m ? phase : (2 * (m - 1)) - phase;
            Frames[i] = new float[Card.Inputs.Count];
            for (int c = 0; c < Card.Inputs.Count; c++)
            {
                Frames[i][c] = (float)channels[IndexOf(trial.Angles.Channels, Card.Inputs[c].Name)][j];
            }
        }
    }

    public string Root { get; }

    public string ModelsDir { get; }

    public ModelCard Card { get; }

    public IInferenceBackend Backend { get; }

    /// <summary>The model run in-process on whole windows: what the service must reproduce.</summary>
    public Estimator Offline { get; }

    public double BodyMassKg { get; }

    /// <summary>The real running trial at 100 Hz, forwards and backwards: 600 rows of ten angles (degrees) in the model's order.</summary>
    public float[][] Frames { get; }

    public int WindowFrames => Card.WindowFrames;

    public IReadOnlyList<string> Channels => [.. Card.Inputs.Select(c => c.Name)];

    /// <summary>Offline per-kg estimate for the window ending at frame <paramref name="last"/> of <paramref name="frames"/>.</summary>
    public float[] OfflineEstimate(float[][] frames, int last)
    {
        int l = WindowFrames;
        int c = Card.Inputs.Count;
        float[] window = new float[l * c];
        for (int k = 0; k < l; k++)
        {
            frames[last - l + 1 + k].CopyTo(window, k * c);
        }
        float[] output = new float[Card.Outputs.Count];
        Offline.EstimatePerKg(window, 1, output);
        return output;
    }

    public void Dispose()
    {
        Backend.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"The trial has no channel {name}.");
    }
}
