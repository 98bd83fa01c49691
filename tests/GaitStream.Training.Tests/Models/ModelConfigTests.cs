using System.Text.Json;
using GaitStream.Training.Models;

namespace GaitStream.Training.Tests.Models;

public sealed class ModelConfigTests
{
    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Default_config_is_small_and_reads_ten_angles(Architecture architecture)
    {
        var config = ModelConfig.Default(architecture, outputChannels: 22);

        Assert.Equal(architecture, config.Architecture);
        Assert.Equal(10, config.InputChannels);
        Assert.Equal(22, config.OutputChannels);
        Assert.Equal(64, config.ModelDim);
        Assert.Equal(2, config.Layers);
        Assert.Equal(100, config.WindowFrames);
        Assert.Equal(0.1, config.Dropout);
        Assert.Equal(4, config.DeltaRank);
        Assert.Equal(128, config.InnerDim);
        Assert.Equal(200, ModelConfig.Default(architecture, 6, windowFrames: 200).WindowFrames);
    }

    [Theory]
    [MemberData(nameof(ModelTestSupport.Architectures), MemberType = typeof(ModelTestSupport))]
    public void Config_round_trips_through_json_with_the_architecture_by_name(Architecture architecture)
    {
        var config = ModelConfig.Default(architecture, outputChannels: 6, windowFrames: 50) with { Dropout = 0.25 };

        var json = JsonSerializer.Serialize(config);
        var back = JsonSerializer.Deserialize<ModelConfig>(json);

        Assert.Contains($"\"Architecture\":\"{architecture}\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("InnerDim", json, StringComparison.Ordinal);
        Assert.Equal(config, back);
    }

    [Fact]
    public void Json_with_only_the_required_fields_takes_the_documented_extras()
    {
        const string json = """{"Architecture":"Mamba","InputChannels":10,"OutputChannels":22,"ModelDim":64,"Layers":2,"WindowFrames":100}""";

        var config = JsonSerializer.Deserialize<ModelConfig>(json);

        Assert.Equal(ModelConfig.Default(Architecture.Mamba, 22), config);
    }

    public static TheoryData<ModelConfig, string> InvalidConfigs => new()
    {
        { ModelConfig.Default(Architecture.Lstm, 22) with { InputChannels = 0 }, "InputChannels" },
        { ModelConfig.Default(Architecture.Lstm, 22) with { OutputChannels = 0 }, "OutputChannels" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { ModelDim = -4 }, "ModelDim" },
        { ModelConfig.Default(Architecture.Lstm, 22) with { Layers = 0 }, "Layers" },
        { ModelConfig.Default(Architecture.Lstm, 22) with { WindowFrames = 0 }, "WindowFrames" },
        { ModelConfig.Default(Architecture.Transformer, 22) with { Dropout = 1.0 }, "Dropout" },
        { ModelConfig.Default(Architecture.Transformer, 22) with { Dropout = double.NaN }, "Dropout" },
        { ModelConfig.Default(Architecture.Transformer, 22) with { Heads = 3 }, "Heads" },
        { ModelConfig.Default(Architecture.Transformer, 22) with { ModelDim = 63, Heads = 1 }, "ModelDim" },
        { ModelConfig.Default(Architecture.Transformer, 22) with { FeedForwardDim = 0 }, "FeedForwardDim" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { StateSize = 0 }, "StateSize" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { ConvKernel = 0 }, "ConvKernel" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { Expand = 0 }, "Expand" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { DeltaRank = 0 }, "DeltaRank" },
        { ModelConfig.Default(Architecture.Mamba, 22) with { Architecture = (Architecture)7 }, "Architecture" },
    };

    [Theory]
    [MemberData(nameof(InvalidConfigs))]
    public void Validate_names_the_field_that_is_out_of_range(ModelConfig config, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => config.Validate());

        Assert.StartsWith($"ModelConfig.{field} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_and_Create_refuse_an_invalid_config()
    {
        Assert.Throws<ArgumentException>(() => ModelConfig.Default(Architecture.Lstm, outputChannels: 0));
        Assert.Throws<ArgumentException>(() => ModelConfig.Default(Architecture.Mamba, 22, windowFrames: 0));
        var error = Assert.Throws<ArgumentException>(() => SequenceModel.Create(ModelConfig.Default(Architecture.Transformer, 22) with { Heads = 5 }));
        Assert.Contains("must divide ModelDim (64)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extras_of_other_architectures_are_not_validated()
    {
        var lstm = ModelConfig.Default(Architecture.Lstm, 22) with { Heads = 3, StateSize = 0 };

        Assert.Same(lstm, lstm.Validate());
    }
}
