using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace GaitStream.Training.Training;

/// <summary>Turns a device option ("auto", "cpu", "cuda", "cuda:N") into a TorchSharp device.</summary>
public static class TrainingDevice
{
    /// <summary>
    /// Resolves <paramref name="spec"/>: "auto" is CUDA when <c>torch.cuda.is_available()</c>, else CPU (always CPU
    /// with the TorchSharp-cpu package this repository builds against); "cuda" without a GPU is an error.
    /// </summary>
    public static Device Resolve(string spec)
    {
        (DeviceType type, int index, bool auto) = Parse(spec);
        bool cuda = torch.cuda.is_available();
        if (auto)
        {
            return cuda ? torch.CUDA : torch.CPU;
        }
        if (type == DeviceType.CUDA && !cuda)
        {
            throw new InvalidOperationException(
                $"Device '{spec}' was asked for but torch.cuda.is_available() is false: no GPU, or a CPU-only TorchSharp package. Use 'auto' or 'cpu'.");
        }
        return torch.device(type, index);
    }

    /// <summary>A device as people write it: "cpu", "cuda:0".</summary>
    public static string Describe(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.type == DeviceType.CPU
            ? "cpu"
            : string.Create(CultureInfo.InvariantCulture, $"{device.type.ToString().ToLowerInvariant()}:{Math.Max(device.index, 0)}");
    }

    internal static (DeviceType Type, int Index, bool Auto) Parse(string spec)
    {
        string s = (spec ?? "").Trim().ToLowerInvariant();
        if (s == "auto")
        {
            return (DeviceType.CPU, -1, true);
        }
        if (s == "cpu")
        {
            return (DeviceType.CPU, -1, false);
        }
        if (s == "cuda")
        {
            return (DeviceType.CUDA, 0, false);
        }
        if (s.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(s.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return (DeviceType.CUDA, index, false);
        }
        throw new ArgumentException($"'{spec}' is not a device; use 'auto', 'cpu', 'cuda' or 'cuda:N'.", nameof(spec));
    }
}
