namespace GaitStream.Tests;

/// <summary>
/// Locates the repository root and the shared real-data folder beside it. Tests that need the shared
/// OpenSim files fail with a clear message when they are missing: they never skip silently.
/// </summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    /// <summary>The shared data folder, <c>../shared/data</c> relative to the repository root.</summary>
    public static string SharedData
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException(
                    $"The shared real-data folder was not found at '{path}'. Tests need ../shared/data beside the repository " +
                    "(OpenSim reference outputs); clone the project next to its shared/ folder.");
            }
            return path;
        }
    }

    public static string OpenSimReference(params string[] parts) => Existing(Path.Combine([SharedData, "opensim-reference", .. parts]));

    public static string Shared(params string[] parts) => Existing(Path.Combine([SharedData, .. parts]));

    private static string Existing(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Required shared test data is missing: '{path}'.", path);
        }
        return path;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GaitStream.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"GaitStream.sln not found above '{AppContext.BaseDirectory}'.");
    }
}
