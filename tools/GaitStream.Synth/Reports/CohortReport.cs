using System.Globalization;
using System.Text;
using GaitStream.Synth.Cohort;
using GaitStream.Synth.Kinematics;
using GaitStream.Synth.Labels;
using GaitStream.Tools.Plots;
using ScottPlot;

namespace GaitStream.Synth.Reports;

/// <summary>
/// <c>cohort.md</c> beside the data: per cohort, cadence and side group the subjects' anthropometrics, cadence, stride
/// time, stance fraction, peak hip moments and peak group forces (mean ± SD over subjects), the published ranges the
/// healthy preferred-cadence means are checked against, and PNG figures of mean ± SD curves over the gait cycle
/// (healthy vs the patients' affected and unaffected sides; healthy across cadences).
/// </summary>
public static class CohortReport
{
    public static readonly string[] Groups = ["glut_med", "glut_max", "glut_min", "iliopsoas", "adductors", "hamstrings", "rect_fem", "tfl"];

    private static readonly Color Healthy = new(0, 114, 178);
    private static readonly Color Affected = new(213, 94, 0);
    private static readonly Color Unaffected = new(230, 159, 0);

    /// <summary>Peak metrics of one side's cycle average.</summary>
    public static Dictionary<string, double> Peaks(SideCycles c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var p = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["stance_fraction"] = c.StanceFraction,
            ["stride_time_s"] = c.StrideTimeS,
        };
        if (c.Cycles == 0)
        {
            return p;
        }
        double[] flexM = c.Curves["hip_flexion_moment"];
        double[] addM = c.Curves["hip_adduction_moment"];
        double[] hip = c.Curves["hip_flexion"];
        p["hip_flexion_rom_deg"] = hip.Max() - hip.Min();
        p["hip_extension_peak_deg"] = -hip.Min();
        p["hip_adduction_rom_deg"] = c.Curves["hip_adduction"].Max() - c.Curves["hip_adduction"].Min();
        p["hip_extension_moment"] = -flexM[..51].Min();
        p["hip_flexion_moment"] = flexM[30..71].Max();
        p["hip_abduction_moment"] = -addM[..61].Min();
        p["grf_vertical_peak"] = c.Curves["grf_vertical"][..61].Max();
        foreach (string g in Groups)
        {
            p[g] = c.Curves[g].Max();
        }
        return p;
    }

    /// <summary>Rows of the report: healthy (both legs averaged per subject), patients' affected and unaffected sides.</summary>
    public static List<GroupStats> Summarise(IReadOnlyList<GeneratedTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var rows = new List<GroupStats>();
        foreach (var byCondition in trials.GroupBy(t => (t.Subject.Cohort, t.Condition)).OrderBy(g => g.Key.Cohort == SubjectProfile.HealthyCohort ? 0 : 1).ThenBy(g => g.Key.Condition, StringComparer.Ordinal))
        {
            bool healthy = byCondition.Key.Cohort == SubjectProfile.HealthyCohort;
            foreach (string sideGroup in healthy ? ["both"] : (string[])["affected", "unaffected"])
            {
                var perSubject = new List<(Dictionary<string, double> Metrics, IReadOnlyDictionary<string, double[]> Curves)>();
                foreach (GeneratedTrial t in byCondition)
                {
                    IEnumerable<SideCycles> sides = sideGroup switch
                    {
                        "both" => [t.Right, t.Left],
                        "affected" => [t.Subject.AffectedSide == "r" ? t.Right : t.Left],
                        _ => [t.Subject.AffectedSide == "r" ? t.Left : t.Right],
                    };
                    var used = sides.Where(s => s.Cycles > 0).ToList();
                    if (used.Count == 0)
                    {
                        continue;
                    }
                    var peaks = used.Select(Peaks).ToList();
                    var metrics = peaks[0].Keys.ToDictionary(k => k, k => peaks.Average(p => p[k]), StringComparer.Ordinal);
                    metrics["body_mass_kg"] = t.Subject.BodyMassKg;
                    metrics["height_m"] = t.Subject.HeightM;
                    metrics["cadence_spm"] = t.CadenceSpm;
                    metrics["speed_mps"] = t.SpeedMps;
                    metrics["mean_vertical_grf_bw"] = t.MeanVerticalGrfBw;
                    var curves = used[0].Curves.Keys.ToDictionary(k => k, k => Enumerable.Range(0, SideCycles.Points).Select(i => used.Average(s => s.Curves[k][i])).ToArray(), StringComparer.Ordinal);
                    perSubject.Add((metrics, curves));
                }
                if (perSubject.Count == 0)
                {
                    continue;
                }
                var values = perSubject[0].Metrics.Keys.ToDictionary(k => k, k => perSubject.Select(s => s.Metrics[k]).ToArray(), StringComparer.Ordinal);
                var meanCurves = perSubject[0].Curves.Keys.ToDictionary(k => k, k =>
                {
                    var mean = new double[SideCycles.Points];
                    var sd = new double[SideCycles.Points];
                    for (int i = 0; i < mean.Length; i++)
                    {
                        (mean[i], sd[i]) = GroupStats.MeanSd([.. perSubject.Select(s => s.Curves[k][i])]);
                    }
                    return (mean, sd);
                }, StringComparer.Ordinal);
                rows.Add(new GroupStats(byCondition.Key.Cohort, byCondition.Key.Condition, sideGroup, perSubject.Count, values, meanCurves));
            }
        }
        return rows;
    }

    /// <summary>The healthy cohort at the preferred cadence against published ranges for adult walking.</summary>
    public static List<PlausibilityCheck> Check(IReadOnlyList<GroupStats> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var checks = new List<PlausibilityCheck>();
        GroupStats? h = rows.FirstOrDefault(r => r.Cohort == SubjectProfile.HealthyCohort && r.Condition == CohortOptions.ConditionName(1.0))
            ?? rows.FirstOrDefault(r => r.Cohort == SubjectProfile.HealthyCohort);
        if (h is null)
        {
            return checks;
        }
        string g = $"{h.Cohort} {h.Condition}";
        checks.Add(new("peak hip extension moment (N·m/kg)", g, h["hip_extension_moment"].Mean, 0.5, 1.2, "Winter 1991; Kadaba et al. 1989 (about 0.6–1.1)"));
        checks.Add(new("peak hip abduction moment (N·m/kg)", g, h["hip_abduction_moment"].Mean, 0.6, 1.2, "Kadaba et al. 1989; Moisio et al. 2003 (about 0.7–1.0)"));
        checks.Add(new("peak late-stance hip flexion moment (N·m/kg)", g, h["hip_flexion_moment"].Mean, 0.4, 1.3, "Winter 1991; Kerrigan et al. 1998 (about 0.5–1.1)"));
        checks.Add(new("first vertical GRF peak (BW)", g, h["grf_vertical_peak"].Mean, 1.0, 1.35, "Perry & Burnfield 2010; Winter 1991 (about 1.1–1.2)"));
        checks.Add(new("stance fraction of the cycle", g, h["stance_fraction"].Mean, 0.57, 0.66, "Perry & Burnfield 2010 (about 0.60)"));
        checks.Add(new("mean vertical GRF over the trial (BW)", g, h["mean_vertical_grf_bw"].Mean, 0.95, 1.05, "Newton: the body does not rise or fall on average"));
        checks.Add(new("hip flexion–extension range (deg)", g, h["hip_flexion_rom_deg"].Mean, 35, 55, "Kadaba et al. 1989 (about 40–45)"));
        checks.Add(new("cadence (steps/min)", g, h["cadence_spm"].Mean, 95, 130, "Tudor-Locke et al. 2011 (100–120)"));
        return checks;
    }

    public static IReadOnlyList<string> Write(string root, IReadOnlyList<SubjectProfile> subjects, IReadOnlyList<GeneratedTrial> trials, CohortOptions options,
        GaitTemplate template, double referenceHeightM)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(template);
        List<GroupStats> rows = Summarise(trials);
        List<PlausibilityCheck> checks = Check(rows);
        var figures = new List<string>();
        string preferred = CohortOptions.ConditionName(options.CadenceFactors.OrderBy(f => Math.Abs(f - 1)).First());
        if (rows.Count > 0)
        {
            figures.Add(CohortFigure(root, rows, preferred));
            if (options.CadenceFactors.Count > 1 && rows.Any(r => r.Cohort == SubjectProfile.HealthyCohort))
            {
                figures.Add(CadenceFigure(root, rows));
            }
        }

        var md = new StringBuilder();
        md.Append("# Synthetic cohort\n\n");
        md.Append(CultureInfo.InvariantCulture, $"{subjects.Count(s => !s.IsPathological)} healthy subjects and {subjects.Count(s => s.IsPathological)} antalgic-hip (ONFH-like) patients, ");
        md.Append(CultureInfo.InvariantCulture, $"{options.Cadences} metronome cadence(s) each ({string.Join(", ", options.CadenceFactors.Select(f => $"`{CohortOptions.ConditionName(f)}` = {f * 100:0} %"))} of the preferred cadence), ");
        md.Append(CultureInfo.InvariantCulture, $"{options.Seconds:0.##} s at {options.RateHz:0.##} Hz, seed {options.Seed}, generator {CohortGenerator.GeneratorVersion}. ");
        md.Append(CultureInfo.InvariantCulture, $"Kinematic template: `{template.Source}` ({template.CadenceSpm:0.0} steps/min, stride {template.StrideLengthM:0.00} m, stance {template.RightStanceFraction:0.00} R / {template.LeftStanceFraction:0.00} L). ");
        md.Append(CultureInfo.InvariantCulture, $"Generic model `{CohortGenerator.GenericModelFile}` (estimated stature {referenceHeightM:0.00} m) scaled per subject. ");
        md.Append("Labels: ground reactions estimated from the motion, inverse dynamics, whole-leg static optimization (GaitStream.Biomech). ");
        md.Append("Values are mean ± SD over subjects; healthy rows average both legs per subject, patient rows split the affected and unaffected side. ");
        md.Append("Moments are OpenSim ID generalized forces over body mass: extension = −min of hip_flexion_moment in 0–50 % of the cycle, late-stance flexion = its max in 30–70 %, abduction = −min of hip_adduction_moment in 0–60 %. Forces are group peaks over the cycle.\n\n");

        md.Append("## Subjects and gait\n\n| cohort | condition | side | n | mass (kg) | height (m) | cadence (spm) | stride time (s) | speed (m/s) | stance fraction | hip flex–ext range (°) | hip ab/adduction range (°) | mean vGRF (BW) |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (GroupStats r in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Cohort} | {r.Condition} | {r.SideGroup} | {r.Subjects} | {Ms(r, "body_mass_kg", "0.0")} | {Ms(r, "height_m", "0.00")} | {Ms(r, "cadence_spm", "0.0")} | {Ms(r, "stride_time_s", "0.000")} | {Ms(r, "speed_mps", "0.00")} | {Ms(r, "stance_fraction", "0.000")} | {Ms(r, "hip_flexion_rom_deg", "0.0")} | {Ms(r, "hip_adduction_rom_deg", "0.0")} | {Ms(r, "mean_vertical_grf_bw", "0.000")} |\n");
        }
        md.Append("\n## Peak hip moments (N·m/kg) and vertical GRF (BW)\n\n| cohort | condition | side | extension | late-stance flexion | abduction | first vGRF peak |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (GroupStats r in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Cohort} | {r.Condition} | {r.SideGroup} | {Ms(r, "hip_extension_moment")} | {Ms(r, "hip_flexion_moment")} | {Ms(r, "hip_abduction_moment")} | {Ms(r, "grf_vertical_peak")} |\n");
        }
        md.Append("\n## Peak hip muscle-group forces (N/kg)\n\n| cohort | condition | side | " + string.Join(" | ", Groups) + " |\n| --- | --- | --- | " + string.Join(" | ", Groups.Select(_ => "---")) + " |\n");
        foreach (GroupStats r in rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {r.Cohort} | {r.Condition} | {r.SideGroup} | {string.Join(" | ", Groups.Select(g => Ms(r, g, "0.0")))} |\n");
        }
        md.Append("\n## Published ranges checked (healthy, preferred cadence)\n\n| quantity | cohort mean | range | met | source |\n| --- | --- | --- | --- | --- |\n");
        foreach (PlausibilityCheck c in checks)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {c.Name} | {c.Value:0.###} | {c.Min:0.##}–{c.Max:0.##} | {(c.Passed ? "yes" : "**no**")} | {c.Source} |\n");
        }
        md.Append(CultureInfo.InvariantCulture, $"\n{checks.Count(c => c.Passed)} of {checks.Count} ranges met. Reserve torque needed by static optimization: max {trials.Select(t => t.MaxReserveNm).DefaultIfEmpty(0).Max():0.###} N·m over all trials.\n\n");
        md.Append("## Curves over the gait cycle\n\n");
        foreach (string f in figures)
        {
            md.Append(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(f)}]({Path.GetFileName(f)})\n\n");
        }
        File.WriteAllText(Path.Combine(root, "cohort.md"), md.ToString());
        return figures;
    }

    private static string Ms(GroupStats r, string metric, string format = "0.00")
    {
        (double m, double sd) = r[metric];
        return $"{m.ToString(format, CultureInfo.InvariantCulture)} ± {sd.ToString(format, CultureInfo.InvariantCulture)}";
    }

    private static readonly (string Channel, string Title, string Unit)[] Panels =
    [
        ("hip_flexion", "hip flexion angle", "deg"), ("hip_adduction", "hip adduction angle", "deg"), ("hip_flexion_moment", "hip flexion moment", "N·m/kg"),
        ("hip_adduction_moment", "hip adduction moment", "N·m/kg"), ("grf_vertical", "vertical GRF", "BW"), ("glut_med", "gluteus medius", "N/kg"),
        ("glut_max", "gluteus maximus", "N/kg"), ("iliopsoas", "iliopsoas", "N/kg"), ("hamstrings", "hamstrings", "N/kg"),
        ("adductors", "adductors", "N/kg"), ("rect_fem", "rectus femoris", "N/kg"), ("glut_min", "gluteus minimus", "N/kg"),
    ];

    private static string CohortFigure(string root, List<GroupStats> rows, string condition)
    {
        var grid = new FigureGrid(3, 4);
        var series = new List<(GroupStats Row, string Label, Color Color)>();
        foreach (GroupStats r in rows.Where(r => r.Condition == condition))
        {
            string label = r.Cohort == SubjectProfile.HealthyCohort ? $"healthy (n={r.Subjects})" : $"ONFH {r.SideGroup} (n={r.Subjects})";
            series.Add((r, label, r.Cohort == SubjectProfile.HealthyCohort ? Healthy : r.SideGroup == "affected" ? Affected : Unaffected));
        }
        for (int p = 0; p < Panels.Length; p++)
        {
            Draw(grid[p / 4, p % 4], Panels[p], series, legend: p == 0);
        }
        string path = Path.Combine(root, "cohort_curves.png");
        grid.SavePng(path, 380, 280);
        return path;
    }

    private static string CadenceFigure(string root, List<GroupStats> rows)
    {
        var grid = new FigureGrid(1, 4);
        Color[] palette = [new(86, 180, 233), new(0, 114, 178), new(0, 60, 110), new(0, 158, 115), new(204, 121, 167)];
        var healthy = rows.Where(r => r.Cohort == SubjectProfile.HealthyCohort).ToList();
        var series = healthy.Select((r, i) => (r, $"healthy {r.Condition}", palette[i % palette.Length])).ToList();
        (string, string, string)[] panels = [Panels[2], Panels[3], Panels[5], Panels[7]];
        for (int p = 0; p < panels.Length; p++)
        {
            Draw(grid[0, p], panels[p], series, legend: p == 0);
        }
        string path = Path.Combine(root, "cadence_curves.png");
        grid.SavePng(path, 380, 280);
        return path;
    }

    private static void Draw(Plot plot, (string Channel, string Title, string Unit) panel, List<(GroupStats Row, string Label, Color Color)> series, bool legend)
    {
        double[] x = [.. Enumerable.Range(0, SideCycles.Points).Select(i => i * 100.0 / (SideCycles.Points - 1))];
        foreach ((GroupStats row, string label, Color color) in series)
        {
            if (!row.Curves.TryGetValue(panel.Channel, out var curve))
            {
                continue;
            }
            double[] lo = [.. curve.Mean.Zip(curve.Sd, (m, s) => m - s)];
            double[] hi = [.. curve.Mean.Zip(curve.Sd, (m, s) => m + s)];
            var band = plot.Add.FillY(x, lo, hi);
            band.FillColor = color.WithAlpha(0.18);
            band.LineWidth = 0;
            var line = plot.Add.ScatterLine(x, curve.Mean);
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = label;
        }
        plot.Title(panel.Title, size: 13);
        plot.XLabel("gait cycle (%)", size: 11);
        plot.YLabel(panel.Unit, size: 11);
        if (legend)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
        else
        {
            plot.HideLegend();
        }
    }
}
