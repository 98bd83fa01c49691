using System.CommandLine;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;
using GaitStream.Synth.Cohort;
using GaitStream.Synth.Validation;
using Spectre.Console;

namespace GaitStream.Synth;

/// <summary>
/// The <c>gaitstream-synth</c> command line. Exit codes: 0 success, 1 unexpected failure, 2 bad input,
/// 3 a validation target was missed (the report says which).
/// </summary>
public static class SynthCli
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;
    public const int ExitTargetMissed = 3;

    public static int Run(string[] args, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var output = new Option<string>("--out") { Description = "Folder for validation.json, validation.md and the figures.", DefaultValueFactory = _ => "out/validation" };
        var reference = new Option<string?>("--reference") { Description = "OpenSim reference folder (default: ../shared/data/opensim-reference beside the repository)." };
        var validate = new Command("validate", "Compare GaitStream's inverse dynamics (and, as they land, ground-reaction estimation and static optimization) with OpenSim on the shared real files.")
        {
            output, reference,
        };
        validate.SetAction(parse =>
        {
            try
            {
                return Validate(console, parse.GetValue(reference) ?? DefaultReference(), parse.GetValue(output)!);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or StorageFormatException or ModelFormatException or InvalidDataException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitBadInput;
            }
        });

        var benchOut = new Option<string>("--out") { Description = "JSON file to write.", DefaultValueFactory = _ => "out/bench/physics.json" };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats (median reported).", DefaultValueFactory = _ => 5 };
        var bench = new Command("bench", "Time the physics labelling pipeline (GRF estimation + ID + static optimization) on the real gait2392 walk; writes JSON.")
        {
            benchOut, repeats, reference,
        };
        bench.SetAction(parse =>
        {
            string json = PhysicsBenchmark.Run(parse.GetValue(reference) ?? DefaultReference(), parse.GetValue(repeats));
            string path = parse.GetValue(benchOut)!;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, json);
            console.WriteLine(json);
            return ExitOk;
        });

        Command generate = GenerateCommand(console, reference);

        var root = new RootCommand("GaitStream synthetic cohort and physics validation.") { generate, validate, bench };
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
            }
            return ExitBadInput;
        }
        return result.Invoke();
    }

    private static Command GenerateCommand(IAnsiConsole console, Option<string?> reference)
    {
        var outDir = new Option<string>("--out") { Description = "Dataset folder to write.", Required = true };
        var healthy = new Option<int>("--healthy") { Description = "Healthy subjects.", DefaultValueFactory = _ => 60 };
        var pathological = new Option<int>("--pathological") { Description = "Antalgic-hip (ONFH-like) patients for zero-shot validation.", DefaultValueFactory = _ => 9 };
        var cadences = new Option<int>("--cadences") { Description = "Metronome cadences per subject (spread over ±10 % of the preferred).", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Trial length, s.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Sample rate, Hz.", DefaultValueFactory = _ => 100 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed writes the same bytes.", DefaultValueFactory = _ => 1UL };
        var noise = new Option<double>("--angle-noise") { Description = "SD of Gaussian noise on the IK angles (inputs only), degrees; 0 = off.", DefaultValueFactory = _ => 0 };
        var side = new Option<string>("--affected-side") { Description = "Patients' affected side: r, l or random.", DefaultValueFactory = _ => "random" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores)." };
        var command = new Command("generate", "Generate a synthetic cohort (healthy at metronome cadences + antalgic-hip patients) with physics-derived labels, in the GaitStream dataset layout.")
        {
            outDir, healthy, pathological, cadences, seconds, rate, seed, noise, side, threads, reference,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new CohortOptions
                {
                    Healthy = parse.GetValue(healthy),
                    Pathological = parse.GetValue(pathological),
                    Cadences = parse.GetValue(cadences),
                    Seconds = parse.GetValue(seconds),
                    RateHz = parse.GetValue(rate),
                    Seed = parse.GetValue(seed),
                    AngleNoiseDeg = parse.GetValue(noise),
                    Parallelism = parse.GetValue(threads),
                    Pathology = new PathologyOptions { AffectedSide = parse.GetValue(side)! },
                };
                return Generate(console, parse.GetValue(reference) ?? DefaultReference(), parse.GetValue(outDir)!, options);
            }
            catch (Exception e) when (e is ArgumentException or DirectoryNotFoundException or FileNotFoundException or StorageFormatException or ModelFormatException or InvalidDataException)
            {
                console.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return ExitBadInput;
            }
        });
        return command;
    }

    private static int Generate(IAnsiConsole console, string referenceDir, string outDir, CohortOptions options)
    {
        var generator = new CohortGenerator(referenceDir, options);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        CohortResult result = null!;
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("trials", maxValue: generator.TrialCount);
                result = generator.Generate(outDir, new SynchronousProgress(() => task.Increment(1)));
            });
        GaitStream.Synth.Kinematics.GaitTemplate t = result.Template;
        console.MarkupLineInterpolated($"Template: {t.CycleDurationS:0.000} s cycle ({t.CadenceSpm:0.0} steps/min), stride {t.StrideLengthM:0.00} m, stance {t.RightStanceFraction:0.000} R / {t.LeftStanceFraction:0.000} L, left heel strike at {t.LeftHeelStrikePhase:0.000}.");
        console.MarkupLineInterpolated($"Wrote {result.Subjects.Count} subjects, {result.Trials.Count} trials and cohort.md to {result.Root} in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        return ExitOk;
    }

    /// <summary>Reports on the worker's thread (Progress&lt;T&gt; would post to a context the console does not pump).</summary>
    private sealed class SynchronousProgress(Action onReport) : IProgress<GeneratedTrial>
    {
        public void Report(GeneratedTrial value) => onReport();
    }

    private static int Validate(IAnsiConsole console, string referenceDir, string outDir)
    {
        ValidationReport report = null!;
        console.Status().Start("validating", ctx =>
            report = BiomechValidation.Run(referenceDir, outDir, new Progress<string>(step => ctx.Status(step))));

        File.WriteAllText(Path.Combine(outDir, "validation.json"), report.ToJson());
        File.WriteAllText(Path.Combine(outDir, "validation.md"), report.ToMarkdown());

        var table = new Table().Border(TableBorder.Rounded).AddColumns("comparison", "channel", "metric", "value", "target", "met");
        foreach (var e in report.Entries)
        {
            string target = e.Target is double t ? $"{(e.AtLeast ? "≥" : "≤")} {t:0.###}" : "–";
            string met = e.Passed switch { true => "[green]yes[/]", false => "[red]no[/]", null => "–" };
            table.AddRow(e.Comparison, e.Channel, e.Unit.Length > 0 ? $"{e.Metric} ({e.Unit})" : e.Metric, $"{e.Value:0.0000}", target, met);
        }
        console.Write(table);
        console.MarkupLineInterpolated($"{report.Judged - report.Failed} of {report.Judged} targets met. Wrote {Path.Combine(outDir, "validation.json")}, validation.md and {report.Figures.Count} figure(s).");
        return report.Failed == 0 ? ExitOk : ExitTargetMissed;
    }

    /// <summary>../shared/data/opensim-reference beside the repository, found from the working folder or the tool's location.</summary>
    private static string DefaultReference()
    {
        foreach (string start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "opensim-reference"));
                if (File.Exists(Path.Combine(dir.FullName, "GaitStream.sln")) && Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("../shared/data/opensim-reference was not found beside the repository; pass --reference DIR.");
    }
}
