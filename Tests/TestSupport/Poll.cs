using System.Diagnostics;

namespace OrleansDcos.Tests.Support;

/// <summary>Waits for a condition by polling it until a deadline (never a bare sleep).</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until it holds or
    /// <paramref name="timeout"/> passes; then throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null) =>
        UntilAsync(condition, timeout, () => what, interval);

    /// <summary>As above; <paramref name="what"/> is computed when the wait fails (to describe the state at that moment).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        var pause = interval ?? TimeSpan.FromMilliseconds(50);
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await condition())
                {
                    return;
                }

                last = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }

            await Task.Delay(pause);
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what()}" + (last is null ? string.Empty : $" (last error: {last.Message})"));
    }
}
