using GaitStream.Core.Datasets;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Tests;
using GaitStream.Training.Training;

namespace GaitStream.Training.Tests.Training;

/// <summary>
/// The real running dataset (AddBiomechanics, Hamner 2013: 4 subjects × 2 trials, hip moments only) prepared at
/// 100 Hz and split by subject 2 / 1 / 1 with seed 7, with statistics fitted on the training subjects only. Loaded once.
/// </summary>
internal static class RunningData
{
    public const double SampleRateHz = 100;
    public const int SplitSeed = 7;

    private static readonly Lazy<Prepared> Data = new(Load);

    public static SubjectSplit Split => Data.Value.Split;

    public static IReadOnlyList<PreparedTrial> All => Data.Value.All;

    public static IReadOnlyList<PreparedTrial> Train => Data.Value.Train;

    public static IReadOnlyList<PreparedTrial> Validation => Data.Value.Validation;

    public static IReadOnlyList<PreparedTrial> Test => Data.Value.Test;

    public static ZScoreStatistics InputStatistics => Data.Value.Inputs;

    public static ZScoreStatistics OutputStatistics => Data.Value.Outputs;

    /// <summary>1 s windows at 100 Hz with the given stride.</summary>
    public static WindowSpec Window(int strideFrames) => WindowSpec.FromSeconds(1.0, strideFrames / SampleRateHz, SampleRateHz);

    public static WindowDataset Windows(IReadOnlyList<PreparedTrial> trials, int strideFrames) =>
        new(trials, InputStatistics, OutputStatistics, Window(strideFrames));

    private static Prepared Load()
    {
        Dataset dataset = DatasetCatalog.Load(RepoPaths.Shared("addbio-hamner2013-running"));
        var options = new PreprocessingOptions { SampleRateHz = SampleRateHz, IncludeForces = false };
        PreparedTrial[] all = [.. dataset.Trials.Select(t => TrialPreprocessor.Prepare(dataset.LoadTrial(t), options))];
        SubjectSplit split = SubjectSplitter.Split(
            [.. dataset.Subjects.Select(s => new SubjectRef(s.SubjectId, s.Cohort))], new SplitFractions(0.5, 0.25, 0.25), SplitSeed);
        PreparedTrial[] Of(IReadOnlyList<string> ids) => [.. all.Where(t => ids.Contains(t.Labels.SubjectId))];
        PreparedTrial[] train = Of(split.Train);
        (ZScoreStatistics inputs, ZScoreStatistics outputs) = WindowDataset.FitStatistics(train);
        return new Prepared(split, all, train, Of(split.Validation), Of(split.Test), inputs, outputs);
    }

    private sealed record Prepared(
        SubjectSplit Split,
        PreparedTrial[] All,
        PreparedTrial[] Train,
        PreparedTrial[] Validation,
        PreparedTrial[] Test,
        ZScoreStatistics Inputs,
        ZScoreStatistics Outputs);
}
