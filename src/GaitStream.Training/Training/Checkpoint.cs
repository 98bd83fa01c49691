using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>
/// One file that holds a training run: its <see cref="CheckpointState"/> (JSON), torch's CPU generator state, the
/// model's weights, the optimiser's state (AdamW moments and step counts) and the best epoch's weights. Owns writing
/// it atomically and reading it back for a resume (<see cref="Trainer.Resume"/>) or for inference
/// (<see cref="LoadWeights"/>).
/// </summary>
/// <remarks>
/// Layout, little-endian via <see cref="BinaryWriter"/>: the magic "GSCKPT"; a format version; the state JSON; the
/// generator state bytes; the current weights as a tensor dictionary (count, then name and TorchSharp's tensor
/// encoding per entry); the optimiser's own state_dict, length-prefixed (empty when none); a flag, then the best
/// weights as a second dictionary when present.
/// Weights are read back on the CPU and copied into the model wherever it lives. The CUDA generators have no
/// TorchSharp accessor, so a resume on a GPU reseeds them instead (dropout masks then differ from an unbroken run).
/// </remarks>
public static class Checkpoint
{
    private const string Magic = "GSCKPT";
    private const int FormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>
    /// Writes a checkpoint to <paramref name="path"/> (through a temporary file and a rename, so a crash mid-write
    /// leaves the previous checkpoint intact), with torch's current CPU generator state.
    /// </summary>
    public static void Save(
        string path,
        CheckpointState state,
        nn.Module model,
        OptimizerHelper? optimizer = null,
        IReadOnlyDictionary<string, Tensor>? bestWeights = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(model);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        using (FileStream stream = File.Create(temporary))
        using (BinaryWriter writer = new(stream, Encoding.UTF8))
        {
            writer.Write(Encoding.ASCII.GetBytes(Magic));
            writer.Write(FormatVersion);
            writer.Write(JsonSerializer.Serialize(state, JsonOptions));
            using (Tensor rng = torch.random.get_rng_state())
            {
                byte[] bytes = rng.bytes.ToArray();
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
            WriteTensors(writer, model.state_dict());
            // Length-prefixed: the optimiser's own encoding has no length, and LoadWeights skips it.
            byte[] optimizerState = [];
            if (optimizer is not null)
            {
                using MemoryStream buffer = new();
                using (BinaryWriter optimizerWriter = new(buffer, Encoding.UTF8, leaveOpen: true))
                {
                    optimizer.save_state_dict(optimizerWriter);
                }
                optimizerState = buffer.ToArray();
            }
            writer.Write(optimizerState.Length);
            writer.Write(optimizerState);
            writer.Write(bestWeights is not null);
            if (bestWeights is not null)
            {
                WriteTensors(writer, bestWeights);
            }
        }
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Reads only the state of a checkpoint (epochs, losses, options).</summary>
    public static CheckpointState ReadState(string path)
    {
        using BinaryReader reader = Open(path);
        return ReadHeader(reader, path).State;
    }

    /// <summary>
    /// Loads a checkpoint's weights into <paramref name="model"/> for inference: the best epoch's when the file has
    /// them and <paramref name="best"/> is true, else the weights of the last completed epoch.
    /// </summary>
    public static CheckpointState LoadWeights(string path, nn.Module model, bool best = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        using BinaryReader reader = Open(path);
        (CheckpointState state, _) = ReadHeader(reader, path);
        Dictionary<string, Tensor> current = ReadTensors(reader);
        try
        {
            reader.BaseStream.Seek(reader.ReadInt32(), SeekOrigin.Current);
            Dictionary<string, Tensor>? bestWeights = reader.ReadBoolean() ? ReadTensors(reader) : null;
            try
            {
                Apply(model, best && bestWeights is not null ? bestWeights : current, path);
            }
            finally
            {
                DisposeAll(bestWeights);
            }
        }
        finally
        {
            DisposeAll(current);
        }
        return state;
    }

    /// <summary>
    /// Restores everything a resume needs: weights into <paramref name="model"/>, the optimiser state into
    /// <paramref name="optimizer"/>, torch's CPU generator state; returns the state and the best weights (CPU
    /// tensors the caller owns), or null when the file has none.
    /// </summary>
    internal static (CheckpointState State, Dictionary<string, Tensor>? BestWeights) Restore(string path, nn.Module model, OptimizerHelper optimizer)
    {
        using BinaryReader reader = Open(path);
        (CheckpointState state, byte[] rng) = ReadHeader(reader, path);
        Dictionary<string, Tensor> current = ReadTensors(reader);
        try
        {
            Apply(model, current, path);
        }
        finally
        {
            DisposeAll(current);
        }
        byte[] optimizerState = reader.ReadBytes(reader.ReadInt32());
        if (optimizerState.Length == 0)
        {
            throw new InvalidDataException($"Checkpoint '{path}' has no optimiser state, so training cannot resume from it exactly.");
        }
        using (BinaryReader optimizerReader = new(new MemoryStream(optimizerState), Encoding.UTF8))
        {
            optimizer.load_state_dict(optimizerReader);
        }
        Dictionary<string, Tensor>? best = reader.ReadBoolean() ? ReadTensors(reader) : null;
        using (Tensor generator = torch.tensor(rng, ScalarType.Byte))
        {
            torch.random.set_rng_state(generator);
        }
        return (state, best);
    }

    /// <summary>Detached copies of a module's parameters and buffers, on their device: a snapshot to restore later.</summary>
    internal static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach ((string name, Tensor value) in model.state_dict())
        {
            using Tensor detached = value.detach();
            copy.Add(name, detached.clone());
        }
        return copy;
    }

    /// <summary>Copies a snapshot's values into the module (any device); throws on missing or unexpected names.</summary>
    internal static void Apply(nn.Module model, Dictionary<string, Tensor> weights, string source)
    {
        try
        {
            model.load_state_dict(weights, strict: true);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException(
                $"The weights in '{source}' do not fit model {model.GetName()}: {e.Message} Expected [{string.Join(", ", model.state_dict().Keys)}], " +
                $"found [{string.Join(", ", weights.Keys)}].", e);
        }
    }

    internal static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }
        foreach (Tensor t in tensors.Values)
        {
            t.Dispose();
        }
        tensors.Clear();
    }

    private static BinaryReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint not found: '{Path.GetFullPath(path)}'.", path);
        }
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static (CheckpointState State, byte[] Rng) ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            byte[] magic = reader.ReadBytes(Magic.Length);
            if (Encoding.ASCII.GetString(magic) != Magic)
            {
                throw new InvalidDataException($"'{path}' is not a GaitStream training checkpoint (it does not start with '{Magic}').");
            }
            int version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"Checkpoint '{path}' has format version {version}; this build reads version {FormatVersion}.");
            }
            CheckpointState state = JsonSerializer.Deserialize<CheckpointState>(reader.ReadString(), JsonOptions)
                ?? throw new InvalidDataException($"Checkpoint '{path}' has an empty state.");
            byte[] rng = reader.ReadBytes(reader.ReadInt32());
            return (state, rng);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException)
        {
            throw new InvalidDataException($"Checkpoint '{path}' is truncated or corrupt: {e.Message}", e);
        }
    }

    private static void WriteTensors(BinaryWriter writer, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        KeyValuePair<string, Tensor>[] all = [.. tensors];
        writer.Write(all.Length);
        foreach ((string name, Tensor value) in all)
        {
            writer.Write(name);
            using Tensor detached = value.detach();
            if (detached.device_type == DeviceType.CPU)
            {
                detached.Save(writer);
            }
            else
            {
                using Tensor cpu = detached.cpu();
                cpu.Save(writer);
            }
        }
    }

    private static Dictionary<string, Tensor> ReadTensors(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var result = new Dictionary<string, Tensor>(count, StringComparer.Ordinal);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                result.Add(name, TensorExtensionMethods.Load(reader));
            }
        }
        catch
        {
            DisposeAll(result);
            throw;
        }
        return result;
    }
}
