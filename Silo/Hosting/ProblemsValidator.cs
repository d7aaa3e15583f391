using Microsoft.Extensions.Options;

namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// The one way settings are checked: every options type lists its own problems (<c>Problems()</c>, each naming the
/// setting and its value), and this reports all of them when the silo starts (the runner prints them in one line).
/// </summary>
/// <typeparam name="T">The options.</typeparam>
public sealed class ProblemsValidator<T>(Func<T, IReadOnlyList<string>> problems) : IValidateOptions<T>
    where T : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options) is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}
