namespace HvMonitor.Benchmarks;

/// <summary>Median and spread of repeated measurements.</summary>
public sealed record Stat(double Median, double P10, double P90, double Min, double Max, int N)
{
    public static Stat Of(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0)
            return new Stat(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        return new Stat(Quantile(v, 0.5), Quantile(v, 0.1), Quantile(v, 0.9), v[0], v[^1], v.Length);
    }

    /// <summary>Linear interpolation between closest ranks (the "R-7" / spreadsheet definition).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        double pos = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
