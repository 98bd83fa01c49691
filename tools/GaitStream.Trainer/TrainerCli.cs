using System.CommandLine;
using System.Globalization;
using GaitStream.Core.Datasets;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Preprocessing;
using GaitStream.Core.Protocol;
using GaitStream.Core.Schema;
using GaitStream.Training.Models;
using GaitStream.Training.Runtime;
using Spectre.Console;
using TorchSharp;

namespace GaitStream.Trainer;

/// <summary>
/// The <c>gaitstream-trainer</c> command line. Exit codes: 0 success, 2 bad input (the message says what and
/// where), 1 an unexpected failure. Commands: <c>inspect</c> (the protocol's data steps on a dataset), <c>train</c> (one
/// model), <c>benchmark</c> (every architecture at every rate under one split and budget, plus zero-shot) and
/// <c>evaluate</c> (a trained model on a dataset or a bare OpenSim trial) and <c>export</c> (ONNX + model card).
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

        Command train = TrainCommandLine(console, dataset, rate, windowS, lowpass, momentsOnly, seed, split, external);
        Command benchmark = BenchmarkCommandLine(console, dataset, windowS, lowpass, momentsOnly, seed, split, external);
        Command evaluate = EvaluateCommandLine(console);
        Command export = ExportCommandLine(console);

        var root = new RootCommand("GaitStream trainer: datasets in the GaitStream layout, the Gait2Hip benchmark protocol.") { inspect, train, benchmark, evaluate, export };
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

    /// <summary>
    /// libtorch threads. On a shared 2-core box the default pool (one thread per core, plus inter-op threads) spends
    /// more time contending than computing on these small models; see README, "Trainer", for the measurement.
    /// </summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount / 2);

    private static Option<int> ThreadsOption() => new("--threads")
    {
        Description = $"libtorch CPU threads (default: half the cores, here {DefaultThreads}).",
        DefaultValueFactory = _ => DefaultThreads,
    };

    private static Option<int?> EpochsOption() => new("--epochs") { Description = "Maximum epochs (early stopping, patience 10, may end sooner; default 100, --quick 3)." };

    private static Option<int> BatchOption() => new("--batch") { Description = "Windows per AdamW step.", DefaultValueFactory = _ => 64 };

    private static Option<double> LearningRateOption() => new("--lr") { Description = "Peak learning rate (warm-up 5 %, cosine decay to 1 %).", DefaultValueFactory = _ => 1e-3 };

    private static Option<string> DeviceOption() => new("--device") { Description = "auto, cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };

    private static void SetThreads(int threads)
    {
        if (threads < 1)
        {
            throw new ArgumentException($"--threads must be at least 1; got {threads}.");
        }
        TorchRuntime.EnsureInitialized();
        torch.set_num_threads(threads);
    }

    private static Command TrainCommandLine(
        IAnsiConsole console, Option<string> dataset, Option<double> rate, Option<double> windowS, Option<double?> lowpass, Option<bool> momentsOnly,
        Option<int> seed, Option<string> split, Option<string[]> external)
    {
        var arch = new Option<string>("--arch") { Description = "lstm, transformer or mamba.", DefaultValueFactory = _ => "transformer" };
        var epochs = EpochsOption();
        var batch = BatchOption();
        var lr = LearningRateOption();
        var stride = new Option<int>("--stride-frames") { Description = "Frames between training window targets (test metrics use every frame).", DefaultValueFactory = _ => 1 };
        var threads = ThreadsOption();
        var device = DeviceOption();
        var output = new Option<string>("--out") { Description = "Folder for model.pt, model.json, the checkpoint and the reports.", DefaultValueFactory = _ => "out/train" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out (same options)." };
        var command = new Command("train", "Train one model under the benchmark protocol and evaluate it on the test subjects.")
        {
            dataset, arch, rate, windowS, lowpass, momentsOnly, epochs, batch, lr, stride, seed, split, external, threads, device, output, resume,
        };
        command.SetAction(parse => Guarded(console, () =>
        {
            SetThreads(parse.GetValue(threads));
            var preprocessing = new PreprocessingOptions
            {
                SampleRateHz = parse.GetValue(rate),
                AngleLowPassHz = parse.GetValue(lowpass),
                IncludeForces = !parse.GetValue(momentsOnly),
            };
            preprocessing.Validate();
            var settings = new TrainSettings(parse.GetValue(epochs) ?? 100, parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(seed),
                parse.GetValue(windowS), parse.GetValue(stride), parse.GetValue(device)!);
            return TrainCommand.Run(console, ResolveDataset(parse.GetValue(dataset)), ParseArchitectures(parse.GetValue(arch)!, "--arch").Single(), preprocessing,
                settings, ParseFractions(parse.GetValue(split)!), parse.GetValue(external) ?? [], parse.GetValue(output)!, parse.GetValue(resume));
        }));
        return command;
    }

    private static Command BenchmarkCommandLine(
        IAnsiConsole console, Option<string> dataset, Option<double> windowS, Option<double?> lowpass, Option<bool> momentsOnly,
        Option<int> seed, Option<string> split, Option<string[]> external)
    {
        var rates = new Option<string>("--rates") { Description = "Model rates to benchmark, Hz.", DefaultValueFactory = _ => "50,100,200" };
        var archs = new Option<string>("--archs") { Description = "Architectures, comma-separated.", DefaultValueFactory = _ => "lstm,transformer,mamba" };
        var quick = new Option<bool>("--quick") { Description = $"Reduced budget for CI: {BenchmarkCommand.QuickEpochs} epochs, training stride {BenchmarkCommand.QuickStrideFrames} frames (test metrics still on every frame)." };
        var stride = new Option<int?>("--stride-frames") { Description = $"Frames between training window targets (default 1, --quick {BenchmarkCommand.QuickStrideFrames}); test metrics use every frame." };
        var epochs = EpochsOption();
        var batch = BatchOption();
        var lr = LearningRateOption();
        var threads = ThreadsOption();
        var device = DeviceOption();
        var output = new Option<string>("--out") { Description = "Folder for report.json, report.md, the PNGs and one model folder per rate and architecture.", DefaultValueFactory = _ => "out/benchmark" };
        var command = new Command("benchmark", "Train and evaluate every architecture at every rate under one subject split and budget; the best model zero-shot on the external cohort.")
        {
            dataset, rates, archs, windowS, lowpass, momentsOnly, quick, epochs, stride, batch, lr, seed, split, external, threads, device, output,
        };
        command.SetAction(parse => Guarded(console, () =>
        {
            SetThreads(parse.GetValue(threads));
            bool isQuick = parse.GetValue(quick);
            var settings = new TrainSettings(parse.GetValue(epochs) ?? (isQuick ? BenchmarkCommand.QuickEpochs : 100), parse.GetValue(batch), parse.GetValue(lr),
                parse.GetValue(seed), parse.GetValue(windowS), parse.GetValue(stride) ?? (isQuick ? BenchmarkCommand.QuickStrideFrames : 1), parse.GetValue(device)!);
            if (settings.StrideFrames < 1)
            {
                throw new ArgumentException($"--stride-frames must be at least 1; got {settings.StrideFrames}.");
            }
            var preprocessing = new PreprocessingOptions { AngleLowPassHz = parse.GetValue(lowpass), IncludeForces = !parse.GetValue(momentsOnly) };
            return BenchmarkCommand.Run(console, ResolveDataset(parse.GetValue(dataset)), ParseRates(parse.GetValue(rates)!), ParseArchitectures(parse.GetValue(archs)!, "--archs"),
                preprocessing, settings, isQuick, ParseFractions(parse.GetValue(split)!), parse.GetValue(external) ?? [], parse.GetValue(output)!);
        }));
        return command;
    }

    private static Command EvaluateCommandLine(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "A model folder: the --out of 'train', or rateN/ARCH under the --out of 'benchmark'.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset folder in the GaitStream layout." };
        var ik = new Option<string>("--ik") { Description = "A bare trial: OpenSim inverse-kinematics .mot." };
        var id = new Option<string>("--id") { Description = "Inverse-dynamics .sto of the bare trial (reference moments)." };
        var forces = new Option<string>("--forces") { Description = "Muscle-force .sto of the bare trial (reference group forces)." };
        var mass = new Option<double?>("--body-mass") { Description = "Body mass of the bare trial's subject, kg." };
        var subjects = new Option<EvaluateCommand.SubjectSelection>("--subjects")
        {
            Description = "auto (the model's test subjects on its own dataset, else all), all, test or external.",
            DefaultValueFactory = _ => EvaluateCommand.SubjectSelection.Auto,
        };
        var threads = ThreadsOption();
        var output = new Option<string>("--out") { Description = "Folder for report.json, report.md and curves.png.", DefaultValueFactory = _ => "out/evaluate" };
        var command = new Command("evaluate", "Score a trained model on a dataset or a bare OpenSim trial with the protocol's metrics.")
        {
            model, dataset, ik, id, forces, mass, subjects, threads, output,
        };
        command.SetAction(parse => Guarded(console, () =>
        {
            SetThreads(parse.GetValue(threads));
            var source = new EvaluateCommand.Source(parse.GetValue(dataset), parse.GetValue(ik), parse.GetValue(id), parse.GetValue(forces), parse.GetValue(mass), parse.GetValue(subjects));
            return EvaluateCommand.Run(console, parse.GetValue(model)!, source, parse.GetValue(output)!);
        }));
        return command;
    }

    private static Command ExportCommandLine(IAnsiConsole console)
    {
        var model = new Option<string>("--model") { Description = "A model folder (model.pt + model.json): the --out of 'train', or rateN/ARCH under the --out of 'benchmark'.", Required = true };
        var output = new Option<string>("--out") { Description = "Models folder for NAME.onnx and its card NAME.json.", DefaultValueFactory = _ => "models" };
        var name = new Option<string>("--name") { Description = "Model name (file stem and registry name).", Required = true };
        var command = new Command("export", "Write a trained model as ONNX with its model card, for GaitStream.Inference.") { model, output, name };
        command.SetAction(parse => Guarded(console, () =>
        {
            TorchRuntime.EnsureInitialized();
            return ExportCommand.Run(console, parse.GetValue(model)!, parse.GetValue(output)!, parse.GetValue(name)!);
        }));
        return command;
    }

    private static Architecture[] ParseArchitectures(string text, string option)
    {
        Architecture[] result = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a =>
            Enum.TryParse(a, ignoreCase: true, out Architecture value) && Enum.IsDefined(value)
                ? value
                : throw new ArgumentException($"{option}: '{a}' is not an architecture; use lstm, transformer or mamba."))];
        if (result.Length == 0 || (option == "--arch" && result.Length != 1))
        {
            throw new ArgumentException(option == "--arch" ? "--arch takes one of lstm, transformer, mamba." : $"{option} needs at least one architecture.");
        }
        return [.. result.Distinct()];
    }

    private static double[] ParseRates(string text)
    {
        double[] rates = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p =>
            double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new ArgumentException($"--rates: '{p}' is not a number."))];
        if (rates.Length == 0)
        {
            throw new ArgumentException("--rates needs at least one rate, e.g. 50,100,200.");
        }
        foreach (double r in rates)
        {
            new PreprocessingOptions { SampleRateHz = r }.Validate();
        }
        return [.. rates.Distinct()];
    }

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
                                      or DirectoryNotFoundException or ArgumentException or Inference.Registry.ModelLoadException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return ExitBadInput;
        }
    }
}
