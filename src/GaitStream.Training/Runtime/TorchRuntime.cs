using System.Runtime.InteropServices;
using TorchSharp;

namespace GaitStream.Training.Runtime;

/// <summary>
/// Owns loading TorchSharp's native backend (libtorch and libLibTorchSharp) once per process. Call
/// <see cref="EnsureInitialized"/> before the first tensor so a broken native install fails with a sentence
/// that says what to do, instead of a TypeInitializationException deep inside the first model.
/// </summary>
public static class TorchRuntime
{
    // Lazy caches the exception too: every later call reports the same cause without retrying the load.
    private static readonly Lazy<bool> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the CPU backend if it is not loaded yet; throws <see cref="InvalidOperationException"/> if it cannot be.</summary>
    public static void EnsureInitialized() => _ = Loaded.Value;

    private static bool Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return true;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                "TorchSharp's native library (libLibTorchSharp.so) could not be loaded. On Linux the likely cause is a " +
                "system libstdc++ older than GCC 13 that lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04): rebuild with " +
                "'dotnet build', which patches the output copy of libLibTorchSharp.so to need that version only weakly " +
                "(unless GaitStreamTorchSharpPatch=never), and run from that output folder. " + LoaderError(),
                e);
        }
    }

    /// <summary>What dlopen says about the output copy: TorchSharp's own message hides it behind a package hint.</summary>
    private static string LoaderError()
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"),
        ];
        var path = candidates.FirstOrDefault(File.Exists);
        if (!OperatingSystem.IsLinux() || path is null)
        {
            return string.Empty;
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return $"Loading {path} directly works, so the cause lies elsewhere; see the inner exception.";
        }
        catch (DllNotFoundException loadError)
        {
            return "Loader said: " + loadError.Message;
        }
    }
}
