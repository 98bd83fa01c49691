using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using GaitStream.Build;

namespace GaitStream.Training.Tests.Runtime;

/// <summary>
/// The build (build/TorchSharpNativeFix.targets) marks GLIBCXX_3.4.32 weak in the output copy of
/// libLibTorchSharp.so where the system libstdc++ lacks it, and leaves the copy byte-identical elsewhere.
/// </summary>
public sealed class TorchSharpNativePatchTests
{
    private const string LibraryName = "libLibTorchSharp.so";
    private const string NeededVersion = "GLIBCXX_3.4.32";

    [LinuxFact]
    public void Output_library_needs_GLIBCXX_3_4_32_weakly_exactly_when_the_system_lacks_it()
    {
        var output = OutputLibrary();
        var original = NuGetCacheLibrary();
        var need = ElfVersionNeeds.Find(output, SystemLibStdCxx.FileName, NeededVersion);
        Assert.NotNull(need);

        var outputBytes = File.ReadAllBytes(output);
        var originalBytes = File.ReadAllBytes(original);
        if (ExpectPatched(out var why))
        {
            Assert.True(need.IsWeak, $"{output} should need {NeededVersion} weakly: {why}");
            Assert.Equal([need.FlagsOffset], DifferingOffsets(originalBytes, outputBytes));
        }
        else
        {
            Assert.False(need.IsWeak, $"{output} should be untouched: {why}");
            Assert.Empty(DifferingOffsets(originalBytes, outputBytes));
        }
    }

    [Fact]
    public void Making_GLIBCXX_3_4_32_weak_sets_one_flag_and_is_idempotent()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"gaitstream-{Guid.NewGuid():N}-{LibraryName}");
        try
        {
            File.Copy(NuGetCacheLibrary(), copy);
            var originalBytes = File.ReadAllBytes(copy);
            var before = ElfVersionNeeds.Read(copy);

            Assert.True(ElfVersionNeeds.MakeWeak(copy, SystemLibStdCxx.FileName, NeededVersion));
            var patchedBytes = File.ReadAllBytes(copy);
            Assert.False(ElfVersionNeeds.MakeWeak(copy, SystemLibStdCxx.FileName, NeededVersion));
            Assert.Equal(patchedBytes, File.ReadAllBytes(copy));

            var after = ElfVersionNeeds.Read(copy);
            var target = Assert.Single(before, n => n.File == SystemLibStdCxx.FileName && n.Version == NeededVersion);
            Assert.Equal(0, target.Flags);
            Assert.Contains(before, n => n.File == "libc.so.6" && n.Version == "GLIBC_2.2.5");
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                Assert.Equal((before[i].File, before[i].Version, before[i].Index), (after[i].File, after[i].Version, after[i].Index));
                var expectedFlags = ReferenceEquals(before[i], target) ? ElfVersionNeeds.VerFlagWeak : (ushort)before[i].Flags;
                Assert.Equal(expectedFlags, after[i].Flags);
            }

            // Little-endian vna_flags: only its low byte changes, 0x00 -> 0x02.
            Assert.Equal([target.FlagsOffset], DifferingOffsets(originalBytes, patchedBytes));
            Assert.Equal(0x02, patchedBytes[target.FlagsOffset]);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static bool ExpectPatched(out string why)
    {
        var mode = BuildSetting("GaitStreamTorchSharpPatch") ?? "auto";
        if (mode.Equals("never", StringComparison.OrdinalIgnoreCase) || mode.Equals("always", StringComparison.OrdinalIgnoreCase))
        {
            why = $"GaitStreamTorchSharpPatch={mode}";
            return mode.Equals("always", StringComparison.OrdinalIgnoreCase);
        }

        var libStdCxx = BuildSetting("GaitStreamLibStdCxxPath") ?? SystemLibStdCxx.Find();
        if (libStdCxx is null)
        {
            why = "no system libstdc++ found";
            return true;
        }

        var has = SystemLibStdCxx.HasVersion(libStdCxx, NeededVersion);
        why = $"{libStdCxx} {(has ? "has" : "lacks")} {NeededVersion}";
        return !has;
    }

    private static List<long> DifferingOffsets(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var offsets = new List<long>();
        for (long i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                offsets.Add(i);
            }
        }

        return offsets;
    }

    private static string OutputLibrary()
    {
        // Portable builds keep RID-specific assets under runtimes/; RID-specific builds put them beside the tests.
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", LibraryName),
            Path.Combine(AppContext.BaseDirectory, LibraryName),
        ];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{LibraryName} is not in the test output '{AppContext.BaseDirectory}'.");
    }

    /// <summary>The pristine copy in the NuGet package folder, located through this test's deps.json.</summary>
    private static string NuGetCacheLibrary()
    {
        var packageRoot = BuildSetting("NuGetPackageRoot")
            ?? throw new InvalidOperationException("The test assembly lacks its NuGetPackageRoot metadata.");
        var depsFile = Path.Combine(AppContext.BaseDirectory, typeof(TorchSharpNativePatchTests).Assembly.GetName().Name + ".deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var torchSharp = deps.RootElement.GetProperty("libraries").EnumerateObject()
            .Single(library => library.Name.StartsWith("TorchSharp/", StringComparison.Ordinal));
        var path = Path.Combine(packageRoot, torchSharp.Value.GetProperty("path").GetString()!, "runtimes", "linux-x64", "native", LibraryName);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The NuGet cache copy of {LibraryName} is missing.", path);
    }

    private static string? BuildSetting(string key)
    {
        var value = typeof(TorchSharpNativePatchTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(attribute => attribute.Key == key)?.Value;
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
