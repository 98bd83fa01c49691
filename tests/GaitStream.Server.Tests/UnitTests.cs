using System.Text;
using GaitStream.Protocol.V1;
using GaitStream.Server.Sessions;
using GaitStream.Server.Tcp;

namespace GaitStream.Server.Tests;

public sealed class SlidingWindowTests
{
    [Fact]
    public void At_equal_rates_the_window_is_the_frames_themselves()
    {
        var window = new SlidingWindow(channels: 2, windowFrames: 5, modelRateHz: 100, deviceRateHz: 100);
        for (int i = 0; i < 12; i++)
        {
            window.Append(i / 100.0, [i, -i]);
            Assert.Equal(i >= 4, window.IsReady);
        }
        float[] w = new float[10];
        window.CopyWindow(w);
        Assert.Equal([7f, -7f, 8f, -8f, 9f, -9f, 10f, -10f, 11f, -11f], w);
    }

    [Fact]
    public void A_slower_device_is_interpolated_linearly_at_model_instants_ending_on_the_newest_frame()
    {
        // A ramp of 1 unit per second sampled at 60 Hz, read at 100 Hz: every model instant must read its own time.
        var window = new SlidingWindow(channels: 1, windowFrames: 50, modelRateHz: 100, deviceRateHz: 60);
        for (int i = 0; i <= 60; i++)
        {
            window.Append(i / 60.0, [(float)(i / 60.0)]);
        }
        Assert.True(window.IsReady);
        float[] w = new float[50];
        window.CopyWindow(w);
        for (int k = 0; k < 50; k++)
        {
            Assert.Equal(1.0 - ((49 - k) / 100.0), w[k], 1e-6);
        }
    }

    [Fact]
    public void Clear_starts_the_warm_up_again()
    {
        var window = new SlidingWindow(1, 3, 100, 100);
        for (int i = 0; i < 5; i++)
        {
            window.Append(i / 100.0, [i]);
        }
        Assert.True(window.IsReady);
        window.Clear();
        window.Append(1, [1]);
        Assert.False(window.IsReady);
    }
}

public sealed class LineProtocolTests
{
    [Fact]
    public void An_open_line_becomes_the_grpc_open_message()
    {
        (SessionOpen open, string? key) = LineProtocol.ParseOpen("OPEN session_id=bench-3 body_mass_kg=71.5 sample_rate_hz=120 channels=a,b,c model=m hop=2 subject=s07 label=lab api_key=abc");
        Assert.Equal("bench-3", open.SessionId);
        Assert.Equal(71.5, open.BodyMassKg);
        Assert.Equal(120, open.SampleRateHz);
        Assert.Equal(["a", "b", "c"], open.Channels);
        Assert.Equal("m", open.ModelId);
        Assert.Equal(2u, open.HopFrames);
        Assert.Equal("s07", open.SubjectId);
        Assert.Equal("abc", key);
        Assert.Contains("Unknown OPEN field 'colour'", Assert.Throws<FormatException>(() => LineProtocol.ParseOpen("OPEN colour=red channels=a")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_lines_parse_in_invariant_culture_and_malformed_ones_say_why()
    {
        float[] angles = new float[3];
        Assert.True(LineProtocol.TryParseFrame("17,0.17,1.5,-2.25,3e1"u8, angles, out ulong? seq, out double t, out int count, out _));
        Assert.Equal(17UL, seq);
        Assert.Equal(0.17, t);
        Assert.Equal(3, count);
        Assert.Equal([1.5f, -2.25f, 30f], angles);
        Assert.False(LineProtocol.TryParseFrame("18,0.18,1,x,3"u8, angles, out seq, out _, out _, out string? problem));
        Assert.Equal(18UL, seq);
        Assert.Equal("angle 2 'x' is not a number", problem);
        Assert.False(LineProtocol.TryParseFrame("a,0.18,1"u8, angles, out seq, out _, out _, out problem));
        Assert.Null(seq);
        Assert.Contains("sequence number", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimates_and_warnings_format_as_documented()
    {
        var response = new StreamResponse { Estimates = new EstimateBatch() };
        var e = new Estimate { Seq = 5, TimeS = 0.05 };
        e.Values.AddRange([1.5f, -20f]);
        response.Estimates.Estimates.Add(e);
        var text = new StringBuilder();
        LineProtocol.Format(response, text);
        LineProtocol.Format(new StreamResponse { Warning = new Warning { Code = WarningCode.OutOfRange, Seq = 9, Message = "two\nlines" } }, text);
        Assert.Equal("E 5,0.05,1.5,-20\nW OUT_OF_RANGE 9 two lines\n", text.ToString());
    }
}
