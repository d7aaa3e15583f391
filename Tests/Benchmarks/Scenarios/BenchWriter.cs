namespace OrleansDcos.Benchmarks.Scenarios;

public sealed class BenchWriter([PersistentState("bench")] IPersistentState<BenchState> state) : Grain, IBenchWriter, IBenchReader
{
    public Task<long> Read() => Task.FromResult(state.State.Value);

    public async Task Write(int times)
    {
        for (var i = 0; i < times; i++)
        {
            state.State.Value++;
            state.State.Payload = $"write {state.State.Value} of {this.GetPrimaryKeyString()}";
            await state.WriteStateAsync();
        }
    }
}
