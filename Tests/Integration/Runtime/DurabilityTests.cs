using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>A silo restart (a new host over the same SQLite file or PostgreSQL schema) keeps state and reminders.</summary>
[Trait("Area", "Runtime")]
public sealed class DurabilityTests
{
    private static string NewKey() => Guid.NewGuid().ToString("N");

    [Theory]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R8")]
    public async Task A_silo_restart_keeps_the_last_written_state(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var key = NewKey();
        await using (var silo = await RuntimeHost.StartAsync(provider.Configure))
        {
            var counter = silo.Grains.GetGrain<ICounterGrain>(key);
            await counter.Add(5);
            await counter.Add(6);
        }

        await using var restarted = await RuntimeHost.StartAsync(provider.Configure);

        var again = restarted.Grains.GetGrain<ICounterGrain>(key);
        Assert.Equal(11, await again.Get());
        Assert.Equal("2", await again.Etag());
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R9")]
    public async Task Reminders_tick_on_their_period_grid_and_stop_when_unregistered(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        await using var silo = await RuntimeHost.StartAsync(provider.Configure, o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));
        var key = NewKey();
        var ticker = silo.Grains.GetGrain<ITickerGrain>(key);

        await ticker.StartReminder("beat", periodMs: 300);
        await Poll.UntilAsync(() => Task.FromResult(TickCount(key, "beat") >= 3), TimeSpan.FromSeconds(10), "3 reminder ticks");
        await ticker.StopReminder("beat");
        var stoppedAt = TickCount(key, "beat");

        var ticks = Probe.Ticks[$"{key}/beat"].ToArray();
        Assert.All(ticks, t => Assert.Equal(0, (t.CurrentTickTime - t.FirstTickTime).Ticks % TimeSpan.FromMilliseconds(300).Ticks));
        Assert.Equal(ticks.Length, ticks.Select(t => t.CurrentTickTime).Distinct().Count());
        await Task.Delay(900); // negative check: no tick may arrive after unregistering (three periods)
        Assert.Equal(stoppedAt, TickCount(key, "beat"));
    }

    [Theory]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R9")]
    public async Task Reminders_keep_firing_after_a_silo_restart(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var key = NewKey();
        await using (var silo = await RuntimeHost.StartAsync(provider.Configure, o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100)))
        {
            await silo.Grains.GetGrain<ITickerGrain>(key).StartReminder("durable", periodMs: 200);
            await Poll.UntilAsync(() => Task.FromResult(TickCount(key, "durable") >= 1), TimeSpan.FromSeconds(10), "a first tick");
        }

        var beforeRestart = TickCount(key, "durable");
        await using var restarted = await RuntimeHost.StartAsync(provider.Configure, o => o.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100));

        await Poll.UntilAsync(() => Task.FromResult(TickCount(key, "durable") >= beforeRestart + 3), TimeSpan.FromSeconds(10), "ticks after the restart");
        var ticks = Probe.Ticks[$"{key}/durable"].ToArray();
        Assert.Single(ticks.Select(t => t.FirstTickTime).Distinct());
        Assert.All(ticks, t => Assert.Equal(0, (t.CurrentTickTime - t.FirstTickTime).Ticks % TimeSpan.FromMilliseconds(200).Ticks));
        Assert.Equal(ticks.Length, ticks.Select(t => t.CurrentTickTime).Distinct().Count());
    }

    private static int TickCount(string key, string name) => Probe.Ticks.TryGetValue($"{key}/{name}", out var ticks) ? ticks.Count : 0;
}
