using Orleans.Runtime;

namespace OrleansDcos.Grains.Security;

/// <summary>Writes of the security grains' state, which change it in memory first.</summary>
public static class PersistentStateWrites
{
    /// <summary>
    /// Writes the state; when the write fails, reads it back before the failure goes on, so what the grain holds in memory
    /// is again what is saved (a refused change is not served as if it had been kept).
    /// </summary>
    public static async Task WriteOrReloadAsync<T>(this IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            await state.ReadStateAsync();
            throw;
        }
    }
}
