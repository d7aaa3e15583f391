namespace OrleansDcos.Tests.Support;

/// <summary>Polls for a value.</summary>
public static class PollValue
{
    /// <summary>Polls <paramref name="read"/> until it gives a non-null value or <paramref name="timeout"/> passes.</summary>
    public static Task<T> UntilAsync<T>(Func<Task<T?>> read, TimeSpan timeout, string what)
        where T : class =>
        UntilAsync(read, timeout, () => what);

    /// <summary>As above; <paramref name="what"/> is computed when the wait fails (to describe the state at that moment).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> read, TimeSpan timeout, Func<string> what)
        where T : class
    {
        T? value = null;
        await Poll.UntilAsync(async () => (value = await read()) is not null, timeout, what);
        return value!;
    }
}
