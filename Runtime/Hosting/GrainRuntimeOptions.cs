namespace OrleansDcos.Runtime.Hosting;

/// <summary>Settings of the grain runtime (section <c>GrainRuntime</c>), validated at start.</summary>
public sealed class GrainRuntimeOptions : ISelfValidatingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "GrainRuntime";

    /// <summary>How long a caller waits for a grain call before a <see cref="TimeoutException"/> (the call's outcome is then unknown). Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation idle this long is deactivated. Default 15 min.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often timeouts and idle activations are checked. Default 1 s.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long OnActivateAsync/OnDeactivateAsync may take before being cancelled. Default 30 s.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shortest reminder period accepted (Orleans: 1 min). Default 1 s.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the reminder service rereads the reminder table. Default 1 min.</summary>
    public TimeSpan ReminderRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests that may wait in one activation's inbox; beyond it calls fail with <see cref="GrainOverloadedException"/> (back-pressure). Default 10,000.</summary>
    public int MaxEnqueuedRequests { get; set; } = 10_000;

    /// <summary>Calls that may wait to be sent to one other silo; beyond it calls fail with <see cref="GrainOverloadedException"/>. Default 50,000.</summary>
    public int MaxQueuedCallsPerSilo { get; set; } = 50_000;

    /// <summary>The service id under which state, reminders and streams are stored (one database can hold several). Default <c>dcos</c>.</summary>
    public string ServiceId { get; set; } = "dcos";

    /// <summary>Every problem, each naming the setting and its value.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Positive(string name, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{SectionName}:{name} '{value}' must be positive");
            }
        }

        Positive(nameof(ResponseTimeout), ResponseTimeout);
        Positive(nameof(CollectionAge), CollectionAge);
        Positive(nameof(MaintenanceInterval), MaintenanceInterval);
        Positive(nameof(ActivationTimeout), ActivationTimeout);
        Positive(nameof(MinimumReminderPeriod), MinimumReminderPeriod);
        Positive(nameof(ReminderRefreshInterval), ReminderRefreshInterval);
        if (MaxEnqueuedRequests < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxEnqueuedRequests)} '{MaxEnqueuedRequests}' must be at least 1");
        }

        if (MaxQueuedCallsPerSilo < 1)
        {
            errors.Add($"{SectionName}:{nameof(MaxQueuedCallsPerSilo)} '{MaxQueuedCallsPerSilo}' must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(ServiceId) || ServiceId.Length > 100)
        {
            errors.Add($"{SectionName}:{nameof(ServiceId)} '{ServiceId}' must be 1-100 characters");
        }

        return errors;
    }
}
