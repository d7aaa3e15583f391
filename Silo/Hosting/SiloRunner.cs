using Microsoft.Extensions.Options;

namespace OrleansDcos.Silo.Hosting;

/// <summary>Runs the built host and turns a failed start into one line on stderr and an exit code.</summary>
public static class SiloRunner
{
    /// <summary>Exit code when a setting is invalid.</summary>
    public const int InvalidSettingsExitCode = 2;

    /// <summary>Exit code when the host could not start for another reason (for example a port in use).</summary>
    public const int StartFailedExitCode = 1;

    /// <summary>Runs <paramref name="app"/> until shutdown; returns the process exit code.</summary>
    public static async Task<int> RunSiloAsync(this WebApplication app)
    {
        try
        {
            // Validate every ValidateOnStart option before the host starts, so a bad setting
            // is reported in one line instead of the host's "failed to start" stack trace.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"silo: invalid settings: {string.Join("; ", ex.Failures)}");
            return InvalidSettingsExitCode;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0 && ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several sections are wrong at once: every failure, still in one line.
            await Console.Error.WriteLineAsync($"silo: invalid settings: {string.Join("; ", ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures))}");
            return InvalidSettingsExitCode;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The configuration binder names the key ("at 'Silo:Mode'"); that is the line to show.
            await Console.Error.WriteLineAsync($"silo: invalid settings: {ex.Message}");
            return InvalidSettingsExitCode;
        }
        catch (Exception ex) when (ex is IOException or AggregateException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"silo: failed to start: {(ex.InnerException ?? ex).Message}");
            return StartFailedExitCode;
        }
    }
}
