using GaitStream.Core.OpenSim;
using GaitStream.Core.Schema;
using GaitStream.Tests;

namespace GaitStream.Core.Tests.Schema;

public sealed class ChannelSchemaTests
{
    [Fact]
    public void Schema_has_ten_inputs_six_moments_and_sixteen_group_forces_in_canonical_order()
    {
        Assert.Equal(10, ChannelSchema.InputAngles.Count);
        Assert.Equal("hip_flexion_r", ChannelSchema.InputAngles[0]);
        Assert.Equal("ankle_angle_l", ChannelSchema.InputAngles[9]);
        Assert.Equal(6, ChannelSchema.HipMoments.Count);
        Assert.Equal(16, ChannelSchema.GroupForces.Count);
        Assert.Equal("glut_max_r", ChannelSchema.GroupForces[0]);
        Assert.Equal("tfl_r", ChannelSchema.GroupForces[7]);
        Assert.Equal("glut_max_l", ChannelSchema.GroupForces[8]);
        Assert.Equal(22, ChannelSchema.Outputs.Count);
        Assert.Equal(ChannelKind.Moment, ChannelSchema.KindOf("hip_rotation_l_moment"));
        Assert.Equal(ChannelKind.Force, ChannelSchema.KindOf("iliopsoas_l"));
        Assert.Equal("N·m/kg", ChannelSchema.UnitOf("hip_flexion_r_moment"));
        Assert.Throws<ArgumentException>(() => ChannelSchema.KindOf("pelvis_tilt"));
    }

    [Fact]
    public void Member_tables_match_the_architecture_page()
    {
        Assert.Equal(["add_long", "add_brev", "add_mag1", "add_mag2", "add_mag3", "pect", "grac"], MuscleGroupTable.Gait2392.Members["adductors"]);
        Assert.Equal(["addlong", "addbrev", "addmagDist", "addmagIsch", "addmagMid", "addmagProx", "grac"], MuscleGroupTable.Rajagopal.Members["adductors"]);
        Assert.Equal(["semimem", "semiten", "bflh"], MuscleGroupTable.Rajagopal.Members["hamstrings"]);
        Assert.Equal(23, MuscleGroupTable.Gait2392.Members.Values.Sum(m => m.Count));
        Assert.Equal(23, MuscleGroupTable.Rajagopal.Members.Values.Sum(m => m.Count));
    }

    [Fact]
    public void Static_optimization_forces_sum_into_groups_with_no_member_missing()
    {
        StorageTable so = StorageReader.Read(RepoPaths.OpenSimReference("gait2392_so_walk", "subject01_walk1_so_force.sto"));

        GroupForces groups = GroupForces.FromForceTable(so);

        Assert.Equal(MuscleModel.Gait2392, groups.Model);
        Assert.Empty(groups.MissingMembers);
        Assert.Equal(so.RowCount, groups.Time.Length);
        int row = 40;
        double expectedGlutMedR = so.Column("glut_med1_r")[row] + so.Column("glut_med2_r")[row] + so.Column("glut_med3_r")[row];
        double expectedAdductorsL = new[] { "add_long_l", "add_brev_l", "add_mag1_l", "add_mag2_l", "add_mag3_l", "pect_l", "grac_l" }
            .Sum(m => so.Column(m)[row]);
        Assert.Equal(expectedGlutMedR, groups.ForcesN[1][row], 9);
        Assert.Equal(expectedAdductorsL, groups.ForcesN[8 + 4][row], 9);
        Assert.Equal(so.Column("tfl_l")[row], groups.ForcesN[15][row]);
    }

    [Fact]
    public void CMC_forces_of_the_54_muscle_model_report_the_missing_members()
    {
        StorageTable cmc = StorageReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_cmc_force.sto"));

        GroupForces groups = GroupForces.FromForceTable(cmc);

        Assert.Equal(MuscleModel.Gait2392, groups.Model);
        Assert.Equal(["glut_min1_r", "glut_min2_r", "glut_min3_r"], groups.MissingMembers["glut_min_r"]);
        Assert.Equal(["add_long_l", "add_brev_l", "add_mag1_l", "add_mag3_l"], groups.MissingMembers["adductors_l"]);
        Assert.Equal(["semimem_r", "semiten_r"], groups.MissingMembers["hamstrings_r"]);
        Assert.False(groups.MissingMembers.ContainsKey("glut_med_r"));
        Assert.Equal(["glut_min_r", "glut_min_l"], groups.EmptyGroups);
        Assert.All(groups.ForcesN[2], f => Assert.Equal(0.0, f));
        Assert.Equal(cmc.Column("bifemlh_r")[10], groups.ForcesN[5][10]);
    }

    [Fact]
    public void Rajagopal_names_are_detected_and_grouped()
    {
        string[] labels = ["glmax1_r", "glmax2_r", "glmax3_r", "recfem_r", "addmagDist_l", "grac_l"];
        double[][] cols = [[1, 2], [10, 20], [100, 200], [5, 6], [7, 8], [1, 1]];
        var table = new StorageTable("ModelForces", labels, [0.0, 0.01], cols);

        GroupForces groups = GroupForces.FromForceTable(table);

        Assert.Equal(MuscleModel.Rajagopal, groups.Model);
        Assert.Equal([111.0, 222.0], groups.ForcesN[0]);
        Assert.Equal([5.0, 6.0], groups.ForcesN[6]);
        Assert.Equal([8.0, 9.0], groups.ForcesN[8 + 4]);
        Assert.Contains("addlong_l", groups.MissingMembers["adductors_l"]);
    }

    [Fact]
    public void A_file_without_any_hip_muscle_is_rejected_with_a_clear_message()
    {
        StorageTable ik = StorageReader.Read(RepoPaths.OpenSimReference("gait2354_walk", "subject01_walk1_ik.mot"));

        var e = Assert.Throws<InvalidDataException>(() => GroupForces.FromForceTable(ik));
        Assert.Contains("is this a muscle force file", e.Message, StringComparison.Ordinal);
    }
}
