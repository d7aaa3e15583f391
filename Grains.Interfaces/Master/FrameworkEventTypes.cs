namespace OrleansDcos.Grains.Master;

/// <summary>The kinds of <see cref="FrameworkEvent"/> (Mesos v1 scheduler event types).</summary>
public static class FrameworkEventTypes
{
    /// <summary>New offers.</summary>
    public const string Offers = "OFFERS";

    /// <summary>An offer is no longer valid.</summary>
    public const string Rescind = "RESCIND";

    /// <summary>A task status update.</summary>
    public const string Update = "UPDATE";

    /// <summary>An agent was lost.</summary>
    public const string Failure = "FAILURE";

    /// <summary>The framework is torn down or its subscription was replaced; the stream ends.</summary>
    public const string Error = "ERROR";
}
