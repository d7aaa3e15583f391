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

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Silo:Mode '{options.Mode}' is invalid: use Embedded or Cluster");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ClusterIdPattern();
}
