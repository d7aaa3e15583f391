using Orleans;
using Orleans.Runtime;

namespace OrleansDcos.Grains.Concurrency;

/// <summary>Writes of grain state that was changed in memory first.</summary>
public static class PersistentStateWrites
{
    /// <summary>
    /// Writes the state; when the write fails, reads it back before the failure goes on, so what the grain holds in
    /// memory is again what is saved (a refused change is neither served nor acted on as if it had been kept — nor
    /// saved later with the next change). When the store cannot be read either (it is down), <paramref name="grain"/>
    /// is deactivated: its next call starts from what is saved.
    /// </summary>
    public static async Task WriteOrReloadAsync<T>(this IPersistentState<T> state, IGrainBase grain)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                grain.DeactivateOnIdle();
            }

            throw;
        }
    }
}
