using System.CommandLine;
using System.Globalization;
using GaitStream.Core.Datasets;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using Spectre.Console;

namespace GaitStream.Trainer;

/// <summary>
/// The <c>gaitstream-trainer</c> command line. Exit codes: 0 success, 2 bad input (the message says what and
/// where), 1 an unexpected failure. Commands: <c>inspect</c> (the protocol's data steps on a dataset).
/// </summary>
public static class TrainerCli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadInput = 2;

    /// <summary>The embedded default dataset, relative to the repository root.</summary>
    public const string DefaultDataset = "data/examples/gait2354-walk";

    public static int Run(string[] args, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var dataset = new Option<string>("--dataset") { Description = $"Dataset folder in the GaitStream layout (default: the embedded {DefaultDataset})." };
        var rate = new Option<double>("--rate") { Description = "Model sample rate, Hz.", DefaultValueFactory = _ => 100 };
        var windowS = new Option<double>("--window-s") { Description = "Causal window length, s.", DefaultValueFactory = _ => 1.0 };
        var stride = new Option<int>("--stride-frames") { Description = "Frames between window targets.", DefaultValueFactory = _ => 1 };
        var lowpass = new Option<double?>("--angle-lowpass-hz") { Description = "Zero-lag low-pass cutoff for the input angles, Hz (default: none)." };
        var momentsOnly = new Option<bool>("--moments-only") { Description = "Use hip moments only as outputs (force references often cover a shorter span)." };
        var seed = new Option<int>("--seed") { Description = "Split seed.", DefaultValueFactory = _ => 1 };
        var split = new Option<string>("--split") { Description = "Train,validation,test fractions of subjects.", DefaultValueFactory = _ => "0.7,0.1,0.2" };
        var external = new Option<string[]>("--external-cohort") { Description = "Cohort held out for zero-shot evaluation (repeatable).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "Folder for inspect.json and zscore.json.", DefaultValueFactory = _ => "out/inspect" };

        var inspect = new Command("inspect", "Validate a dataset and run the benchmark protocol's data steps: resample, split, z-score, windows.")
        {
            dataset, rate, windowS, stride, lowpass, momentsOnly, seed, split, external, output,
        };
        inspect.SetAction(parse => Guarded(console, () =>
        {
            var options = new InspectOptions
            {
                Preprocessing = new PreprocessingOptions
                {
                    SampleRateHz = parse.GetValue(rate),
                    AngleLowPassHz = parse.GetValue(lowpass),
                    IncludeForces = !parse.GetValue(momentsOnly),
                },
                WindowS = parse.GetValue(windowS),
                StrideFrames = parse.GetValue(stride),
                Fractions = ParseFractions(parse.GetValue(split)!),
                Seed = parse.GetValue(seed),
                ExternalCohorts = parse.GetValue(external) ?? [],
            };
            return Inspect(console, ResolveDataset(parse.GetValue(dataset)), options, parse.GetValue(output)!);
        }));

        var root = new RootCommand("GaitStream trainer: datasets in the GaitStream layout, the Gait2Hip benchmark protocol.") { inspect };
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }
            console.WriteLine("Run 'gaitstream-trainer --help' for usage.");
            return ExitBadInput;
        }
        return result.Invoke();
    }

    private static int Inspect(IAnsiConsole console, string datasetDir, InspectOptions options, string outDir)
    {
        Dataset dataset = DatasetCatalog.Load(datasetDir);
        console.MarkupLineInterpolated($"[bold]{dataset.Manifest.Name}[/]  ({dataset.Subjects.Count} subjects, {dataset.Trials.Count} trials, cohorts: {string.Join(", ", dataset.Cohorts)}; conditions: {string.Join(", ", dataset.Conditions)})");
        if (dataset.Manifest.Provenance is string provenance)
        {
            console.MarkupLineInterpolated($"[grey]{provenance}[/]");
        }

        InspectionReport report = null!;
        console.Progress().AutoClear(true).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask("preprocessing trials", maxValue: dataset.Trials.Count);
            report = DatasetInspection.Run(dataset, options, new Progress<(int Done, int Total)>(p => task.Value = p.Done));
            task.Value = dataset.Trials.Count;
        });

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("subject", "cohort", "split", "kg", "condition/trial", "source Hz", "span (s)", "frames", "windows", "outputs (M moments, F forces)");
        foreach (TrialSummary t in report.Trials)
        {
            string outputs = t.Error is not null ? $"[red]{Markup.Escape(t.Error)}[/]" : Describe(t);
            table.AddRow(Markup.Escape(t.SubjectId), Markup.Escape(t.Cohort), t.Split, F(t.BodyMassKg, "0.0"), Markup.Escape($"{t.Condition}/{t.TrialId}"),
                F(t.SourceRateHz, "0.#"), t.Error is null ? $"{F(t.StartS, "0.00")}–{F(t.EndS, "0.00")}" : "–", t.Frames.ToString(CultureInfo.InvariantCulture),
                t.Windows == 0 && t.Error is null ? "[yellow]0[/]" : t.Windows.ToString(CultureInfo.InvariantCulture), outputs);
        }
        console.Write(table);

        int shortTrials = report.Trials.Count(t => t.Error is null && t.Windows == 0);
        if (shortTrials > 0)
        {
            string hint = options.Preprocessing.IncludeForces
                ? "Force references (e.g. CMC) often cover less time than the angles: --moments-only keeps the whole trial, or shorten --window-s."
                : "Shorten --window-s.";
            console.MarkupLineInterpolated($"[yellow]{shortTrials} trial(s) are shorter than one {report.WindowFrames}-frame window on the span where every reference exists.[/] {hint}");
        }
        console.MarkupLineInterpolated($"Split (seed {report.Split.Seed}, {report.Split.Fractions.Train:0.##}/{report.Split.Fractions.Validation:0.##}/{report.Split.Fractions.Test:0.##}): train {report.Split.Train.Count}, validation {report.Split.Validation.Count}, test {report.Split.Test.Count}, external {report.Split.External.Count} subjects.");
        console.MarkupLineInterpolated($"Causal windows: {report.WindowFrames} frames ({report.WindowFrames / report.SampleRateHz:0.###} s) ending at the estimated frame, stride {report.StrideFrames}; {report.TotalWindows} windows in all.");
        if (report.InputZScore is ZScoreStatistics z)
        {
            var zt = new Table().Border(TableBorder.Simple).AddColumns("input angle", "mean (deg)", "SD (deg)");
            for (int c = 0; c < z.ChannelCount; c++)
            {
                zt.AddRow(z.ChannelNames[c], F(z.Means[c], "0.00"), F(z.StandardDeviations[c], "0.00"));
            }
            console.MarkupLineInterpolated($"Input z-score statistics fitted on the {report.Split.Train.Count} training subject(s) only ({z.FrameCount} frames):");
            console.Write(zt);
        }

        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "inspect.json"), report.ToJson());
        if (report.InputZScore is not null)
        {
            File.WriteAllText(Path.Combine(outDir, "zscore.json"), report.InputZScore.ToJson());
        }
        console.MarkupLineInterpolated($"Wrote [blue]{Path.Combine(outDir, "inspect.json")}[/]");

        if (report.FailedTrials > 0)
        {
            console.MarkupLineInterpolated($"[red]{report.FailedTrials} trial(s) could not be prepared; see the table above.[/]");
            return ExitBadInput;
        }
        return ExitOk;
    }

    private static string Describe(TrialSummary t)
    {
        int moments = t.Outputs.Count(o => ChannelSchema.HipMoments.Contains(o));
        int forces = t.Outputs.Count - moments;
        string text = forces > 0 ? $"{moments} M + {forces} F" : $"{moments} M";
        return t.MissingForceMembers.Count > 0 ? $"{text} [yellow]({t.MissingForceMembers.Count} muscles absent)[/]" : text;
    }

    private static string F(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    private static SplitFractions ParseFractions(string text)
    {
        double[] parts = [.. text.Split(',').Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v : throw new ArgumentException($"--split must be three numbers like 0.7,0.1,0.2; '{p}' is not a number."))];
        return parts.Length == 3 ? new SplitFractions(parts[0], parts[1], parts[2])
            : throw new ArgumentException($"--split must be three fractions (train,validation,test), not {parts.Length}.");
    }

    /// <summary>The given folder, or the embedded default found from the working folder or the tool's own location.</summary>
    private static string ResolveDataset(string? given)
    {
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }
        if (Directory.Exists(DefaultDataset))
        {
            return DefaultDataset;
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, DefaultDataset);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"The embedded dataset '{DefaultDataset}' was not found; pass --dataset DIR.");
    }

    private static int Guarded(IAnsiConsole console, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is DatasetValidationException or StorageFormatException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitBadInput;
        }
    }
}
