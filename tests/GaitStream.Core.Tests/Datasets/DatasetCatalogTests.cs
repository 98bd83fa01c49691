using GaitStream.Core.Datasets;
using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;
using GaitStream.Tests;

namespace GaitStream.Core.Tests.Datasets;

public sealed class DatasetCatalogTests : IDisposable
{
    private readonly string _tmp = Directory.CreateTempSubdirectory("gaitstream-catalog-").FullName;

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    [Fact]
    public void Loads_the_real_running_dataset_with_its_subjects_trials_and_conditions()
    {
        Dataset ds = DatasetCatalog.Load(RepoPaths.Shared("addbio-hamner2013-running"));

        Assert.Equal("addbio-hamner2013-running", ds.Manifest.Name);
        Assert.Equal(4, ds.Subjects.Count);
        Assert.Equal(8, ds.Trials.Count);
        Assert.Equal(["run200", "run400"], ds.Conditions);
        Assert.Equal(["healthy"], ds.Cohorts);
        Assert.Equal(76.83, ds.Subject("subject02").BodyMassKg);
        Assert.Null(ds.Subject("subject02").HeightM);
        Assert.All(ds.Trials, t => Assert.True(Path.IsPathRooted(t.IkPath) && File.Exists(t.IkPath)));
        Assert.All(ds.Trials, t => Assert.Null(t.ForcesPath));
        Assert.Equal(ChannelSchema.HipMoments, ds.Manifest.OutputChannels);
    }

    [Fact]
    public void Loading_a_running_trial_converts_radians_to_degrees_and_moments_to_per_kg()
    {
        Dataset ds = DatasetCatalog.Load(RepoPaths.Shared("addbio-hamner2013-running"));
        TrialInfo info = ds.Trials.Single(t => t.SubjectId == "subject04" && t.Condition == "run400");
        StorageTable rawIk = StorageReader.Read(info.IkPath);
        StorageTable rawId = StorageReader.Read(info.IdPath!);

        TrialData trial = ds.LoadTrial(info);

        Assert.Equal(ChannelSchema.InputAngles, trial.Angles.Channels);
        Assert.Equal("deg", trial.Angles.Unit);
        Assert.Equal(0.598005 * 180 / Math.PI, trial.Angles.Channel("hip_flexion_r")[0], 9);
        Assert.Equal(rawIk.Column("ankle_angle_l")[100] * 180 / Math.PI, trial.Angles.Channel("ankle_angle_l")[100], 9);
        Assert.NotNull(trial.Moments);
        Assert.Equal(-100.478 / 81.29, trial.Moments!.Channel("hip_flexion_r_moment")[1], 9);
        Assert.Equal(rawId.Column("hip_adduction_l_moment")[50] / 81.29, trial.Moments.Channel("hip_adduction_l_moment")[50], 12);
        Assert.Null(trial.Forces);
        Assert.Equal(new TrialLabels("subject04", "healthy", "run400", "run400"), trial.Labels);
    }

    [Fact]
    public void The_embedded_example_dataset_loads_with_moments_and_grouped_CMC_forces()
    {
        Dataset ds = DatasetCatalog.Load(Path.Combine(RepoPaths.RepoRoot, "data", "examples", "gait2354-walk"));
        TrialData trial = ds.LoadTrial(ds.Trials.Single());
        StorageTable cmc = StorageReader.Read(ds.Trials.Single().ForcesPath!);

        Assert.Equal(72.6, trial.BodyMassKg);
        Assert.Equal(73, trial.Angles.FrameCount);
        Assert.Equal(54, trial.Forces!.FrameCount);
        double glutMed = cmc.Column("glut_med1_l")[20] + cmc.Column("glut_med2_l")[20] + cmc.Column("glut_med3_l")[20];
        Assert.Equal(glutMed / 72.6, trial.Forces.Channel("glut_med_l")[20], 12);
        Assert.Equal("N/kg", trial.Forces.Unit);
        Assert.Contains("glut_min1_r", trial.MissingForceMembers["glut_min_r"]);
    }

    [Fact]
    public void A_bare_trial_loads_without_a_dataset_folder()
    {
        string dir = RepoPaths.OpenSimReference("gait2354_walk");
        TrialData trial = TrialLoader.LoadBare(
            Path.Combine(dir, "subject01_walk1_ik.mot"), Path.Combine(dir, "subject01_walk1_id.sto"), null, 72.6);

        Assert.Equal("subject01_walk1_ik", trial.Labels.SubjectId);
        Assert.Equal(20.01810174, trial.Angles.Channel("hip_flexion_r")[0], 9);
        Assert.Equal(25.83422421 / 72.6, trial.Moments!.Channel("hip_flexion_r_moment")[0], 12);
        Assert.Null(trial.Forces);
    }

    [Fact]
    public void A_bare_trial_missing_input_angles_names_them()
    {
        string ik = RepoPaths.OpenSimReference("gait10dof18musc_walk", "subject01_walk_ik.mot");

        var e = Assert.Throws<InvalidDataException>(() => TrialLoader.LoadBare(ik, null, null, 75));
        Assert.Contains("lacks 4 of the 10 channels", e.Message, StringComparison.Ordinal);
        Assert.Contains("hip_adduction_r, hip_rotation_r, hip_adduction_l, hip_rotation_l", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(7200.0)]
    [InlineData(double.NaN)]
    public void Implausible_body_mass_is_rejected(double mass)
    {
        string ik = RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_ik.mot");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TrialLoader.LoadBare(ik, null, null, mass));
        Assert.Contains("Body mass must be between 20 and 300 kg", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_broken_dataset_is_reported_with_file_and_line()
    {
        string ik = RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_ik.mot");
        Directory.CreateDirectory(Path.Combine(_tmp, "s1"));
        File.Copy(ik, Path.Combine(_tmp, "s1", "walk_ik.mot"));
        File.WriteAllText(Path.Combine(_tmp, "dataset.json"), """{ "name": "broken", "conditions": { "walk": "x" } }""");
        File.WriteAllText(Path.Combine(_tmp, "subjects.csv"),
            "subject_id,cohort,body_mass_kg,height_m,affected_side\n" +
            "s1,healthy,70,1.75,\n" +
            "s2,healthy,abc,1.80,\n" +
            "s1,healthy,71,1.70,\n" +
            "s3,patients,65,175,x\n");
        File.WriteAllText(Path.Combine(_tmp, "trials.csv"),
            "subject_id,condition,trial,cadence_spm,ik,id,forces\n" +
            "s1,walk,t1,105,s1/walk_ik.mot,,\n" +
            "s1,walk,t1,105,s1/walk_ik.mot,,\n" +
            "s9,walk,t1,,s1/walk_ik.mot,,\n" +
            "s3,walk,t1,1000,s3/missing_ik.mot,../outside.sto,\n");

        var e = Assert.Throws<DatasetValidationException>(() => DatasetCatalog.Load(_tmp));

        Assert.Equal(
        [
            "subjects.csv line 3 (s2): body_mass_kg 'abc' is not a number.",
            "subjects.csv line 4 (s1): duplicate subject_id (first on line 2).",
            "subjects.csv line 5 (s3): height_m 175 is outside 0.5–2.5 m (is it in cm?).",
            "subjects.csv line 5 (s3): affected_side must be 'r', 'l' or empty, not 'x'.",
            "trials.csv line 3 (s1/walk/t1): duplicate trial (first on line 2).",
            "trials.csv line 4 (s9/walk/t1): subject 's9' is not in subjects.csv.",
            "trials.csv line 5 (s3/walk/t1): cadence_spm 1000 is outside 20–300 steps/min.",
            "trials.csv line 5 (s3/walk/t1): ik file 's3/missing_ik.mot' does not exist.",
            "trials.csv line 5 (s3/walk/t1): id path '../outside.sto' must be relative and inside the dataset folder.",
            "subjects.csv: subject 's3' has no trial in trials.csv.",
        ], e.Problems);
        Assert.Contains("(10 problems)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_manifest_and_columns_are_reported()
    {
        File.WriteAllText(Path.Combine(_tmp, "dataset.json"), """{ "provenance": "no name" }""");

        var e = Assert.Throws<DatasetValidationException>(() => DatasetCatalog.Load(_tmp));
        Assert.Equal(["dataset.json: \"name\" (a string) is required."], e.Problems);

        File.WriteAllText(Path.Combine(_tmp, "dataset.json"), """{ "name": "x" }""");
        File.WriteAllText(Path.Combine(_tmp, "subjects.csv"), "id,cohort\n");
        File.WriteAllText(Path.Combine(_tmp, "trials.csv"), "subject_id,condition,trial,ik\n");
        e = Assert.Throws<DatasetValidationException>(() => DatasetCatalog.Load(_tmp));
        Assert.Equal(
        [
            "subjects.csv line 1: missing column(s) subject_id, body_mass_kg (header is: id,cohort).",
            "trials.csv: no trials.",
        ], e.Problems);
    }

    [Fact]
    public void Csv_reader_handles_quotes_CRLF_and_embedded_commas()
    {
        CsvTable csv = CsvTable.Read(new StringReader("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",3\r\n\r\n1,2,\"multi\nline\"\r\n"), "q.csv");

        Assert.Equal(["a", "b", "c"], csv.Header);
        Assert.Equal(2, csv.Rows.Count);
        Assert.Equal("x, y", csv.Cell(csv.Rows[0], "a"));
        Assert.Equal("say \"hi\"", csv.Cell(csv.Rows[0], "B"));
        Assert.Equal(2, csv.Rows[0].Line);
        Assert.Equal("multi\nline", csv.Cell(csv.Rows[1], "c"));
        Assert.Equal(4, csv.Rows[1].Line);
    }
}
