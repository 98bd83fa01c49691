using System.Globalization;
using System.Net.Sockets;
using System.Text;
using GaitStream.Protocol.V1;
using Grpc.Core;

namespace GaitStream.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class TcpBridgeTests(ServerModelFixture model)
{
    /// <summary>A device on a raw socket: writes lines, reads lines.</summary>
    private sealed class LineClient : IDisposable
    {
        private readonly TcpClient _tcp = new();
        private StreamReader? _reader;
        private StreamWriter? _writer;

        public async Task ConnectAsync(int port)
        {
            await _tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
            NetworkStream stream = _tcp.GetStream();
            _reader = new StreamReader(stream, Encoding.UTF8);
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = false };
        }

        public async Task SendAsync(string text)
        {
            await _writer!.WriteAsync(text);
            await _writer.FlushAsync();
        }

        public async Task<List<string>> ReadAllAsync()
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await _reader!.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
            }
            return lines;
        }

        public void Dispose() => _tcp.Dispose();
    }

    private string FrameLines(int count, Func<int, string?>? replace = null)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string line = replace?.Invoke(i) ??
                string.Create(CultureInfo.InvariantCulture, $"{i},{i / 100.0:R},{string.Join(',', model.Frames[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}");
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    private string OpenLine(string id, string extra = "") =>
        string.Create(CultureInfo.InvariantCulture, $"OPEN session_id={id} body_mass_kg={model.BodyMassKg} sample_rate_hz=100 channels={string.Join(',', model.Channels)}{extra}\n");

    [Fact]
    public async Task A_socket_device_gets_the_same_estimates_as_a_grpc_device_and_bad_lines_become_warnings()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using var device = new LineClient();
        await device.ConnectAsync(server.Endpoints.TcpPort);
        await device.SendAsync(OpenLine("tcp-device"));
        await device.SendAsync(FrameLines(160, i => i switch
        {
            120 => "120,1.2,not-an-angle,1,2,3,4,5,6,7,8,9",
            121 => "121,1.21,NaN,1,2,3,4,5,6,7,8,9",
            122 => "122,1.22,1,2,3",
            _ => null,
        }));
        await device.SendAsync("END\n");
        List<string> lines = await device.ReadAllAsync();

        Assert.StartsWith("OK session_id=tcp-device model=lstm-running model_rate_hz=100 window_frames=100 hop=1", lines[0], StringComparison.Ordinal);
        Assert.Contains("outputs=" + string.Join(',', model.Card.Outputs.Select(o => o.Name)), lines[0], StringComparison.Ordinal);
        Assert.Equal("BYE OK 160 58", lines[^1]);
        string[] warnings = [.. lines.Where(l => l.StartsWith("W ", StringComparison.Ordinal) && !l.StartsWith("W LAG", StringComparison.Ordinal))];
        Assert.Equal(3, warnings.Length);
        Assert.StartsWith("W MALFORMED 120 ", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("W NON_FINITE 121 ", warnings[1], StringComparison.Ordinal);
        Assert.StartsWith("W CHANNEL_COUNT 122 ", warnings[2], StringComparison.Ordinal);

        // The same frames over gRPC give the same estimates, to float formatting.
        List<Frame> frames = [.. Enumerable.Range(0, 160).Where(i => i is < 120 or > 122).Select(i => TestServer.Frame((ulong)i, i / 100.0, model.Frames[i]))];
        SessionResult grpc = await server.RunAsync(server.Open(model, "grpc-twin"), frames);
        string[] estimates = [.. lines.Where(l => l.StartsWith("E ", StringComparison.Ordinal))];
        Assert.Equal(grpc.Estimates.Count, estimates.Length);
        for (int i = 0; i < estimates.Length; i++)
        {
            string[] fields = estimates[i][2..].Split(',');
            Assert.Equal(grpc.Estimates[i].Seq, ulong.Parse(fields[0], CultureInfo.InvariantCulture));
            float[] values = [.. fields.Skip(2).Select(f => float.Parse(f, CultureInfo.InvariantCulture))];
            Assert.Equal(grpc.Estimates[i].Values, values);
        }
    }

    [Theory]
    [InlineData("HELLO\n", "ERR INVALID_ARGUMENT The first line must be 'OPEN")]
    [InlineData("OPEN session_id=x body_mass_kg=70 sample_rate_hz=100\n", "ERR INVALID_ARGUMENT OPEN needs channels=")]
    [InlineData("OPEN session_id=x body_mass_kg=heavy sample_rate_hz=100 channels=a\n", "ERR INVALID_ARGUMENT body_mass_kg must be a number")]
    [InlineData("OPEN session_id=x body_mass_kg=70 sample_rate_hz=100 channels=hip_flexion_r\n", "ERR INVALID_ARGUMENT 'channels' lacks")]
    public async Task A_bad_open_line_is_answered_with_err_and_the_bridge_keeps_serving(string open, string expected)
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using (var bad = new LineClient())
        {
            await bad.ConnectAsync(server.Endpoints.TcpPort);
            await bad.SendAsync(open);
            List<string> lines = await bad.ReadAllAsync();
            string line = Assert.Single(lines);
            Assert.StartsWith(expected, line, StringComparison.Ordinal);
        }
        using var good = new LineClient();
        await good.ConnectAsync(server.Endpoints.TcpPort);
        await good.SendAsync(OpenLine("after-bad") + FrameLines(110) + "END\n");
        List<string> ok = await good.ReadAllAsync();
        Assert.Equal("BYE OK 110 11", ok[^1]);
    }

    [Fact]
    public async Task A_device_that_disconnects_mid_stream_is_cleaned_up()
    {
        await using TestServer server = await TestServer.StartAsync(model);
        using (var device = new LineClient())
        {
            await device.ConnectAsync(server.Endpoints.TcpPort);
            await device.SendAsync(OpenLine("vanishing") + FrameLines(50));
            await Task.Delay(200);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (server.Hub.Sessions.Count > 0)
        {
            await Task.Delay(20, timeout.Token);
        }
        Assert.Empty(server.Hub.Sessions);
    }
}
