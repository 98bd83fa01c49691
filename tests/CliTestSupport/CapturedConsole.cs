using Spectre.Console;

namespace GaitStream.Tests;

/// <summary>Runs a CLI entry point in-process on a plain, wide, non-interactive console and returns its exit code and text.</summary>
internal static class CapturedConsole
{
    public static (int Exit, string Text) Run(Func<string[], IAnsiConsole, int> entryPoint, params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        int exit = entryPoint(args, console);
        return (exit, writer.ToString());
    }
}
