using System.Net.ServerSentEvents;
using System.Text.Json;
using GaitStream.Protocol.V1;
using GaitStream.Server.Dashboard;

namespace GaitStream.Dashboard.Tests;

/// <summary>The dashboard's wire format, from hub events to SSE items and JSON, without a server.</summary>
public sealed class DashboardEventsTests
{
    private static SessionInfo Info(string id, double startedUnixS)
    {
        var info = new SessionInfo
        {
            SessionId = id, SubjectId = "S07", Label = "treadmill 1.2 m/s", ModelId = "lstm-a", BodyMassKg = 71.5, SampleRateHz = 120,
            HopFrames = 2, Transport = "tcp", StartedUnixS = startedUnixS, FramesReceived = 1200, FramesRejected = 3, EstimatesSent = 598,
            FramesPerS = 119.5, InFlight = 4,
        };
        info.Outputs.Add(new ChannelInfo { Name = "hip_flexion_r_moment", Unit = "N·m", Kind = "moment" });
        info.Outputs.Add(new ChannelInfo { Name = "glut_med_l", Unit = "N", Kind = "force" });
        return info;
    }

    [Fact]
    public void Summary_keeps_every_session_field_and_adds_the_per_kg_unit_of_each_output()
    {
        SessionSummary s = DashboardEvents.Summarize(Info("dev-1", 1000.5));

        Assert.Equal(("dev-1", "S07", "treadmill 1.2 m/s", "lstm-a", "tcp"), (s.SessionId, s.SubjectId, s.Label, s.ModelId, s.Transport));
        Assert.Equal((71.5, 120.0, 2, 1000.5), (s.BodyMassKg, s.SampleRateHz, s.HopFrames, s.StartedUnixS));
        Assert.Equal((1200L, 3L, 598L, 119.5, 4), (s.FramesReceived, s.FramesRejected, s.EstimatesSent, s.FramesPerS, s.InFlight));
        Assert.Equal(
            [new ChannelSummary("hip_flexion_r_moment", "N·m", "N·m/kg", "moment"), new ChannelSummary("glut_med_l", "N", "N/kg", "force")],
            s.Outputs);
    }

    [Fact]
    public void Sessions_event_lists_sessions_oldest_first_in_camel_case_json()
    {
        SessionsSnapshot snapshot = DashboardEvents.Snapshot([Info("b-late", 2000), Info("a-early", 1000)], DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250));
        SseItem<string> item = DashboardEvents.SessionsEvent(snapshot);

        Assert.Equal("sessions", item.EventType);
        using JsonDocument json = JsonDocument.Parse(item.Data);
        Assert.Equal(1_700_000_000.25, json.RootElement.GetProperty("serverUnixS").GetDouble());
        JsonElement[] sessions = [.. json.RootElement.GetProperty("sessions").EnumerateArray()];
        Assert.Equal(["a-early", "b-late"], sessions.Select(s => s.GetProperty("sessionId").GetString()));
        Assert.Equal(4, sessions[0].GetProperty("inFlight").GetInt32());
        Assert.Equal("N/kg", sessions[0].GetProperty("outputs")[1].GetProperty("unitPerKg").GetString());
    }

    [Fact]
    public void Estimates_event_carries_seq_time_and_both_unit_sets_exactly()
    {
        var batch = new SessionEstimates { SessionId = "dev-1" };
        float[] values = [-71.234567f, 1e-7f, 3.4e30f], perKg = [-0.99631566f, 1.4e-9f, 12345.679f];
        for (ulong seq = 40; seq < 43; seq++)
        {
            var e = new Estimate { Seq = seq, TimeS = seq / 120.0, ServerLatencyMs = 1.25 };
            e.Values.AddRange(values.Select(v => v * seq));
            e.ValuesPerKg.AddRange(perKg.Select(v => v * seq));
            batch.Estimates.Add(e);
        }

        SseItem<string>? item = DashboardEvents.From(new WatchEvent { Estimates = batch }, dropped: 7);

        Assert.NotNull(item);
        Assert.Equal("estimates", item.Value.EventType);
        using JsonDocument json = JsonDocument.Parse(item.Value.Data);
        Assert.Equal("dev-1", json.RootElement.GetProperty("sessionId").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("dropped").GetInt64());
        JsonElement[] estimates = [.. json.RootElement.GetProperty("estimates").EnumerateArray()];
        Assert.Equal(3, estimates.Length);
        for (int i = 0; i < 3; i++)
        {
            Estimate expected = batch.Estimates[i];
            Assert.Equal((long)expected.Seq, estimates[i].GetProperty("seq").GetInt64());
            Assert.Equal(expected.TimeS, estimates[i].GetProperty("timeS").GetDouble());
            Assert.Equal(1.25, estimates[i].GetProperty("latencyMs").GetDouble());
            // Floats survive the JSON text bit for bit (shortest round-trip formatting).
            Assert.Equal(expected.Values, estimates[i].GetProperty("values").EnumerateArray().Select(v => v.GetSingle()));
            Assert.Equal(expected.ValuesPerKg, estimates[i].GetProperty("valuesPerKg").EnumerateArray().Select(v => v.GetSingle()));
        }
    }

    [Fact]
    public void Ended_warning_and_started_events_keep_their_status_and_sentences()
    {
        SseItem<string>? ended = DashboardEvents.From(new WatchEvent
        {
            SessionEnded = new SessionEnded { SessionId = "dev-1", Status = "DEADLINE_EXCEEDED", Detail = "No frame for 30 s." },
        }, 0);
        SseItem<string>? warning = DashboardEvents.From(new WatchEvent
        {
            Warning = new SessionWarning { SessionId = "dev-1", Warning = new Warning { Code = WarningCode.Gap, Seq = 88, Count = 5, Message = "5 frames missing." } },
        }, 0);
        SseItem<string>? started = DashboardEvents.From(new WatchEvent { SessionStarted = Info("dev-1", 5) }, 0);

        Assert.Equal("ended", ended!.Value.EventType);
        Assert.Equal("""{"sessionId":"dev-1","status":"DEADLINE_EXCEEDED","detail":"No frame for 30 s."}""", ended.Value.Data);
        Assert.Equal("warning", warning!.Value.EventType);
        Assert.Equal("""{"sessionId":"dev-1","code":"GAP","seq":88,"message":"5 frames missing.","count":5}""", warning.Value.Data);
        Assert.Equal("session", started!.Value.EventType);
        Assert.Equal("S07", JsonDocument.Parse(started.Value.Data).RootElement.GetProperty("subjectId").GetString());
        Assert.Null(DashboardEvents.From(new WatchEvent(), 0));
    }
}
