using Microsoft.Extensions.Options;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Security;

/// <summary>Whether this silo requires tokens (<see cref="SecurityOptions.Enforced"/> for its mode).</summary>
public sealed class SecurityState(IOptions<SecurityOptions> security, IOptions<SiloOptions> silo)
{
    private readonly Lazy<bool> _enforced = new(() => security.Value.Enforced(silo.Value.Mode));

    /// <summary>True when every request but the open ones needs a valid token.</summary>
    public bool Enforced => _enforced.Value;
}
