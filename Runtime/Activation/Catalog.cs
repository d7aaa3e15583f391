using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Reminders;

namespace OrleansDcos.Runtime.Activation;

/// <summary>
/// The silo's activations by grain id, and the sink of every local grain call: it resolves the
/// interface to a grain type, stamps the deadline, and hands the request to the activation —
/// creating it on the first call (exactly one wins a race; only the winner starts).
/// </summary>
internal sealed class Catalog : IGrainCallSink
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly long _timeoutMs;
    private ReminderService? _reminders;

    public Catalog(GrainClassRegistry registry, IOptions<GrainRuntimeOptions> options, IServiceProvider services, ILogger<Catalog> logger, TimeProvider time)
    {
        Registry = registry;
        Options = options.Value;
        Services = services;
        Logger = logger;
        Time = time;
        _timeoutMs = (long)Options.ResponseTimeout.TotalMilliseconds;
        GrainFactory = new GrainReferenceFactory(this);
    }

    public GrainClassRegistry Registry { get; }

    public GrainRuntimeOptions Options { get; }

    public IServiceProvider Services { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public IGrainFactory GrainFactory { get; }

    public JsonSerializerOptions Json => GrainJson.Options;

    public ReminderService Reminders => _reminders ??= Services.GetRequiredService<ReminderService>();

    /// <summary>Live activations.</summary>
    public int Count => _activations.Count;

    public void Send(GrainRequest request)
    {
        GrainClassInfo grainClass;
        try
        {
            grainClass = Registry.Resolve(request.InterfaceType);
        }
        catch (ArgumentException ex)
        {
            request.Fail(ex);
            return;
        }

        SendTo(grainClass, request);
    }

    /// <summary>Delivers a request to a grain of a known class (used when the interface alone does not name the class, as for reminders).</summary>
    public void SendTo(GrainClassInfo grainClass, GrainRequest request)
    {
        request.Target = new GrainId(grainClass.GrainType, request.Key);
        if (request.DeadlineMs == long.MaxValue)
        {
            request.DeadlineMs = Environment.TickCount64 + _timeoutMs;
        }

        if (Router is { } router)
        {
            router.Route(request, grainClass);
        }
        else
        {
            DispatchLocal(request, grainClass);
        }
    }

    /// <summary>Routes calls across the cluster (null: every grain lives on this silo).</summary>
    public GrainRouter? Router { get; set; }

    /// <summary>Hands the request to this silo's activation of its grain, if there is one alive.</summary>
    public bool TryDeliverLocal(GrainRequest request)
    {
        if (!_activations.TryGetValue(request.Target, out var activation))
        {
            return false;
        }

        if (activation.TryEnqueue(request))
        {
            return true;
        }

        Remove(activation);
        return false;
    }

    /// <summary>Delivers to this silo's activation, creating it when there is none (it registers before running grain code).</summary>
    public void DispatchLocal(GrainRequest request, GrainClassInfo grainClass)
    {
        while (true)
        {
            if (!_activations.TryGetValue(request.Target, out var activation))
            {
                var fresh = new ActivationData(this, request.Target, grainClass);
                activation = _activations.GetOrAdd(request.Target, fresh);
                if (ReferenceEquals(activation, fresh))
                {
                    activation.Start();
                }
            }

            if (activation.TryEnqueue(request))
            {
                return;
            }

            // That activation just went away: remove it if it is still listed, and try again.
            Remove(activation);
        }
    }

    /// <summary>True when <paramref name="grainId"/> has a live activation here.</summary>
    public bool IsActive(GrainId grainId) => _activations.TryGetValue(grainId, out var activation) && activation.IsAlive;

    public void Remove(ActivationData activation) => _activations.TryRemove(KeyValuePair.Create(activation.Id, activation));

    /// <summary>Timeouts and idle collection, over every activation.</summary>
    public void Sweep()
    {
        var now = Environment.TickCount64;
        var age = (long)Options.CollectionAge.TotalMilliseconds;
        foreach (var activation in _activations.Values)
        {
            activation.Sweep(now, age);
        }
    }

    /// <summary>Deactivates everything (shutdown), waiting up to <paramref name="timeout"/>.</summary>
    public async Task DeactivateAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "the silo is stopping");
        foreach (var activation in _activations.Values)
        {
            activation.RequestDeactivation(reason);
        }

        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!_activations.IsEmpty && Environment.TickCount64 < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
