using System.Text.Json.Nodes;
using GaitStream.Core.Schema;
using GaitStream.Inference.Cards;
using GaitStream.Inference.Registry;
using GaitStream.Tests;
using GaitStream.Trainer;
using ModelCard = GaitStream.Inference.Cards.ModelCard;

namespace GaitStream.Inference.Tests;

[Collection(ExportedModelGroup.Name)]
public sealed class RegistryTests(ExportedModelFixture fixture)
{
    private const string Name = ExportedModelFixture.Name;

    [Fact]
    public void Exported_card_describes_the_model_and_round_trips_through_json()
    {
        string cardPath = Path.Combine(fixture.ModelsDir, Name + ".json");
        ModelCard card = ModelCard.Load(cardPath);

        Assert.Equal(ModelCard.CurrentSchemaVersion, card.SchemaVersion);
        Assert.Equal(Name, card.Name);
        Assert.Equal("Lstm", card.Architecture.Architecture);
        Assert.Equal((10, 6, 64, 2, 100), (card.Architecture.InputChannels, card.Architecture.OutputChannels, card.Architecture.ModelDim, card.Architecture.Layers, card.Architecture.WindowFrames));
        Assert.Equal(67_654, card.Parameters); // the README's LSTM count with 6 outputs
        Assert.Equal(ChannelSchema.InputAngles, card.Inputs.Select(c => c.Name));
        Assert.All(card.Inputs, c => Assert.Equal(("deg", ChannelKind.Angle), (c.Unit, c.Kind)));
        Assert.Equal(ChannelSchema.HipMoments, card.Outputs.Select(c => c.Name));
        Assert.All(card.Outputs, c => Assert.Equal(("N·m/kg", ChannelKind.Moment), (c.Unit, c.Kind)));
        Assert.Equal((100.0, 100), (card.SampleRateHz, card.WindowFrames));
        Assert.False(card.Preprocessing.IncludeForces);
        Assert.Equal(17, card.Opset);
        Assert.Equal(Name + ".onnx", card.OnnxFile);
        Assert.Equal(ModelCard.Sha256Of(Path.Combine(fixture.ModelsDir, card.OnnxFile)), card.OnnxSha256);
        Assert.StartsWith("gaitstream-trainer ", card.CreatedBy, StringComparison.Ordinal);
        Assert.Equal(("addbio-hamner2013-running", 7), (card.Provenance.Dataset, card.Provenance.Seed));
        Assert.Equal(["subject04"], card.Provenance.Split!.Test);
        Assert.NotNull(card.Metrics!["Overall"]!["Moment"]);

        // The statistics are the trainer's, value for value.
        var trained = Trainer.ModelCard.Load(fixture.TrainDir);
        Assert.Equal(trained.InputStatistics.Means, card.InputStatistics.Means);
        Assert.Equal(trained.OutputStatistics.StandardDeviations, card.OutputStatistics.StandardDeviations);

        string json = card.ToJson();
        ModelCard again = ModelCard.FromJson(json, "memory");
        Assert.Equal(json, again.ToJson());
        Assert.Equal(card.Architecture, again.Architecture);
        Assert.Equal(card.Inputs, again.Inputs);
        Assert.Equal(card.CreatedUtc, again.CreatedUtc);
        Assert.Equal(File.ReadAllText(cardPath), json);
    }

    [Fact]
    public void Registry_lists_and_loads_the_exported_model()
    {
        var registry = new ModelRegistry(new ModelRegistryOptions { Directory = fixture.ModelsDir });
        ModelCard listed = Assert.Single(registry.List());
        Assert.Equal(Name, listed.Name);
        Assert.Empty(registry.Problems);

        RegisteredModel model = registry.Load(Name);
        Assert.Equal(Name, model.Card.Name);
        Assert.Equal(new FileInfo(model.OnnxPath).Length, model.OnnxModel.Length);
        Assert.Contains("SHA-256", fixture.ExportText, StringComparison.Ordinal);
    }

    [Fact]
    public void One_broken_model_is_a_problem_and_never_hides_the_good_one()
    {
        string dir = fixture.CopyModels();
        try
        {
            File.WriteAllText(Path.Combine(dir, "broken.json"), "{ \"schema_version\": 1, \"name\": ");
            File.WriteAllBytes(Path.Combine(dir, "orphan.onnx"), [1, 2, 3]);
            JsonObject card = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, Name + ".json")))!.AsObject();
            card["name"] = "no-onnx";
            card["onnx_file"] = "no-onnx.onnx";
            File.WriteAllText(Path.Combine(dir, "no-onnx.json"), card.ToJsonString());

            var registry = new ModelRegistry(dir);
            Assert.Equal([Name], registry.List().Select(c => c.Name));
            Assert.Equal(3, registry.Problems.Count);
            Assert.Contains(registry.Problems, p => p.File.EndsWith("broken.json", StringComparison.Ordinal) && p.Message.Contains("broken.json", StringComparison.Ordinal));
            Assert.Contains(registry.Problems, p => p.File.EndsWith("no-onnx.json", StringComparison.Ordinal) && p.Message.Contains("no-onnx.onnx' is missing", StringComparison.Ordinal));
            Assert.Contains(registry.Problems, p => p.File.EndsWith("orphan.onnx", StringComparison.Ordinal) && p.Message.Contains("has no model card", StringComparison.Ordinal));

            var e = Assert.Throws<ModelLoadException>(() => registry.Load("broken"));
            Assert.Contains("broken.json", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ModelLoadException>(() => registry.Load("missing"));
            Assert.Contains($"Available: broken, {Name}, no-onnx", e.Message, StringComparison.Ordinal);
            Assert.NotNull(registry.Load(Name));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_tampered_onnx_file_fails_the_hash_check_naming_file_and_both_hashes()
    {
        string dir = fixture.CopyModels();
        try
        {
            string onnx = Path.Combine(dir, Name + ".onnx");
            string expected = ModelCard.Sha256Of(onnx);
            byte[] bytes = File.ReadAllBytes(onnx);
            bytes[^10] ^= 0x01; // one bit of a weight
            File.WriteAllBytes(onnx, bytes);

            var e = Assert.Throws<ModelLoadException>(() => new ModelRegistry(dir).Load(Name));
            Assert.Contains(onnx, e.Message, StringComparison.Ordinal);
            Assert.Contains($"expects {expected}", e.Message, StringComparison.Ordinal);
            Assert.Contains($"the file's is {ModelCard.Sha256Of(bytes)}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_card_whose_channel_list_disagrees_with_the_graph_is_refused()
    {
        string dir = fixture.CopyModels();
        try
        {
            string cardPath = Path.Combine(dir, Name + ".json");
            string original = File.ReadAllText(cardPath);

            // Self-consistent card (channels and statistics swapped together) whose order contradicts the graph's.
            JsonObject card = JsonNode.Parse(original)!.AsObject();
            Swap(card["outputs"]!.AsArray(), 0, 1);
            Swap(card["output_statistics"]!["channelNames"]!.AsArray(), 0, 1);
            Swap(card["output_statistics"]!["means"]!.AsArray(), 0, 1);
            Swap(card["output_statistics"]!["standardDeviations"]!.AsArray(), 0, 1);
            File.WriteAllText(cardPath, card.ToJsonString());
            var e = Assert.Throws<ModelLoadException>(() => new ModelRegistry(dir).Load(Name));
            Assert.Contains("does not match its card", e.Message, StringComparison.Ordinal);
            Assert.Contains("the graph's output_channels are [hip_flexion_r_moment,hip_adduction_r_moment,", e.Message, StringComparison.Ordinal);
            Assert.Contains("the card lists [hip_adduction_r_moment,hip_flexion_r_moment,", e.Message, StringComparison.Ordinal);

            // One output channel fewer (architecture, list and statistics all say 5): the graph returns 6.
            card = JsonNode.Parse(original)!.AsObject();
            card["architecture"]!["output_channels"] = 5;
            RemoveLast(card["outputs"]!.AsArray());
            foreach (string key in new[] { "channelNames", "means", "standardDeviations" })
            {
                RemoveLast(card["output_statistics"]![key]!.AsArray());
            }
            File.WriteAllText(cardPath, card.ToJsonString());
            e = Assert.Throws<ModelLoadException>(() => new ModelRegistry(dir).Load(Name));
            Assert.Contains("output 'estimates' is Single [batch, 6] but the card lists 5 output channels", e.Message, StringComparison.Ordinal);
            Assert.Contains("the graph's OutputChannels is 6 but the card's is 5", e.Message, StringComparison.Ordinal);

            // A channel list that contradicts the card's own statistics never gets as far as the graph.
            card = JsonNode.Parse(original)!.AsObject();
            Swap(card["outputs"]!.AsArray(), 0, 1);
            File.WriteAllText(cardPath, card.ToJsonString());
            e = Assert.Throws<ModelLoadException>(() => new ModelRegistry(dir).Load(Name));
            Assert.Contains(cardPath, e.Message, StringComparison.Ordinal);
            Assert.Contains("outputs do not match their z-score statistics", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Export_refuses_bad_input_with_exit_code_2()
    {
        string outDir = Path.Combine(fixture.Root, "bad-export");
        (int exit, string text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", Path.Combine(fixture.Root, "nope"), "--out", outDir, "--name", "x");
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("Model folder not found", text, StringComparison.Ordinal);

        (exit, text) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", fixture.TrainDir, "--out", outDir, "--name", "../evil");
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.Contains("is not a model name", text, StringComparison.Ordinal);

        (exit, _) = CapturedConsole.Run(TrainerCli.Run, "export", "--model", fixture.TrainDir);
        Assert.Equal(TrainerCli.ExitBadInput, exit);
        Assert.False(Directory.Exists(outDir));
    }

    private static void Swap(JsonArray array, int i, int j)
    {
        JsonNode? a = array[i]!.DeepClone();
        array[i] = array[j]!.DeepClone();
        array[j] = a;
    }

    private static void RemoveLast(JsonArray array) => array.RemoveAt(array.Count - 1);
}
