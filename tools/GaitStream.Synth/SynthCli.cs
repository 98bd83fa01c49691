using System.CommandLine;
using GaitStream.Biomech.Model;
using GaitStream.Core.OpenSim;
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

        var root = new RootCommand("GaitStream synthetic cohort and physics validation.") { validate, bench };
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
