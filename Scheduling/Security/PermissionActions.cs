namespace OrleansDcos.Scheduling.Security;

/// <summary>What a permission allows on its resources (DC/OS' actions; <see cref="Full"/> is all of them).</summary>
[Flags]
public enum PermissionActions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>See it (listings show only what may be read).</summary>
    Read = 1,

    /// <summary>Make it.</summary>
    Create = 2,

    /// <summary>Change it (scale, restart, kill, drain …).</summary>
    Update = 4,

    /// <summary>Remove it.</summary>
    Delete = 8,

    /// <summary>Every action.</summary>
    Full = Read | Create | Update | Delete,
}
