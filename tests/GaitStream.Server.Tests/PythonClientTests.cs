using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GaitStream.Tests;

namespace GaitStream.Server.Tests;

/// <summary>
/// An independent client built from protos/gaitstream.proto by another toolchain (Debian's python3-grpcio and
/// python3-grpc-tools; scripts/test.sh installs them) streams a real trial and gets the estimates the offline model gives.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PythonClientTests(ServerModelFixture model)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task The_python_client_built_from_the_proto_streams_a_trial_and_gets_the_offline_estimates()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install python3 (scripts/test.sh does)");
        await using TestServer server = await TestServer.StartAsync(model);
        string dir = Directory.CreateTempSubdirectory("gaitstream-py-test-").FullName;
        try
        {
            string csv = Path.Combine(dir, "trial.csv");
            var text = new StringBuilder("seq,time_s," + string.Join(',', model.Channels) + "\n");
            for (int i = 0; i < 160; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i},{i / 100.0:R},{string.Join(',', model.Frames[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}\n");
            }
            await File.WriteAllTextAsync(csv, text.ToString());
            string output = Path.Combine(dir, "estimates.json");
            var start = new ProcessStartInfo(Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    Path.Combine(RepoPaths.RepoRoot, "clients", "python", "gaitstream_client.py"),
                    "--server", $"127.0.0.1:{server.Endpoints.GrpcPort}",
                    "--proto", Path.Combine(RepoPaths.RepoRoot, "protos", "gaitstream.proto"),
                    "--csv", csv, "--body-mass", model.BodyMassKg.ToString(CultureInfo.InvariantCulture), "--rate", "100",
                    "--out", output,
                },
            };
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(process.ExitCode == 0, $"python client failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
            Assert.Contains("160 frames sent at 100 Hz, 61 estimates", await stdout, StringComparison.Ordinal);

            using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(output));
            JsonElement[] estimates = [.. json.RootElement.GetProperty("estimates").EnumerateArray()];
            Assert.Equal(61, estimates.Length);
            double worst = 0;
            foreach (JsonElement e in estimates)
            {
                int seq = e.GetProperty("seq").GetInt32();
                float[] offline = model.OfflineEstimate(model.Frames, seq);
                double[] perKg = [.. e.GetProperty("values_per_kg").EnumerateArray().Select(v => v.GetDouble())];
                worst = Math.Max(worst, offline.Zip(perKg, (o, s) => Math.Abs(o - s)).Max());
            }
            Assert.True(worst <= 1e-4, $"largest |python client − offline| = {worst:E2}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
