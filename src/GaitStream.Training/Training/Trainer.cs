using System.Diagnostics;
using System.Globalization;
using GaitStream.Core.Protocol;
using GaitStream.Training.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>
/// The training loop every benchmarked model runs under the same budget: AdamW, linear warm-up then cosine decay
/// (<see cref="LearningRateSchedule"/>), gradient clipping, a mean-squared-error loss on the standardised estimate
/// of each window's last frame (optionally plus a down-weighted loss on every frame), early stopping on the
/// validation loss with the best weights restored, per-epoch checkpoints and resume. Any
/// <c>nn.Module&lt;Tensor, Tensor&gt;</c> that maps x [B, L, inputs] to causal per-frame estimates [B, L, K] trains here.
/// </summary>
/// <remarks>
/// <para>Reproducible on the CPU: the same options, data and initial weights give the same loss curve, also across a
/// checkpoint and resume. The loop seeds torch's generator with <see cref="TrainingOptions.Seed"/>, shuffles each
/// epoch with SplitMix64 seeded from the seed and the epoch number, and sets the learning rate from the step number in
/// closed form. Seed torch yourself (<c>torch.manual_seed</c>) before building the model so its initial weights
/// repeat too. TorchSharp 0.107 does not implement <c>torch.use_deterministic_algorithms</c> (it is marked obsolete,
/// "not implemented"), so on a GPU some kernels may still vary run to run.</para>
/// <para>Torch's generator is process-wide: two trainers running at once in one process disturb each other's
/// randomness (not their correctness).</para>
/// </remarks>
public sealed class Trainer
{
    /// <summary>Windows per forward pass when computing a validation loss (no gradients, so larger than training batches).</summary>
    public const int EvaluationBatchSize = 256;

    private readonly IProgress<TrainingProgress>? _progress;

    /// <summary>Creates a trainer; <paramref name="progress"/> is called synchronously on the training thread.</summary>
    /// <exception cref="ArgumentException">An option that cannot work (see <see cref="TrainingOptions.Validate"/>).</exception>
    public Trainer(TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _progress = progress;
    }

    public TrainingOptions Options { get; }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/>, validating on <paramref name="validation"/> after
    /// every epoch, and leaves the best epoch's weights in the model (the last epoch's without validation). The model
    /// is moved to the chosen device. Cancellation throws <see cref="OperationCanceledException"/> before the next
    /// step; the last checkpoint, if any, can then be resumed.
    /// </summary>
    public TrainingResult Fit(nn.Module<Tensor, Tensor> model, WindowDataset train, WindowDataset? validation = null, CancellationToken cancellationToken = default) =>
        Run(model, train, validation, checkpointToResume: null, cancellationToken);

    /// <summary>
    /// Continues the run saved in <paramref name="checkpointPath"/> up to <see cref="TrainingOptions.Epochs"/>, as if
    /// it had never stopped: weights, AdamW moments, the schedule's step, torch's generator, the loss curves and the
    /// early-stopping state all come from the checkpoint. The options must agree with the checkpoint's on everything
    /// that shapes the trajectory (all but device, patience, budget and checkpoint path), and the training set must
    /// have as many windows.
    /// </summary>
    public TrainingResult Resume(
        string checkpointPath,
        nn.Module<Tensor, Tensor> model,
        WindowDataset train,
        WindowDataset? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        return Run(model, train, validation, checkpointPath, cancellationToken);
    }

    /// <summary>
    /// Mean squared error of the model's last-frame estimates against <paramref name="dataset"/>'s standardised
    /// targets, over every window and output channel: the validation loss. Runs in eval mode without gradients and
    /// puts the model's training flag back afterwards.
    /// </summary>
    public static double MeanSquaredError(nn.Module<Tensor, Tensor> model, WindowDataset dataset, int batchSize = EvaluationBatchSize, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0)
        {
            throw new ArgumentException("The dataset has no windows: every trial is shorter than the window.", nameof(dataset));
        }
        TorchRuntime.EnsureInitialized();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            double sum = 0;
            foreach (WindowBatch batch in dataset.Batches(batchSize, shuffle: false, seed: 0, device))
            {
                using (batch)
                using (var scope = torch.NewDisposeScope())
                {
                    Tensor output = Forward(model, batch, dataset);
                    sum += (output.select(1, -1) - batch.Targets).to(ScalarType.Float64).square().sum().item<double>();
                }
            }
            return sum / ((double)dataset.Count * dataset.OutputChannelCount);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private TrainingResult Run(
        nn.Module<Tensor, Tensor> model,
        WindowDataset train,
        WindowDataset? validation,
        string? checkpointToResume,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        TorchRuntime.EnsureInitialized();
        CheckData(train, validation);

        Device device = TrainingDevice.Resolve(Options.Device);
        string deviceName = TrainingDevice.Describe(device);
        model.to(device);
        Parameter[] parameters = [.. model.parameters()];
        if (parameters.Length == 0)
        {
            throw new ArgumentException($"Model {model.GetName()} has no parameters to train.", nameof(model));
        }

        int stepsPerEpoch = train.BatchCount(Options.BatchSize);
        long totalSteps = (long)stepsPerEpoch * Options.Epochs;
        using AdamW optimizer = torch.optim.AdamW(parameters, lr: Options.LearningRate, weight_decay: Options.WeightDecay);

        var run = new RunState();
        if (checkpointToResume is null)
        {
            torch.manual_seed(Options.Seed);
            if (device.type == DeviceType.CUDA)
            {
                torch.cuda.manual_seed_all(Options.Seed);
            }
        }
        else
        {
            // Checked before anything is loaded, so a refused resume leaves the model and torch's generator as they were.
            CheckResumable(Checkpoint.ReadState(checkpointToResume), train, checkpointToResume);
            (CheckpointState saved, run.BestWeights) = Checkpoint.Restore(checkpointToResume, model, optimizer);
            run.Load(saved);
            // Whether the run goes on is decided under these options: a larger budget or patience continues a run
            // that stopped under smaller ones (a budget-cut epoch counts as done).
            run.StopReason =
                run.Epoch >= Options.Epochs ? TrainingStopReason.MaxEpochs
                : Options.EarlyStoppingPatience is int patience && validation is not null && run.BestEpoch > 0 && run.EpochsWithoutImprovement >= patience
                    ? TrainingStopReason.EarlyStopping
                : Options.MaxWallClock is TimeSpan budget && run.Elapsed >= budget ? TrainingStopReason.WallClockBudget
                : null;
            if (device.type == DeviceType.CUDA)
            {
                torch.cuda.manual_seed_all(Options.Seed + saved.Epoch);
            }
        }

        try
        {
            Stopwatch wall = Stopwatch.StartNew();
            TimeSpan before = run.Elapsed;
            TimeSpan Elapsed() => before + wall.Elapsed;
            long stepsBefore = run.GlobalStep;
            long windowsTrained = 0;
            TimeSpan trainingTime = TimeSpan.Zero;
            double lastLearningRate = run.GlobalStep > 0 ? LearningRateSchedule.At(run.GlobalStep - 1, totalSteps, Options) : 0;

            TimeSpan? Eta()
            {
                long done = run.GlobalStep - stepsBefore;
                if (done <= 0)
                {
                    return null;
                }
                TimeSpan eta = wall.Elapsed / done * (totalSteps - run.GlobalStep);
                return Options.MaxWallClock is TimeSpan budget ? TimeSpan.FromTicks(Math.Min(eta.Ticks, Math.Max(0, (budget - Elapsed()).Ticks))) : eta;
            }

            void Report(TrainingPhase phase, int epoch, int step, double loss, double? validationLoss) =>
                _progress?.Report(new TrainingProgress(
                    phase, epoch, Options.Epochs, step, stepsPerEpoch, run.GlobalStep, totalSteps, loss, lastLearningRate,
                    validationLoss, Elapsed(), Eta(), deviceName));

            Report(TrainingPhase.Started, run.Epoch, 0, run.TrainLoss.Count > 0 ? run.TrainLoss[^1] : double.NaN, null);
            bool sequence = Options.SequenceLossWeight > 0;

            for (int epoch = run.Epoch + 1; run.StopReason is null && epoch <= Options.Epochs; epoch++)
            {
                model.train();
                double lossSum = 0;
                long windows = 0;
                int step = 0;
                bool outOfTime = false;
                long stepStart = Stopwatch.GetTimestamp();
                foreach (WindowBatch batch in train.Batches(Options.BatchSize, shuffle: true, EpochSeed(Options.Seed, epoch), device, sequence))
                {
                    using (batch)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        lastLearningRate = LearningRateSchedule.At(run.GlobalStep, totalSteps, Options);
                        foreach (optim.ILearningRateController group in optimizer.ParamGroups)
                        {
                            group.LearningRate = lastLearningRate;
                        }
                        double loss = Step(model, optimizer, parameters, batch, train);
                        run.GlobalStep++;
                        step++;
                        lossSum += loss * batch.Count;
                        windows += batch.Count;
                        Report(TrainingPhase.Step, epoch, step, loss, null);
                        if (Options.MaxWallClock is TimeSpan budget && Elapsed() >= budget)
                        {
                            outOfTime = true;
                            break;
                        }
                    }
                }
                trainingTime += Stopwatch.GetElapsedTime(stepStart);
                windowsTrained += windows;

                run.TrainLoss.Add(lossSum / windows);
                double? validationLoss = null;
                if (validation is not null)
                {
                    validationLoss = MeanSquaredError(model, validation, EvaluationBatchSize, device);
                    run.ValidationLoss.Add(validationLoss.Value);
                    if (validationLoss.Value < run.BestValidationLoss - Options.EarlyStoppingMinDelta || run.BestEpoch == 0)
                    {
                        run.BestValidationLoss = validationLoss.Value;
                        run.BestEpoch = epoch;
                        run.EpochsWithoutImprovement = 0;
                        Checkpoint.DisposeAll(run.BestWeights);
                        run.BestWeights = Checkpoint.Snapshot(model);
                    }
                    else
                    {
                        run.EpochsWithoutImprovement++;
                    }
                }
                else
                {
                    run.BestEpoch = epoch;
                }
                run.Epoch = epoch;

                if (outOfTime)
                {
                    run.StopReason = TrainingStopReason.WallClockBudget;
                }
                else if (Options.EarlyStoppingPatience is int patience && validation is not null && run.EpochsWithoutImprovement >= patience)
                {
                    run.StopReason = TrainingStopReason.EarlyStopping;
                }
                else if (epoch == Options.Epochs)
                {
                    run.StopReason = TrainingStopReason.MaxEpochs;
                }

                run.Elapsed = Elapsed();
                if (Options.CheckpointPath is string path)
                {
                    Checkpoint.Save(path, run.ToState(train.Count, Options), model, optimizer, run.BestWeights);
                }
                Report(TrainingPhase.EpochCompleted, epoch, step, run.TrainLoss[^1], validationLoss);
            }

            // A resumed run that had already finished lands here directly and keeps its stop reason.
            run.StopReason ??= TrainingStopReason.MaxEpochs;
            if (validation is not null && run.BestWeights is not null && run.BestEpoch != run.Epoch)
            {
                Checkpoint.Apply(model, run.BestWeights, "the best epoch");
            }
            run.Elapsed = Elapsed();
            Report(TrainingPhase.Finished, run.Epoch, 0, run.TrainLoss.Count > 0 ? run.TrainLoss[^1] : double.NaN, null);

            return new TrainingResult(
                run.Epoch, run.BestEpoch, validation is null ? double.NaN : run.BestValidationLoss,
                [.. run.TrainLoss], [.. run.ValidationLoss], run.StopReason.Value, run.GlobalStep,
                windowsTrained, trainingTime, run.Elapsed, deviceName);
        }
        finally
        {
            Checkpoint.DisposeAll(run.BestWeights);
        }
    }

    /// <summary>One optimiser step; returns the batch's loss.</summary>
    private double Step(nn.Module<Tensor, Tensor> model, AdamW optimizer, Parameter[] parameters, WindowBatch batch, WindowDataset train)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        Tensor output = Forward(model, batch, train);
        Tensor loss = nn.functional.mse_loss(output.select(1, -1), batch.Targets);
        if (Options.SequenceLossWeight > 0)
        {
            loss = loss + (Options.SequenceLossWeight * nn.functional.mse_loss(output, batch.SequenceTargets!));
        }
        loss.backward();
        if (Options.GradientClipNorm is double maxNorm)
        {
            nn.utils.clip_grad_norm_(parameters, maxNorm);
        }
        optimizer.step();
        double value = loss.item<float>();
        if (!double.IsFinite(value))
        {
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The training loss became {value}. Lower TrainingOptions.LearningRate ({Options.LearningRate}) or clip gradients (GradientClipNorm)."));
        }
        return value;
    }

    /// <summary>The model's output for a batch, checked against the sequence-model contract [B, L, K].</summary>
    internal static Tensor Forward(nn.Module<Tensor, Tensor> model, WindowBatch batch, WindowDataset dataset)
    {
        Tensor output = model.call(batch.Inputs);
        long[] shape = output.shape;
        if (shape.Length != 3 || shape[0] != batch.Count || shape[1] != dataset.Window.LengthFrames || shape[2] != dataset.OutputChannelCount)
        {
            throw new InvalidOperationException(
                $"Model {model.GetName()} returned [{string.Join(", ", shape)}] for input [{string.Join(", ", batch.Inputs.shape)}]; " +
                $"a sequence model must return causal per-frame estimates [B, L, K] = [{batch.Count}, {dataset.Window.LengthFrames}, {dataset.OutputChannelCount}].");
        }
        return output;
    }

    private static long EpochSeed(int seed, int epoch)
    {
        SplitMix64 mixer = new(((ulong)(uint)seed << 32) | (uint)epoch);
        return unchecked((long)mixer.Next());
    }

    private static void CheckData(WindowDataset train, WindowDataset? validation)
    {
        if (train.Count == 0)
        {
            throw new ArgumentException(
                $"The training set has no windows: all of its {train.Trials.Count} trial(s) are shorter than the {train.Window.LengthFrames}-frame window.",
                nameof(train));
        }
        if (validation is null)
        {
            return;
        }
        if (validation.Count == 0)
        {
            throw new ArgumentException("The validation set has no windows: every trial is shorter than the window. Pass null to train without validation.", nameof(validation));
        }
        if (validation.Window.LengthFrames != train.Window.LengthFrames
            || !SameStatistics(validation.InputStatistics, train.InputStatistics)
            || !SameStatistics(validation.OutputStatistics, train.OutputStatistics))
        {
            throw new ArgumentException(
                "The validation set must use the training set's window length and z-score statistics (fitted on the training subjects), " +
                "or its loss would measure something else.", nameof(validation));
        }
    }

    private static bool SameStatistics(Core.Preprocessing.ZScoreStatistics a, Core.Preprocessing.ZScoreStatistics b) =>
        ReferenceEquals(a, b)
        || (a.ChannelNames.SequenceEqual(b.ChannelNames, StringComparer.Ordinal) && a.Means.SequenceEqual(b.Means) && a.Scales.SequenceEqual(b.Scales));

    private void CheckResumable(CheckpointState saved, WindowDataset train, string path)
    {
        if (saved.Options is null || saved.Options.TrajectoryDefining() != Options.TrajectoryDefining())
        {
            throw new ArgumentException(
                $"Checkpoint '{path}' was written with options {saved.Options?.TrajectoryDefining()}; resuming with {Options.TrajectoryDefining()} " +
                "would not continue the same run. Only Device, EarlyStoppingPatience, EarlyStoppingMinDelta, MaxWallClock and CheckpointPath may change.",
                nameof(path));
        }
        if (saved.TrainWindowCount != train.Count)
        {
            throw new ArgumentException(
                $"Checkpoint '{path}' was trained on {saved.TrainWindowCount} windows; this training set has {train.Count}. Resume on the same data.", nameof(train));
        }
    }

    /// <summary>The mutable bookkeeping of one run, as a checkpoint stores it.</summary>
    private sealed class RunState
    {
        public int Epoch { get; set; }

        public long GlobalStep { get; set; }

        public int BestEpoch { get; set; }

        public double BestValidationLoss { get; set; } = double.PositiveInfinity;

        public int EpochsWithoutImprovement { get; set; }

        public List<double> TrainLoss { get; } = [];

        public List<double> ValidationLoss { get; } = [];

        public TimeSpan Elapsed { get; set; }

        public TrainingStopReason? StopReason { get; set; }

        public Dictionary<string, Tensor>? BestWeights { get; set; }

        public void Load(CheckpointState state)
        {
            Epoch = state.Epoch;
            GlobalStep = state.GlobalStep;
            BestEpoch = state.BestEpoch;
            BestValidationLoss = double.IsNaN(state.BestValidationLoss) ? double.PositiveInfinity : state.BestValidationLoss;
            EpochsWithoutImprovement = state.EpochsWithoutImprovement;
            TrainLoss.AddRange(state.TrainLoss);
            ValidationLoss.AddRange(state.ValidationLoss);
            Elapsed = state.Elapsed;
            StopReason = state.StopReason;
        }

        public CheckpointState ToState(int trainWindows, TrainingOptions options) => new(
            Epoch, GlobalStep, BestEpoch, ValidationLoss.Count > 0 ? BestValidationLoss : double.NaN, EpochsWithoutImprovement,
            [.. TrainLoss], [.. ValidationLoss], Elapsed, StopReason, trainWindows, options);
    }
}
