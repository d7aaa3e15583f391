namespace OrleansDcos.Grains.Marathon.Apps;

/// <summary>Which version of an app an instance runs, as the app, the scheduler and the deployments compare them.</summary>
internal static class AppVersions
{
    /// <summary>The version of the configuration (instances aside) an instance runs: its last config change, else its version.</summary>
    public static string ConfigVersion(AppDefinition? app) => app?.VersionInfo?.LastConfigChangeAt ?? app?.Version ?? string.Empty;
}
