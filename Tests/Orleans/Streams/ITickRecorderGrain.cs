namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>Consumes the "recorded" stream of its own key (implicit subscription) and records every tick with its position.</summary>
public interface ITickRecorderGrain : IGrainWithStringKey
{
    /// <summary>Activates the recorder.</summary>
    Task Wake();
}
