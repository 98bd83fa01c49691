using GaitStream.Server.Demo;
using GaitStream.Server.Hosting;

// gaitstream-server: the streaming service. Configuration: appsettings.json, GaitStream__* environment variables,
// --GaitStream:Key=value arguments (see GaitStreamServerOptions). --demo also streams the bundled example trial into
// the service as a live session, so the estimates, the dashboard and /metrics have something to show.
bool demo = args.Contains("--demo");
string[] hostArgs = [.. args.Where(a => a != "--demo")];
try
{
    WebApplication app = ServerApp.Build(hostArgs, extend: demo ? builder => builder.Services.AddHostedService<DemoFeeder>() : null);
    await app.RunAsync();
    return 0;
}
catch (InvalidOperationException e) when (e.Source != "Microsoft.AspNetCore.Server.Kestrel.Core")
{
    await Console.Error.WriteLineAsync($"gaitstream-server: {e.Message}");
    return 2;
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync($"gaitstream-server: cannot listen: {e.Message} (choose other ports with --GaitStream:GrpcPort=, --GaitStream:HttpPort=, --GaitStream:TcpPort=)");
    return 3;
}
