namespace OrleansDcos.Benchmarks.Scenarios;

/// <inheritdoc cref="IStateBenchWriter" />
public sealed class StateBenchWriter([PersistentState("bench", "Default")] IPersistentState<StateBenchWriter.Payload> state) : Grain, IStateBenchWriter
{
    /// <inheritdoc />
    public async Task Write(int times)
    {
        for (var i = 0; i < times; i++)
        {
            state.State.Counter++;
            state.State.Note = $"write {state.State.Counter}";
            await state.WriteStateAsync();
        }
    }

    /// <summary>A small state.</summary>
    [GenerateSerializer]
    public sealed class Payload
    {
        /// <summary>Writes so far.</summary>
        [Id(0)]
        public int Counter { get; set; }

        /// <summary>Some text.</summary>
        [Id(1)]
        public string Note { get; set; } = "";
    }
}
