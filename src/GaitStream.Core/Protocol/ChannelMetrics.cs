namespace GaitStream.Core.Protocol;

/// <summary>Error metrics of one channel over a set of frames, in the channel's unit (R² is unitless).</summary>
/// <param name="Rmse">Root-mean-square error, √(Σ(p−r)²/n).</param>
/// <param name="Mae">Mean absolute error, Σ|p−r|/n.</param>
/// <param name="R2">Coefficient of determination 1 − SS_res/SS_tot, SS_tot about the reference mean;
/// <see cref="double.NaN"/> when the reference is constant (SS_tot = 0, R² undefined).</param>
public sealed record ChannelMetrics(double Rmse, double Mae, double R2);
