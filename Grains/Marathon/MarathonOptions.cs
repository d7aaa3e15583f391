namespace OrleansDcos.Grains.Marathon;

/// <summary>Settings of the built-in Marathon (section <c>Marathon</c>).</summary>
public sealed class MarathonOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Marathon";

    /// <summary>Roles Marathon subscribes with (apps may accept a subset in acceptedResourceRoles).</summary>
    public List<string> Roles { get; set; } = ["*"];

    /// <summary>
    /// The role resident apps reserve resources for (Marathon's <c>mesos_role</c>); Marathon subscribes with it besides
    /// <see cref="Roles"/>. Reserved resources of this role are used only by the reservations' own instances.
    /// </summary>
    public string ResidentRole { get; set; } = "marathon";

    /// <summary>The principal Marathon reserves and creates volumes as (Marathon's <c>mesos_authentication_principal</c>).</summary>
    public string Principal { get; set; } = "marathon";

    /// <summary>Every role Marathon subscribes with: <see cref="Roles"/> and <see cref="ResidentRole"/>.</summary>
    public IReadOnlyList<string> SubscribedRoles() => [.. Roles.Append(ResidentRole).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Marathon's <c>gpu_scheduling_behavior</c>: <c>restricted</c> (default) keeps apps without gpus off agents that
    /// offer GPUs; <c>unrestricted</c> places them anywhere. Marathon subscribes with GPU_RESOURCES either way.
    /// </summary>
    public string GpuSchedulingBehavior { get; set; } = "restricted";

    /// <summary>Service ports are assigned from this range (Marathon's local_port_min/max).</summary>
    public int ServicePortMin { get; set; } = 10000;

    /// <summary>Upper end of the service-port range (exclusive).</summary>
    public int ServicePortMax { get; set; } = 20000;

    /// <summary>
    /// How long a task of a load-balanced app (<c>HAPROXY_GROUP</c>) is out of the load balancers before its kill signal:
    /// its TASK_KILLING takes it out, the requests already sent to it finish, then it gets its kill grace period.
    /// </summary>
    public TimeSpan LoadBalancerDrain { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this fraction of an app's instances (at least one) is killed for failed health checks per window.</summary>
    public double UnhealthyKillFraction { get; set; } = 0.1;

    /// <summary>The window of <see cref="UnhealthyKillFraction"/>.</summary>
    public TimeSpan UnhealthyKillWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Unused offers are declined for this long while apps wait for launches (Marathon's decline_offer_duration is 120 s with nothing to launch).</summary>
    public TimeSpan DeclineWhileWaiting { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A launch still STAGING this long is reconciled with the master (and replaced if the master does not know it).</summary>
    public TimeSpan TaskLaunchReconcileAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A killed task still live this long is killed again (a kill can be lost with a silo).</summary>
    public TimeSpan KillRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// While an app has launches to make or a deployment action to finish, it tells the scheduler its launch queue
    /// (and the root its counts) again this often: one-way messages lost with a silo delay work by at most this long.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an event is POSTed to a callback URL that does not take it before it is given up for that URL.</summary>
    public int CallbackAttempts { get; set; } = 5;

    /// <summary>The largest request body the /v2 API reads.</summary>
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>The most instances one app may ask for.</summary>
    public int MaxInstancesPerApp { get; set; } = Validation.AppLimits.Default.MaxInstancesPerApp;

    /// <summary>The most instances the apps of one deployment may ask for together (a group or bulk change).</summary>
    public int MaxInstancesPerDeployment { get; set; } = 1_000_000;

    /// <summary>The most cpus one instance may ask for.</summary>
    public double MaxInstanceCpus { get; set; } = Validation.AppLimits.Default.MaxCpus;

    /// <summary>The most memory (MiB) one instance may ask for.</summary>
    public double MaxInstanceMem { get; set; } = Validation.AppLimits.Default.MaxMem;

    /// <summary>The most disk (MiB) one instance may ask for.</summary>
    public double MaxInstanceDisk { get; set; } = Validation.AppLimits.Default.MaxDisk;

    /// <summary>The most gpus one instance may ask for.</summary>
    public int MaxInstanceGpus { get; set; } = Validation.AppLimits.Default.MaxGpus;

    /// <summary>The bounds an app definition is read with.</summary>
    public Validation.AppLimits Limits() => new(MaxInstancesPerApp, MaxInstanceCpus, MaxInstanceMem, MaxInstanceDisk, MaxInstanceGpus);

    /// <summary>What is wrong with the settings, each naming the setting and its value; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (LoadBalancerDrain < TimeSpan.Zero || LoadBalancerDrain > TimeSpan.FromMinutes(5))
        {
            problems.Add("Marathon: LoadBalancerDrain must be within 0–5 minutes");
        }

        if (GpuSchedulingBehavior is not ("restricted" or "unrestricted"))
        {
            problems.Add("Marathon: GpuSchedulingBehavior must be restricted or unrestricted");
        }

        if (!Scheduling.Allocation.RoleNames.IsValid(ResidentRole) || ResidentRole == "*")
        {
            problems.Add("Marathon: ResidentRole must be a valid role name other than '*'");
        }

        if (Roles.Count == 0 || ServicePortMin < 1 || ServicePortMax > 65536 || ServicePortMin >= ServicePortMax)
        {
            problems.Add("Marathon: Roles must not be empty and ServicePortMin < ServicePortMax within 1–65536");
        }

        if (UnhealthyKillFraction is <= 0 or > 1 || UnhealthyKillWindow <= TimeSpan.Zero || MaxRequestBytes < 1024)
        {
            problems.Add("Marathon: UnhealthyKillFraction must be in (0, 1], UnhealthyKillWindow positive, MaxRequestBytes at least 1024");
        }

        if (ReconcileInterval <= TimeSpan.Zero)
        {
            problems.Add($"Marathon:ReconcileInterval must be positive (is {ReconcileInterval})");
        }

        if (MaxInstancesPerApp < 1 || MaxInstancesPerDeployment < MaxInstancesPerApp)
        {
            problems.Add($"Marathon: MaxInstancesPerApp must be at least 1 and MaxInstancesPerDeployment at least MaxInstancesPerApp (are {MaxInstancesPerApp} and {MaxInstancesPerDeployment})");
        }

        if (!(MaxInstanceCpus > 0 && double.IsFinite(MaxInstanceCpus)) || !(MaxInstanceMem > 0 && double.IsFinite(MaxInstanceMem))
            || !(MaxInstanceDisk >= 0 && double.IsFinite(MaxInstanceDisk)) || MaxInstanceGpus < 0)
        {
            problems.Add("Marathon: MaxInstanceCpus and MaxInstanceMem must be positive and finite, MaxInstanceDisk and MaxInstanceGpus finite and not negative");
        }

        return problems;
    }
}
