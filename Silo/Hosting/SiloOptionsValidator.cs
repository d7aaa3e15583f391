using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OrleansDcos.Silo.Hosting;

/// <summary>Checks <see cref="SiloOptions"/> at start; every message names the setting and the bad value.</summary>
internal sealed partial class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var errors = new List<string>();
        if (!ClusterIdPattern().IsMatch(options.ClusterId ?? string.Empty))
        {
            errors.Add($"Silo:ClusterId '{options.ClusterId}' is invalid: use 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("Silo:DataDirectory is empty: give a directory for the embedded SQLite state");
        }

        if (options.Mode == SiloMode.Cluster && string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            errors.Add("Silo:PostgresConnectionString is required when Silo:Mode is Cluster");
        }

        foreach (var (setting, port) in new[] { (nameof(SiloOptions.SiloPort), options.SiloPort), (nameof(SiloOptions.GatewayPort), options.GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                errors.Add($"Silo:{setting} '{port}' is invalid: use a TCP port from 1 to 65535");
            }
        }

        if (options.SiloPort == options.GatewayPort)
        {
            errors.Add($"Silo:SiloPort and Silo:GatewayPort are both {options.SiloPort}: give them different ports");
        }

        if (options.AdvertisedAddress is { } advertised && !System.Net.IPAddress.TryParse(advertised, out _))
        {
            errors.Add($"Silo:AdvertisedAddress '{advertised}' is not an IP address");
        }

        if (!ClusterIdPattern().IsMatch(options.ServiceId ?? string.Empty))
        {
            errors.Add($"Silo:ServiceId '{options.ServiceId}' is invalid: use 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Silo:Mode '{options.Mode}' is invalid: use Embedded or Cluster");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ClusterIdPattern();
}
