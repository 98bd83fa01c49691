using System.Globalization;
using System.Text.Json;
using GaitStream.Protocol.V1;
using GaitStream.Server.Demo;
using GaitStream.Tests;
using Microsoft.Playwright;

namespace GaitStream.Dashboard.Tests;

/// <summary>
/// The live view in a real browser: Debian's chromium (<c>/usr/bin/chromium</c>, installed by scripts/test.sh when
/// missing) driven by Playwright, against the in-process service with the demo feeder. The page exposes what it
/// last plotted in <c>window.__gaitstream</c> and <c>data-*</c> attributes; the test compares that with gRPC Watch.
/// </summary>
[Collection(LiveServerGroup.Name)]
public sealed class LiveViewBrowserTests(LiveServerFixture server) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"The browser tests need Debian's chromium at {ChromiumPath}: run scripts/test.sh as root, or 'sudo apt-get install -y chromium'.");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> OpenAsync()
    {
        IPage page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(server.HttpAddress.ToString());
        return page;
    }

    private static async Task<JsonElement> HookAsync(IPage page) =>
        JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__gaitstream)")).RootElement.Clone();

    private static async Task WaitForAsync(IPage page, string condition) =>
        await page.WaitForFunctionAsync($"() => {{ const g = window.__gaitstream; return !!g && ({condition}); }}", null,
            new PageWaitForFunctionOptions { Timeout = (float)Patience.TotalMilliseconds, PollingInterval = 50 });

    [Fact]
    public async Task Live_view_plots_the_demo_session_with_the_values_gRPC_Watch_carries_and_saves_a_screenshot()
    {
        await using var watch = new WatchRecorder(server.Endpoints.GrpcAddress, DemoFeeder.SessionId);
        IPage page = await OpenAsync();

        await WaitForAsync(page, $"g.sessionId === '{DemoFeeder.SessionId}' && g.state === 'live' && g.lastSeq !== null");
        ILocator row = page.Locator($"#sessions tbody tr[data-id='{DemoFeeder.SessionId}']");
        Assert.Equal("true", await row.GetAttributeAsync("aria-selected"));
        Assert.Contains("subject01", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("live", await page.Locator("#app").GetAttributeAsync("data-state"));
        // A moments-only model: the page says so instead of drawing empty force plots.
        Assert.True(await page.Locator("#no-forces").IsVisibleAsync());
        Assert.Equal(3, await page.Locator("#moments canvas").CountAsync());
        Assert.Equal(0, await page.Locator("#forces canvas").CountAsync());

        JsonElement first = await HookAsync(page);
        await page.WaitForTimeoutAsync(1000);
        JsonElement second = await HookAsync(page);
        long seq1 = first.GetProperty("lastSeq").GetInt64(), seq2 = second.GetProperty("lastSeq").GetInt64();
        Assert.True(seq2 > seq1 + 20, $"plotted seq moves on with the 60 Hz stream: {seq1} → {seq2}");
        Assert.True(second.GetProperty("framesDrawn").GetInt64() > first.GetProperty("framesDrawn").GetInt64());
        Assert.NotEqual(first.GetProperty("plotted").GetProperty("hip_flexion_r_moment").GetDouble(),
            second.GetProperty("plotted").GetProperty("hip_flexion_r_moment").GetDouble());

        // The last plotted values are the estimates gRPC Watch delivered for the same seq (physical units, N·m).
        foreach (JsonElement hook in new[] { first, second })
        {
            long seq = hook.GetProperty("lastSeq").GetInt64();
            Estimate reference = await watch.WaitForAsync(seq, TimeSpan.FromSeconds(5));
            Assert.Equal(reference.TimeS, hook.GetProperty("lastTimeS").GetDouble(), 6);
            for (int i = 0; i < watch.Outputs.Count; i++)
            {
                double plotted = hook.GetProperty("plotted").GetProperty(watch.Outputs[i]).GetDouble();
                Assert.True(Math.Abs(plotted - reference.Values[i]) <= 1e-5 * Math.Max(1, Math.Abs(reference.Values[i])),
                    $"{watch.Outputs[i]} at seq {seq}: plotted {plotted}, gRPC {reference.Values[i]}");
            }
        }
        string? domSeq = await page.Locator("#app").GetAttributeAsync("data-last-seq");
        Assert.True(long.Parse(domSeq!, CultureInfo.InvariantCulture) >= seq2, $"data-last-seq {domSeq} follows the plot");

        // Per-cycle peak and mean: the demo walk's hip flexion moment crosses zero once a stride on each side.
        await WaitForAsync(page, "g.cycles.r && g.cycles.l && g.cycles.r.count >= 1 && g.cycles.l.count >= 1");
        JsonElement cycles = (await HookAsync(page)).GetProperty("cycles");
        foreach (string side in new[] { "r", "l" })
        {
            JsonElement c = cycles.GetProperty(side);
            double duration = c.GetProperty("endS").GetDouble() - c.GetProperty("startS").GetDouble();
            Assert.True(c.GetProperty("kind").GetString() == "cycle" ? duration is >= 0.4 and <= 2.5 : Math.Abs(duration - 1.1) < 0.05,
                $"{side}: {c}");
        }
        string peak = await page.Locator("#moments .card").First.Locator(".big .v").First.InnerTextAsync();
        Assert.True(double.TryParse(peak, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"cycle peak shows a number, not '{peak}'");

        string shot = Path.Combine(AppContext.BaseDirectory, "artifacts", "liveview.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000);
        if (Environment.GetEnvironmentVariable("GAITSTREAM_UPDATE_DOCS_SCREENSHOT") == "1")
        {
            File.Copy(shot, Path.Combine(RepoPaths.RepoRoot, "docs", "liveview.png"), overwrite: true);
        }
    }

    [Fact]
    public async Task A_session_chosen_with_the_keyboard_shows_stalled_when_its_frames_stop_ended_when_it_closes_and_live_when_it_streams_again()
    {
        await using TestStream device = await TestStream.OpenAsync(server.Endpoints.GrpcAddress, "zz-bench-1");
        Task warmup = device.SendAsync(1.5);
        IPage page = await OpenAsync();
        await WaitForAsync(page, "g.sessions.includes('zz-bench-1') && g.sessionId !== null");
        Assert.NotEqual("zz-bench-1", (await HookAsync(page)).GetProperty("sessionId").GetString()); // the first session is shown by default
        await warmup;

        // Keyboard only: focus the shown row, arrow down to the test device's row (sessions are listed oldest first), Enter.
        await page.Locator("#sessions tbody tr[tabindex='0']").FocusAsync();
        for (int i = 0; i < 5 && await page.EvaluateAsync<string>("() => document.activeElement.dataset.id") != "zz-bench-1"; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }
        await page.Keyboard.PressAsync("Enter");
        Task sending = device.SendAsync(1.5);
        await WaitForAsync(page, "g.sessionId === 'zz-bench-1' && g.state === 'live'");
        Assert.Equal("true", await page.Locator("#sessions tbody tr[data-id='zz-bench-1']").GetAttributeAsync("aria-selected"));
        await sending;

        // Frames stop, the call stays open: stalled after 1 s without an estimate.
        await WaitForAsync(page, "g.state === 'stalled'");
        Assert.Equal("stalled", await page.Locator("#app").GetAttributeAsync("data-state"));
        Assert.Contains("stalled", await page.Locator("#status").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "artifacts", "liveview-stalled.png") });

        // Frames resume: live again; the device closes: ended, with the status.
        Task resumed = device.SendAsync(0.5);
        await WaitForAsync(page, "g.state === 'live'");
        await resumed;
        await device.CompleteAsync();
        await WaitForAsync(page, "g.state === 'ended'");
        Assert.Contains("OK", await page.Locator("#status").InnerTextAsync(), StringComparison.Ordinal);
        long lastSeqBefore = (await HookAsync(page)).GetProperty("lastSeq").GetInt64();

        // The same id streams again (the next run of a replay), its clock from zero: the page starts afresh.
        await using TestStream again = await TestStream.OpenAsync(server.Endpoints.GrpcAddress, "zz-bench-1");
        Task rerun = again.SendAsync(1.5);
        await WaitForAsync(page, $"g.sessionId === 'zz-bench-1' && g.state === 'live' && g.lastSeq < {lastSeqBefore}");
        await rerun;
    }

    [Fact]
    public async Task Cycle_detector_times_strides_from_hip_flexion_moment_zero_crossings_and_falls_back_to_1_1_s_windows()
    {
        IPage page = await OpenAsync();
        // In the page's own script: a 100 Hz hip-flexion-moment-like signal with a 1.05 s stride and a fast wobble
        // around zero (which hysteresis must ignore), a second channel 2 + cos to summarise, and a signal that never
        // crosses zero (fallback windows).
        string result = await page.EvaluateAsync<string>("""
            () => {
              const { Ring } = window.GaitPlot, { CycleDetector } = window.GaitCycles;
              const run = f => {
                const ring = new Ring(4096, 2), d = new CycleDetector(ring, 0, [0, 1]);
                for (let i = 0; i < 800; i++) { const t = i / 100; ring.push(t, f(t)); if (i % 6 === 5) d.update(); }
                d.update();
                const s = d.last.stats.get(1);
                return { kind: d.last.kind, duration: d.last.endS - d.last.startS, cycles: d.cycles, peak: s.peak, mean: s.mean };
              };
              const p = t => 2 * Math.PI * t / 1.05;
              return JSON.stringify({
                gait: run(t => [Math.sin(p(t)) + 0.3 * Math.sin(2 * p(t) + 0.5) + 0.04 * Math.sin(2 * Math.PI * 18 * t), 2 + Math.cos(p(t))]),
                flat: run(t => [5 + Math.sin(p(t)), 2 + Math.cos(p(t))]),
              });
            }
            """);
        using JsonDocument json = JsonDocument.Parse(result);
        JsonElement gait = json.RootElement.GetProperty("gait"), flat = json.RootElement.GetProperty("flat");

        Assert.Equal("cycle", gait.GetProperty("kind").GetString());
        Assert.Equal(1.05, gait.GetProperty("duration").GetDouble(), 0.02);
        Assert.InRange(gait.GetProperty("cycles").GetInt32(), 5, 7); // 8 s of data: crossings at ~k·1.05 s, the first opens
        Assert.Equal(3.0, gait.GetProperty("peak").GetDouble(), 0.01);
        Assert.Equal(2.0, gait.GetProperty("mean").GetDouble(), 0.03);

        Assert.Equal("window", flat.GetProperty("kind").GetString());
        Assert.Equal(1.1, flat.GetProperty("duration").GetDouble(), 0.011);
        Assert.Equal(7, flat.GetProperty("cycles").GetInt32()); // windows of 1.1 s over 0–7.99 s
    }

    [Fact]
    public async Task A_model_with_force_outputs_gets_one_plot_per_muscle_group_with_both_sides()
    {
        // A session whose model has moments and the 16 group forces, served to the page by the test (the shipped
        // fixture model is moments-only): the page lays out one card per group, right and left in each.
        string[] groups = ["glut_max", "glut_med", "glut_min", "iliopsoas", "adductors", "hamstrings", "rect_fem", "tfl"];
        string[] names = [.. new[] { "r", "l" }.SelectMany(side => new[] { $"hip_flexion_{side}_moment", $"hip_adduction_{side}_moment", $"hip_rotation_{side}_moment" }),
            .. new[] { "r", "l" }.SelectMany(side => groups.Select(g => $"{g}_{side}"))];
        var outputs = names.Select(n => new { name = n, unit = n.EndsWith("_moment", StringComparison.Ordinal) ? "N·m" : "N",
            unitPerKg = n.EndsWith("_moment", StringComparison.Ordinal) ? "N·m/kg" : "N/kg", kind = n.EndsWith("_moment", StringComparison.Ordinal) ? "moment" : "force" }).ToArray();
        var session = new { sessionId = "forces-1", subjectId = "S2", label = "", modelId = "transformer-forces", transport = "grpc", bodyMassKg = 70.0,
            sampleRateHz = 100.0, hopFrames = 1, startedUnixS = 1.0, framesReceived = 300, framesRejected = 0, estimatesSent = 200, framesPerS = 100.0, inFlight = 1, outputs };
        string sessions = JsonSerializer.Serialize(new { serverUnixS = 2.0, sessions = new[] { session } });
        var estimates = Enumerable.Range(0, 200).Select(i => new
        {
            seq = i, timeS = i / 100.0, latencyMs = 1.0,
            values = names.Select((_, c) => (float)(100 * Math.Sin(i / 10.0 + c))).ToArray(),
            valuesPerKg = names.Select((_, c) => (float)(100 * Math.Sin(i / 10.0 + c) / 70)).ToArray(),
        }).ToArray();
        string events = $"event: sessions\ndata: {sessions}\n\nevent: session\ndata: {JsonSerializer.Serialize(session)}\n\n" +
            $"event: estimates\ndata: {JsonSerializer.Serialize(new { sessionId = "forces-1", estimates, dropped = 0 })}\n\nretry: 60000\n\n";

        IPage page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.RouteAsync("**/api/sessions", r => r.FulfillAsync(new RouteFulfillOptions { ContentType = "application/json", Body = sessions }));
        await page.RouteAsync("**/api/sessions/forces-1/events", r => r.FulfillAsync(new RouteFulfillOptions { ContentType = "text/event-stream", Body = events }));
        await page.GotoAsync(server.HttpAddress.ToString());
        await WaitForAsync(page, "g.sessionId === 'forces-1' && g.lastSeq === 199");

        Assert.False(await page.Locator("#no-forces").IsVisibleAsync());
        Assert.Equal(3, await page.Locator("#moments canvas").CountAsync());
        Assert.Equal(8, await page.Locator("#forces canvas").CountAsync());
        Assert.Equal(["Gluteus maximus", "Gluteus medius", "Gluteus minimus", "Iliopsoas", "Adductors", "Hamstrings", "Rectus femoris", "Tensor fasciae latae"],
            await page.Locator("#forces .card h4").AllInnerTextsAsync());
        Assert.Equal("(N)", await page.Locator("#force-unit").InnerTextAsync());
        JsonElement plotted = (await HookAsync(page)).GetProperty("plotted");
        for (int c = 0; c < names.Length; c++)
        {
            Assert.Equal(estimates[^1].values[c], plotted.GetProperty(names[c]).GetDouble(), 4);
        }

        // Per kg: the same plots in N/kg.
        await page.Locator("#perkg").CheckAsync();
        await WaitForAsync(page, "g.perKg === true");
        await page.WaitForTimeoutAsync(200);
        Assert.Equal("(N/kg)", await page.Locator("#force-unit").InnerTextAsync());
        Assert.Equal(estimates[^1].valuesPerKg[4], (await HookAsync(page)).GetProperty("plotted").GetProperty(names[4]).GetDouble(), 4);
    }
}
