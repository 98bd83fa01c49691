using System.Text.Json;
using System.Text.Json.Serialization;

namespace GaitStream.Server.Dashboard;

/// <summary>Source-generated JSON for the dashboard's messages: camelCase, no reflection at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SessionsSnapshot))]
[JsonSerializable(typeof(SessionSummary))]
[JsonSerializable(typeof(EstimatesMessage))]
[JsonSerializable(typeof(SessionEndedMessage))]
[JsonSerializable(typeof(SessionWarningMessage))]
public sealed partial class DashboardJsonContext : JsonSerializerContext;
