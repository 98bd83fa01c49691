using System.Text.Json;
using System.Text.Json.Serialization;
using GaitStream.Core.Preprocessing;

namespace GaitStream.Inference.Cards;

/// <summary>Embeds Core's own z-score JSON (<see cref="ZScoreStatistics.ToJson"/>) in a card, so both read the same format.</summary>
internal sealed class ZScoreStatisticsJsonConverter : JsonConverter<ZScoreStatistics>
{
    public override ZScoreStatistics Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return ZScoreStatistics.FromJson(document.RootElement.GetRawText());
    }

    public override void Write(Utf8JsonWriter writer, ZScoreStatistics value, JsonSerializerOptions options)
    {
        using var document = JsonDocument.Parse(value.ToJson());
        document.RootElement.WriteTo(writer);
    }
}
