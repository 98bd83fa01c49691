using System.Buffers;
using System.Globalization;
using System.Text;
using GaitStream.Protocol.V1;
using Grpc.Core;

namespace GaitStream.Server.Tcp;

/// <summary>
/// The TCP bridge's text protocol, for devices that cannot speak gRPC (microcontrollers, lab-software plugins).
/// UTF-8 lines ending in <c>\n</c> (a preceding <c>\r</c> is ignored), numbers in invariant culture. See
/// <c>docs/tcp-bridge.md</c> for the whole exchange.
/// </summary>
/// <remarks>
/// <code>
/// → OPEN session_id=ID body_mass_kg=KG sample_rate_hz=HZ channels=C1,...,CN [model=M] [hop=N] [subject=S] [label=L] [api_key=K]
/// ← OK session_id=ID model=M model_rate_hz=HZ window_frames=L hop=N warmup_s=S outputs=O1,...,OK units=U1,...,UK
///   (or ERR STATUS sentence, and the connection closes)
/// → SEQ,TIME_S,A1,...,AN        one frame: sequence number, seconds, N angles in degrees in the OPEN order
/// ← E SEQ,TIME_S,V1,...,VK      an estimate in physical units (N·m, N), in the OK's output order
/// ← W CODE SEQ sentence          a warning (CODE as in the gRPC WarningCode: OUT_OF_RANGE, GAP, ...)
/// → END                          no more frames
/// ← BYE OK FRAMES ESTIMATES      every estimate written; the server closes
/// </code>
/// </remarks>
public static class LineProtocol
{
    /// <summary>Longest line accepted, bytes.</summary>
    public const int MaxLineBytes = 8192;

    /// <summary>Parses an OPEN line into the gRPC open message (the same validation follows) and the API key, if any.</summary>
    public static (SessionOpen Open, string? ApiKey) ParseOpen(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0] != "OPEN")
        {
            throw new FormatException($"The first line must be 'OPEN session_id=... body_mass_kg=... sample_rate_hz=... channels=...'; got '{Truncate(line)}'.");
        }
        var open = new SessionOpen();
        string? apiKey = null;
        foreach (string part in parts.Skip(1))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"OPEN fields are key=value; '{Truncate(part)}' is not.");
            }
            string key = part[..eq];
            string value = part[(eq + 1)..];
            switch (key)
            {
                case "session_id": open.SessionId = value; break;
                case "body_mass_kg": open.BodyMassKg = Number(key, value); break;
                case "sample_rate_hz": open.SampleRateHz = Number(key, value); break;
                case "channels": open.Channels.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "model": open.ModelId = value; break;
                case "hop": open.HopFrames = uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint hop) ? hop : throw new FormatException($"hop must be a whole number; got '{Truncate(value)}'."); break;
                case "subject": open.SubjectId = value; break;
                case "label": open.Label = value; break;
                case "api_key": apiKey = value; break;
                default: throw new FormatException($"Unknown OPEN field '{Truncate(key)}' (known: session_id, body_mass_kg, sample_rate_hz, channels, model, hop, subject, label, api_key).");
            }
        }
        if (open.Channels.Count == 0)
        {
            throw new FormatException("OPEN needs channels=C1,...,CN (OpenSim coordinate names in the order of the angles in each frame line).");
        }
        return (open, apiKey);
    }

    /// <summary>Parses a frame line <c>seq,time_s,a1,...</c> into <paramref name="angles"/>; false (with a reason) when malformed.</summary>
    public static bool TryParseFrame(ReadOnlySpan<byte> line, Span<float> angles, out ulong? seq, out double timeS, out int count, out string? problem)
    {
        seq = null;
        timeS = 0;
        count = 0;
        problem = null;
        int field = 0;
        while (true)
        {
            int comma = line.IndexOf((byte)',');
            ReadOnlySpan<byte> token = (comma < 0 ? line : line[..comma]).Trim((byte)' ');
            switch (field)
            {
                case 0:
                    if (ulong.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed))
                    {
                        seq = parsed;
                    }
                    else
                    {
                        problem = $"the sequence number '{Encoding.UTF8.GetString(token)}' is not a whole number";
                        return false;
                    }
                    break;
                case 1:
                    if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out timeS))
                    {
                        problem = $"the time '{Encoding.UTF8.GetString(token)}' is not a number";
                        return false;
                    }
                    break;
                default:
                    // Non-numbers other than NaN/Infinity are malformed; NaN and ±Infinity parse and are rejected by the session.
                    if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float angle))
                    {
                        problem = $"angle {field - 1} '{Encoding.UTF8.GetString(token)}' is not a number";
                        return false;
                    }
                    if (count < angles.Length)
                    {
                        angles[count] = angle;
                    }
                    count++;
                    break;
            }
            field++;
            if (comma < 0)
            {
                break;
            }
            line = line[(comma + 1)..];
        }
        if (field < 2)
        {
            problem = "a frame line is seq,time_s,angle1,...";
            return false;
        }
        return true;
    }

    public static string FormatAccepted(SessionAccepted accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var ci = CultureInfo.InvariantCulture;
        return string.Create(ci,
            $"OK session_id={accepted.SessionId} model={accepted.Model.Id} model_rate_hz={accepted.ModelRateHz} window_frames={accepted.WindowFrames} hop={accepted.HopFrames} warmup_s={accepted.WarmupS} outputs={string.Join(',', accepted.Model.Outputs.Select(o => o.Name))} units={string.Join(',', accepted.Model.Outputs.Select(o => o.Unit))}\n");
    }

    public static string FormatError(StatusCode code, string message) => $"ERR {Sessions.SessionHub.StatusName(code)} {OneLine(message)}\n";

    /// <summary>Appends one <c>E</c> line per estimate and one <c>W</c> line per warning.</summary>
    public static void Format(StreamResponse response, StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(text);
        var ci = CultureInfo.InvariantCulture;
        if (response.KindCase == StreamResponse.KindOneofCase.Estimates)
        {
            foreach (Estimate e in response.Estimates.Estimates)
            {
                text.Append("E ").Append(e.Seq.ToString(ci)).Append(',').Append(e.TimeS.ToString("R", ci));
                foreach (float v in e.Values)
                {
                    text.Append(',').Append(v.ToString(ci));
                }
                text.Append('\n');
            }
        }
        else if (response.KindCase == StreamResponse.KindOneofCase.Warning)
        {
            Warning w = response.Warning;
            text.Append("W ").Append(CodeName(w.Code)).Append(' ').Append(w.Seq.ToString(ci)).Append(' ').Append(OneLine(w.Message)).Append('\n');
        }
    }

    /// <summary>The proto enum name of a warning code, e.g. OUT_OF_RANGE.</summary>
    public static string CodeName(WarningCode code) => CodeNames.TryGetValue(code, out string? name) ? name : ((int)code).ToString(CultureInfo.InvariantCulture);

    private static readonly Dictionary<WarningCode, string> CodeNames = Enum.GetValues<WarningCode>().ToDictionary(
        c => c,
        c => typeof(WarningCode).GetField(c.ToString())?.GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
            .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? c.ToString());

    /// <summary>Finds the next line in <paramref name="buffer"/> (without its <c>\r\n</c>) and advances past it.</summary>
    public static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        SequencePosition? newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }
        return true;
    }

    private static double Number(string key, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new FormatException($"{key} must be a number; got '{Truncate(value)}'.");

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
