namespace OrleansDcos.Scheduling.Packages;

/// <summary>
/// Which versions an installed package may move to, as Universe declares it: a release's <c>upgradesFrom</c> lists the
/// versions that may upgrade to it, the installed release's <c>downgradesTo</c> the versions it may go back to
/// (<c>*</c>: any); staying on the same version (new options) is always allowed.
/// </summary>
public static class PackageUpgrades
{
    /// <summary>Null when <paramref name="installed"/> may move to <paramref name="target"/>; else why not.</summary>
    public static string? Refusal(PackageDefinition installed, PackageDefinition target)
    {
        if (installed.Name != target.Name)
        {
            return $"{installed.Name} cannot become {target.Name}";
        }

        if (installed.Version == target.Version
            || target.UpgradesFrom.Contains(installed.Version) || target.UpgradesFrom.Contains("*")
            || installed.DowngradesTo.Contains(target.Version) || installed.DowngradesTo.Contains("*"))
        {
            return null;
        }

        return $"{target.Name} {installed.Version} cannot move to {target.Version}: {target.Version} upgrades from [{string.Join(", ", target.UpgradesFrom)}] and {installed.Version} downgrades to [{string.Join(", ", installed.DowngradesTo)}]";
    }

    /// <summary>The versions of <paramref name="releases"/> <paramref name="installed"/> may move to (upgrades, then downgrades), each once.</summary>
    public static (IReadOnlyList<string> UpgradesTo, IReadOnlyList<string> DowngradesTo) Choices(PackageDefinition installed, IEnumerable<PackageDefinition> releases)
    {
        var others = releases.Where(r => r.Name == installed.Name && r.Version != installed.Version).ToList();
        var up = others.Where(r => r.UpgradesFrom.Contains(installed.Version) || r.UpgradesFrom.Contains("*")).Select(r => r.Version).Distinct().ToList();
        var down = others.Where(r => installed.DowngradesTo.Contains(r.Version) || installed.DowngradesTo.Contains("*")).Select(r => r.Version).Where(v => !up.Contains(v)).Distinct().ToList();
        return (up, down);
    }
}
