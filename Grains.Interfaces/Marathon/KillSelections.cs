namespace OrleansDcos.Grains.Marathon;

/// <summary>The kill selections.</summary>
public static class KillSelections
{
    /// <summary>Kill the newest instances first (Marathon's default).</summary>
    public const string YoungestFirst = "YOUNGEST_FIRST";

    /// <summary>Kill the oldest instances first.</summary>
    public const string OldestFirst = "OLDEST_FIRST";
}
