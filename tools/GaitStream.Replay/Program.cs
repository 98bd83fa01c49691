using GaitStream.Replay;
using Spectre.Console;

IAnsiConsole console = AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    // Logs and CI: no terminal to wrap for, so keep table rows on one line each.
    console.Profile.Width = 160;
}
return ReplayCli.Run(args, console);
