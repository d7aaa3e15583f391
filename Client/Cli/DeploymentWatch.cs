using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using OrleansDcos.Client;
using OrleansDcos.Client.Marathon;
using Spectre.Console;

namespace OrleansDcos.Cli;

/// <summary>
/// Waits for a deployment and shows it live: its step and each app's instances, woken by the event bus
/// (<c>/v2/events</c>) and checked against <c>/v2/deployments</c>; a failed deployment, or one that does not finish
/// in time, ends with why (declined offers, launch delay, last task failure) and exit code 1.
/// </summary>
public static class DeploymentWatch
{
    private static readonly string[] Events =
    [
        "deployment_info", "deployment_step_success", "deployment_step_failure", "deployment_success", "deployment_failed",
        "status_update_event", "instance_health_changed_event", "health_status_changed_event",
    ];

    /// <summary>Follows <paramref name="deploymentId"/> (of <paramref name="apps"/>, when the caller knows them) until it ends or <paramref name="timeout"/> passes.</summary>
    public static async Task<int> WaitAsync(CliSession session, string deploymentId, TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyList<string>? apps = null)
    {
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var wake = Channel.CreateBounded<MarathonEventMessage>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        var follower = FollowAsync(session.Http, wake.Writer, stop.Token);
        try
        {
            var watch = new Watch(session, deploymentId);
            watch.AffectedApps.AddRange(apps ?? []); // known before the first look: a deployment may be over by then
            if (session.Interactive && !session.Json)
            {
                var outcome = Outcome.Running;
                await session.Console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                        var step = context.AddTask($"deployment {deploymentId}", maxValue: 1);
                        while ((outcome = await watch.PollAsync(wake.Reader, clock.Elapsed, timeout, stop.Token)) == Outcome.Running)
                        {
                            step.Description = Markup.Escape(watch.StepLine ?? $"deployment {deploymentId}");
                            step.Value = watch.StepShare;
                            foreach (var (app, json) in watch.Apps)
                            {
                                if (!bars.TryGetValue(app, out var bar))
                                {
                                    bars[app] = bar = context.AddTask(Markup.Escape(app), maxValue: 1);
                                }

                                bar.Description = Markup.Escape(DeploymentView.Instances(json) + (watch.Reasons.GetValueOrDefault(app) is { } why ? " — " + why : string.Empty));
                                bar.Value = DeploymentView.Done(json);
                            }
                        }

                        step.Value = 1;
                        foreach (var bar in bars.Values.Where(_ => outcome == Outcome.Succeeded))
                        {
                            bar.Value = 1;
                        }
                    });
                return watch.Finish(outcome, clock.Elapsed, timeout);
            }

            Outcome result;
            var last = string.Empty;
            while ((result = await watch.PollAsync(wake.Reader, clock.Elapsed, timeout, stop.Token)) == Outcome.Running)
            {
                var now = watch.PlainLine();
                if (now != last && !session.Json)
                {
                    session.WriteLine(now);
                    last = now;
                }
            }

            return watch.Finish(result, clock.Elapsed, timeout);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await follower;
            }
            catch (OperationCanceledException)
            {
                // stopped with the watch
            }
        }
    }

    private static async Task FollowAsync(HttpClient http, ChannelWriter<MarathonEventMessage> wake, CancellationToken cancellationToken)
    {
        await foreach (var e in new MarathonClient(http).EventsAsync(Events, cancellationToken: cancellationToken))
        {
            wake.TryWrite(e);
        }
    }

    private enum Outcome
    {
        Running,
        Succeeded,
        Failed,
        TimedOut,
    }

    private sealed class Watch(CliSession session, string deploymentId)
    {
        private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
        private bool _failed;
        private bool _succeeded;
        private int _polls;

        public string? StepLine { get; private set; }

        public double StepShare { get; private set; }

        public List<string> AffectedApps { get; } = [];

        public Dictionary<string, JsonObject> Apps { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Reasons { get; } = new(StringComparer.Ordinal);

        public async Task<Outcome> PollAsync(ChannelReader<MarathonEventMessage> events, TimeSpan elapsed, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (_polls++ > 0)
            {
                // Wake on the next event of the bus, or after a second to look again.
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(TimeSpan.FromSeconds(1));
                try
                {
                    await events.WaitToReadAsync(tick.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // a second passed
                }
            }

            while (events.TryRead(out var e))
            {
                if (e.Data["id"]?.ToString() == deploymentId)
                {
                    _failed |= e.EventType == "deployment_failed";
                    _succeeded |= e.EventType == "deployment_success";
                }
            }

            var deployments = await session.GetAsync("v2/deployments", cancellationToken);
            var deployment = Cells.Objects(deployments).FirstOrDefault(d => d["id"]?.ToString() == deploymentId);
            if (deployment is not null)
            {
                StepLine = DeploymentView.Step(deployment);
                var current = deployment["currentStep"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
                var total = deployment["totalSteps"] is JsonValue t && t.TryGetValue<int>(out var m) ? m : 1;
                StepShare = total == 0 ? 1 : Math.Clamp((current - 1.0) / total, 0, 1);
                foreach (var id in (deployment["affectedApps"] as JsonArray ?? []).Select(x => x?.ToString()).OfType<string>())
                {
                    if (!AffectedApps.Contains(id))
                    {
                        AffectedApps.Add(id);
                    }
                }
            }

            await ReadAppsAsync(cancellationToken);
            if (deployment is null)
            {
                // Gone from the list: ended. The bus says how; a deployment that ended before the bus was followed succeeded unless it said otherwise.
                return _failed && !_succeeded ? Outcome.Failed : Outcome.Succeeded;
            }

            if (elapsed >= timeout)
            {
                return Outcome.TimedOut;
            }

            return Outcome.Running;
        }

        public string PlainLine()
        {
            var apps = string.Join("; ", AffectedApps.Where(Apps.ContainsKey).Select(a => DeploymentView.Instances(Apps[a]) + (Reasons.GetValueOrDefault(a) is { } why ? $" ({why})" : string.Empty)));
            return $"deployment {deploymentId}: {StepLine}" + (apps.Length > 0 ? $" — {apps}" : string.Empty);
        }

        public int Finish(Outcome outcome, TimeSpan elapsed, TimeSpan timeout)
        {
            var seconds = elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
            var apps = string.Join("; ", AffectedApps.Where(Apps.ContainsKey).Select(a => DeploymentView.Instances(Apps[a])));
            switch (outcome)
            {
                case Outcome.Succeeded:
                    if (!session.Json)
                    {
                        session.WriteLine($"deployment {deploymentId} finished in {seconds} s" + (apps.Length > 0 ? $": {apps}" : string.Empty));
                    }

                    return ExitCodes.Success;
                case Outcome.Failed:
                    throw new CliException($"deployment {deploymentId} failed: it was rolled back, stopped or replaced by a forced deployment" + (apps.Length > 0 ? $" ({apps})" : string.Empty));
                default:
                    var why = Reasons.Count > 0 ? string.Join("; ", Reasons.Values) : "no reason reported";
                    throw new CliException($"deployment {deploymentId} did not finish in {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s ({apps}): {why}; it goes on: watch it with `dcos marathon deployment watch {deploymentId}`, or roll it back with `dcos marathon deployment rollback {deploymentId}`");
            }
        }

        private async Task ReadAppsAsync(CancellationToken cancellationToken)
        {
            if (AffectedApps.Count == 0)
            {
                return;
            }

            var queue = await session.GetAsync("v2/queue", cancellationToken);
            foreach (var id in AffectedApps)
            {
                JsonObject? app = null;
                try
                {
                    app = (await session.GetAsync(ApiPaths.Under("v2/apps", id) + "?embed=app.lastTaskFailure", cancellationToken))["app"] as JsonObject;
                }
                catch (DcosApiException ex) when (ex.Status == HttpStatusCode.NotFound)
                {
                    // removed by this deployment
                }

                if (app is not null)
                {
                    Apps[id] = app;
                }
                else
                {
                    Apps.Remove(id);
                }

                var ready = app is not null && DeploymentView.Done(app) >= 1;
                if (!ready && DeploymentView.Why(id, app, queue, _started) is { } why)
                {
                    Reasons[id] = why;
                }
                else
                {
                    Reasons.Remove(id);
                }
            }
        }
    }
}
