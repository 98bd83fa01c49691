namespace GaitStream.Core.Protocol;

/// <summary>One subject's metrics averaged over the channels of one kind (e.g. all hip muscle forces).</summary>
/// <param name="Rmse">Mean of the channels' RMSE.</param>
/// <param name="Mae">Mean of the channels' MAE.</param>
/// <param name="R2">Mean of the channels' R² where it is defined; NaN when no channel has one.</param>
/// <param name="Channels">Channels of this kind.</param>
/// <param name="R2Channels">Channels whose R² was defined (non-constant reference) and entered <paramref name="R2"/>.</param>
public sealed record KindMetrics(double Rmse, double Mae, double R2, int Channels, int R2Channels);
