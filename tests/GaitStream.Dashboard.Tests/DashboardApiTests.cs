using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using GaitStream.Protocol.V1;
using GaitStream.Server.Demo;

namespace GaitStream.Dashboard.Tests;

/// <summary>The dashboard's HTTP surface on the running service: the page and assets, <c>/api/sessions</c>, and the
/// per-session event stream, checked against gRPC <c>Watch</c>.</summary>
[Collection(LiveServerGroup.Name)]
public sealed class DashboardApiTests(LiveServerFixture server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Client() => new() { BaseAddress = server.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<JsonElement> DemoSessionAsync(HttpClient http)
    {
        DateTime until = DateTime.UtcNow + Patience;
        while (true)
        {
            using JsonDocument json = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/sessions", UriKind.Relative)));
            JsonElement? demo = json.RootElement.GetProperty("sessions").EnumerateArray()
                .Where(s => s.GetProperty("sessionId").GetString() == DemoFeeder.SessionId).Select(s => (JsonElement?)s.Clone()).FirstOrDefault();
            if (demo is { } d && d.GetProperty("estimatesSent").GetInt64() > 0)
            {
                return d;
            }
            Assert.True(DateTime.UtcNow < until, "The demo session never produced estimates.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Sessions_json_lists_the_demo_session_with_its_rate_lag_and_output_units()
    {
        using HttpClient http = Client();
        JsonElement demo = await DemoSessionAsync(http);

        Assert.Equal("subject01", demo.GetProperty("subjectId").GetString());
        Assert.Equal(LiveServerFixture.ModelName, demo.GetProperty("modelId").GetString());
        Assert.Equal(60, demo.GetProperty("sampleRateHz").GetDouble(), 0.5);
        Assert.True(demo.GetProperty("inFlight").GetInt32() >= 0);
        JsonElement[] outputs = [.. demo.GetProperty("outputs").EnumerateArray()];
        Assert.Equal(
            ["hip_flexion_r_moment", "hip_adduction_r_moment", "hip_rotation_r_moment", "hip_flexion_l_moment", "hip_adduction_l_moment", "hip_rotation_l_moment"],
            outputs.Select(o => o.GetProperty("name").GetString()));
        Assert.All(outputs, o => Assert.Equal(("N·m", "N·m/kg", "moment"),
            (o.GetProperty("unit").GetString(), o.GetProperty("unitPerKg").GetString(), o.GetProperty("kind").GetString())));
    }

    [Fact]
    public async Task Event_stream_opens_with_the_sessions_and_the_session_then_carries_the_estimates_gRPC_Watch_carries()
    {
        using HttpClient http = Client();
        await DemoSessionAsync(http);
        await using var watch = new WatchRecorder(server.Endpoints.GrpcAddress, DemoFeeder.SessionId);
        await Task.Delay(300); // the Watch subscription is live before the browser-side stream starts

        using var cancel = new CancellationTokenSource(Patience);
        using HttpResponseMessage response = await http.GetAsync(new Uri($"/api/sessions/{DemoFeeder.SessionId}/events", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancel.Token);

        var types = new List<string>();
        var estimates = new List<JsonElement>();
        await foreach (SseItem<string> item in SseParser.Create(body).EnumerateAsync(cancel.Token))
        {
            types.Add(item.EventType);
            if (item.EventType == "estimates")
            {
                using JsonDocument json = JsonDocument.Parse(item.Data);
                Assert.Equal(DemoFeeder.SessionId, json.RootElement.GetProperty("sessionId").GetString());
                estimates.AddRange(json.RootElement.GetProperty("estimates").EnumerateArray().Select(e => e.Clone()));
            }
            if (estimates.Count >= 60)
            {
                break;
            }
        }

        Assert.Equal(["sessions", "session"], types.Take(2));
        long[] seqs = [.. estimates.Select(e => e.GetProperty("seq").GetInt64())];
        Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.Second > p.First), "estimates arrive in increasing seq order");
        foreach (JsonElement e in estimates)
        {
            Estimate reference = await watch.WaitForAsync(e.GetProperty("seq").GetInt64(), TimeSpan.FromSeconds(5));
            Assert.Equal(reference.TimeS, e.GetProperty("timeS").GetDouble());
            Assert.Equal(reference.Values, e.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()));
            Assert.Equal(reference.ValuesPerKg, e.GetProperty("valuesPerKg").EnumerateArray().Select(v => v.GetSingle()));
        }
        Assert.Contains(estimates, e => e.GetProperty("values")[0].GetSingle() != estimates[0].GetProperty("values")[0].GetSingle());
    }

    [Fact]
    public async Task Event_stream_repeats_the_session_list_every_second_and_reports_how_a_session_ended()
    {
        await using TestStream device = await TestStream.OpenAsync(server.Endpoints.GrpcAddress, "api-ended");
        await device.SendAsync(0.3);
        using HttpClient http = Client();
        using var cancel = new CancellationTokenSource(Patience);
        using HttpResponseMessage response = await http.GetAsync(new Uri("/api/sessions/api-ended/events", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancel.Token);
        Task sending = Task.Run(async () =>
        {
            await device.SendAsync(2.5);
            await device.CompleteAsync();
        });

        var sessionLists = new List<JsonElement>();
        JsonElement? ended = null;
        await foreach (SseItem<string> item in SseParser.Create(body).EnumerateAsync(cancel.Token))
        {
            if (item.EventType == "sessions")
            {
                sessionLists.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
            }
            else if (item.EventType == "ended")
            {
                ended = JsonDocument.Parse(item.Data).RootElement.Clone();
                break;
            }
        }
        await sending;

        Assert.True(sessionLists.Count >= 3, $"a sessions event every second over ~2.8 s; got {sessionLists.Count}");
        double[] times = [.. sessionLists.Select(s => s.GetProperty("serverUnixS").GetDouble())];
        Assert.True(times.Zip(times.Skip(1)).All(p => p.Second - p.First is > 0.5 and < 2.5), string.Join(", ", times));
        Assert.All(sessionLists, s => Assert.Contains(s.GetProperty("sessions").EnumerateArray(), x => x.GetProperty("sessionId").GetString() == "api-ended"));
        Assert.NotNull(ended);
        Assert.Equal(("api-ended", "OK"), (ended.Value.GetProperty("sessionId").GetString(), ended.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Event_stream_of_an_unknown_session_is_404_with_a_sentence()
    {
        using HttpClient http = Client();
        using HttpResponseMessage response = await http.GetAsync(new Uri("/api/sessions/no-such-session/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No live session 'no-such-session'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Page_and_assets_come_from_the_server_itself_with_no_external_urls()
    {
        using HttpClient http = Client();
        string page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<table id=\"sessions\"", page, StringComparison.Ordinal);
        Assert.Contains("role=\"status\" aria-live=\"polite\"", page, StringComparison.Ordinal);
        string[] assets = ["/", "/dashboard/dashboard.js", "/dashboard/plot.js", "/dashboard/cycles.js", "/dashboard/dashboard.css"];
        string[] types = ["text/html", "text/javascript", "text/javascript", "text/javascript", "text/css"];
        for (int i = 0; i < assets.Length; i++)
        {
            using HttpResponseMessage r = await http.GetAsync(new Uri(assets[i], UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(types[i], r.Content.Headers.ContentType?.MediaType);
            string text = await r.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        }
        using HttpResponseMessage missing = await http.GetAsync(new Uri("/dashboard/nope.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
