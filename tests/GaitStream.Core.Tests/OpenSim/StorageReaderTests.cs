using GaitStream.Core.OpenSim;
using GaitStream.Tests;

namespace GaitStream.Core.Tests.OpenSim;

public sealed class StorageReaderTests
{
    public static TheoryData<string> AllSharedStorageFiles()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.EnumerateFiles(RepoPaths.SharedData, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".mot", StringComparison.Ordinal) || f.EndsWith(".sto", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.SharedData, f));
        }
        return data;
    }

    [Fact]
    public void Shared_data_holds_the_storage_files_the_tests_expect()
    {
        // 10 opensim-reference files + 16 running-trial files; a silently shrinking folder would weaken the round-trip test.
        Assert.Equal(26, AllSharedStorageFiles().Count);
    }

    [Theory]
    [MemberData(nameof(AllSharedStorageFiles))]
    public void Every_shared_file_round_trips_with_identical_columns_and_values(string relative)
    {
        string path = Path.Combine(RepoPaths.SharedData, relative);
        StorageTable original = StorageReader.Read(path);

        var text = new StringWriter();
        StorageWriter.Write(original, text);
        StorageTable again = StorageReader.Read(new StringReader(text.ToString()), "round-trip");

        Assert.Equal(original.ColumnLabels, again.ColumnLabels);
        Assert.Equal(original.InDegrees, again.InDegrees);
        Assert.Equal(original.Time, again.Time);
        for (int c = 0; c < original.ColumnCount; c++)
        {
            Assert.Equal(original.Columns[c], again.Columns[c]);
        }
    }

    [Theory]
    [MemberData(nameof(AllSharedStorageFiles))]
    public void Every_shared_file_reads_back_to_its_printed_precision_in_OpenSim_fixed_layout(string relative)
    {
        string path = Path.Combine(RepoPaths.SharedData, relative);
        StorageTable original = StorageReader.Read(path);

        var text = new StringWriter();
        StorageWriter.Write(original, text, new StorageWriteOptions { FixedDecimals = 8, NewLine = "\r\n" });
        StorageTable again = StorageReader.Read(new StringReader(text.ToString()), "fixed");

        Assert.Equal(original.ColumnLabels, again.ColumnLabels);
        for (int c = 0; c < original.ColumnCount; c++)
        {
            for (int r = 0; r < original.RowCount; r++)
            {
                // 8 decimals: the rounding error is at most half a unit in the 8th decimal.
                Assert.True(Math.Abs(original.Columns[c][r] - again.Columns[c][r]) <= 0.5e-8 + 1e-12,
                    $"{relative} column {original.ColumnLabels[c]} row {r}: {original.Columns[c][r]} vs {again.Columns[c][r]}");
            }
        }
    }

    [Fact]
    public void Reads_the_gait2354_IK_header_columns_and_values()
    {
        StorageTable ik = StorageReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_ik.mot"));

        Assert.Equal("Coordinates", ik.Name);
        Assert.True(ik.InDegrees);
        Assert.Equal(73, ik.RowCount);
        Assert.Equal(23, ik.ColumnCount);
        Assert.Equal("time", ik.TimeLabel);
        Assert.Equal(0.4, ik.Time[0], 12);
        Assert.Equal(1.6, ik.Time[^1], 7);
        Assert.Equal(60.0, ik.SampleRateHz, 4);
        Assert.Equal(20.01810174, ik.Column("hip_flexion_r")[0], 10);
        Assert.Equal(-54.91982332, ik.Column("knee_angle_r")[0], 10);
        Assert.Contains("Angles are in degrees.", ik.HeaderLines);
    }

    [Fact]
    public void Reads_the_old_style_header_of_the_static_optimization_GRF_file()
    {
        StorageTable grf = StorageReader.Read(RepoPaths.OpenSimReference("gait2392_so_walk", "subject01_walk1_grf.mot"));

        Assert.Equal("subject01_walk1_grf.mot", grf.Name);
        Assert.Null(grf.InDegrees);
        Assert.Equal(9009, grf.RowCount);
        Assert.Equal(18, grf.ColumnCount);
        Assert.Equal("right_foot_force_vx", grf.ColumnLabels[0]);
        Assert.Equal(101.51197668, grf.Column("right_foot_force_vx")[0], 10);
        Assert.Equal(15.0133, grf.Time[^1], 6);
    }

    [Fact]
    public void Reads_radians_flag_and_sample_rate_of_a_120_Hz_running_trial()
    {
        StorageTable ik = StorageReader.Read(RepoPaths.Shared("addbio-hamner2013-running", "subject02", "run200_ik.mot"));

        Assert.False(ik.InDegrees);
        Assert.Equal(120.0, ik.SampleRateHz, 1);
        Assert.Equal(37, ik.ColumnCount);
    }

    [Fact]
    public void Accepts_CRLF_space_separation_scientific_notation_and_blank_lines()
    {
        string text = "Coordinates\r\nversion=1\r\nnRows=3\r\nnColumns=3\r\ninDegrees=no\r\nendheader\r\n\r\n" +
                      "time  a  b\r\n" +
                      "0.0  1.5e+01  -2E-3\r\n" +
                      "1.0e-2\t  NaN\t3\r\n" +
                      "\r\n" +
                      "2.0E-02 4 -inf\r\n";
        StorageTable t = StorageReader.Read(new StringReader(text), "crlf.sto");

        Assert.Equal(["a", "b"], t.ColumnLabels);
        Assert.False(t.InDegrees);
        Assert.Equal([0.0, 0.01, 0.02], t.Time);
        Assert.Equal(15.0, t.Column("a")[0]);
        Assert.True(double.IsNaN(t.Column("a")[1]));
        Assert.Equal(-0.002, t.Column("b")[0]);
        Assert.Equal(double.NegativeInfinity, t.Column("b")[2]);
    }

    [Theory]
    [InlineData("name\nversion=1\ntime\ta\n0\t1\n", 4, null, "missing 'endheader'")]
    [InlineData("name\nendheader\ntime\ta\tb\n0\t1\t2\n0.1\t1\n", 5, 3, "ragged row: 2 cells")]
    [InlineData("name\nendheader\ntime\ta\n0\t1\n0.1\t1\t7\n", 5, 3, "ragged row: more cells")]
    [InlineData("name\nendheader\ntime\ta\tb\n0\t1\t2\n0.1\t1\tx2\n", 5, 3, "'x2' is not a number")]
    [InlineData("name\nendheader\ntime\ta\ta\n0\t1\t2\n", 3, 3, "duplicate column name (first seen as column 2)")]
    [InlineData("name\nendheader\ntime\ta\n0\t1\n0.2\t1\n0.1\t1\n", 6, 1, "time is not increasing (0.1 after 0.2)")]
    [InlineData("name\nendheader\ntime\ta\n0\t1\n0\t1\n", 5, 1, "time is not increasing")]
    [InlineData("name\nnRows=3\nendheader\ntime\ta\n0\t1\n", 5, null, "declares 3 rows but the file has 1")]
    [InlineData("name\nnColumns=3\nendheader\ntime\ta\n0\t1\n", 4, null, "declares 3 columns but the label line has 2")]
    [InlineData("name\ninDegrees=maybe\nendheader\ntime\ta\n0\t1\n", 2, null, "inDegrees must be yes or no")]
    public void Malformed_files_name_file_line_and_column(string text, int line, int? column, string problem)
    {
        var e = Assert.Throws<StorageFormatException>(() => StorageReader.Read(new StringReader(text), "bad.sto"));

        Assert.Equal("bad.sto", e.FilePath);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.sto:{line}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_numeric_cell_error_names_the_column_label()
    {
        var e = Assert.Throws<StorageFormatException>(() =>
            StorageReader.Read(new StringReader("n\nendheader\ntime\thip_flexion_r\n0\tabc\n"), "ik.mot"));

        Assert.Equal("ik.mot:4: column 2 ('hip_flexion_r'): 'abc' is not a number.", e.Message);
    }

    [Fact]
    public void Missing_file_is_a_clear_FileNotFoundException()
    {
        var e = Assert.Throws<FileNotFoundException>(() => StorageReader.Read("/nonexistent/trial_ik.mot"));
        Assert.Contains("/nonexistent/trial_ik.mot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_keeps_free_text_header_lines_and_regenerates_counts()
    {
        var table = new StorageTable("Forces", ["f"], [0.0, 0.5], [[1.25, -3.0]], inDegrees: false,
            headerLines: ["nRows=999", "Units are S.I. units (second, meters, Newtons, ...)"]);
        var text = new StringWriter();
        StorageWriter.Write(table, text);

        Assert.Equal(
            "Forces\nversion=1\nnRows=2\nnColumns=2\ninDegrees=no\nUnits are S.I. units (second, meters, Newtons, ...)\nendheader\n" +
            "time\tf\n0\t1.25\n0.5\t-3\n",
            text.ToString());
    }
}
