using System.Diagnostics;

namespace GaitStream.Training.Tests.Onnx;

/// <summary>
/// The independent check: onnx's own <c>onnx.checker.check_model(..., full_check=True)</c> (Debian's python3-onnx),
/// run as a process. Missing python3-onnx fails the test with the install line; it never skips.
/// </summary>
internal static class OnnxChecker
{
    public const string InstallHint = "apt-get install -y python3-onnx";

    private const string CheckScript =
        "import onnx,sys; m=onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); " +
        "print('onnx', onnx.__version__, 'ok: opset', [o.version for o in m.opset_import], 'ir', m.ir_version)";

    // Debian's interpreter first: a pyenv or venv python3 earlier on PATH usually lacks the Debian package.
    private static readonly Lazy<string?> Python = new(FindPythonWithOnnx);

    /// <summary>Runs the checker on <paramref name="path"/>; returns (exit code, stdout + stderr).</summary>
    public static (int ExitCode, string Output) Run(string path)
    {
        var python = Python.Value
            ?? throw new InvalidOperationException(
                $"No python3 with the onnx package was found (tried /usr/bin/python3 and python3 on PATH). Install Debian's checker as root: {InstallHint}");
        return Execute(python, "-c", CheckScript, path);
    }

    /// <summary>Asserts that onnx's checker accepts <paramref name="path"/>; returns its one-line report.</summary>
    public static string AssertValid(string path)
    {
        var (code, output) = Run(path);
        Assert.True(code == 0, $"onnx.checker rejected {Path.GetFileName(path)} (exit {code}):\n{output}");
        return output.Trim();
    }

    private static string? FindPythonWithOnnx()
    {
        foreach (var candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                if (Execute(candidate, "-c", "import onnx").ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed at that path; try the next.
            }
        }
        return null;
    }

    private static (int ExitCode, string Output) Execute(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            throw new TimeoutException($"{fileName} did not finish the ONNX check within two minutes.");
        }
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }
}
