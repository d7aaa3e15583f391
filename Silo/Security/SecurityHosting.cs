using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDcos.Grains.Security;
using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Hosting;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// Login, permissions, rate limits and the audit trail: <see cref="AddSecurity"/> registers them (section
/// <c>Security</c>), <see cref="UseSecurity"/> puts them in the pipeline after the error handling and the UI's files.
/// </summary>
public static partial class SecurityHosting
{
    /// <summary>Registers the security services.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services)
    {
        services.AddCheckedSection<SecurityOptions>(SecurityOptions.SectionName, o => o.Problems(), null);
        // The mode is read from the configuration, not SiloOptions: asking for those here would validate them inside this
        // validation, and a bad Silo setting would then surface as a crash rather than its one line.
        services.AddSingleton<IValidateOptions<SecurityOptions>>(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            return new ProblemsValidator<SecurityOptions>(o => o.ModeProblems(
                Enum.TryParse<SiloMode>(configuration[$"{SiloOptions.SectionName}:{nameof(SiloOptions.Mode)}"], ignoreCase: true, out var mode) ? mode : SiloMode.Embedded,
                SiloHostingExtensions.ApiAddress(configuration)));
        });
        services.AddCheckedSection<AuditOptions>(AuditOptions.SectionName, o => o.Problems(), null);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SecurityState>();
        services.AddSingleton<IdentityCache>();
        services.AddSingleton(sp => ClusterKeys.Load(
            sp.GetRequiredService<IOptions<SecurityOptions>>().Value, sp.GetRequiredService<IOptions<SiloOptions>>().Value, sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath));
        services.AddSingleton<AuditRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditRecorder>());
        services.AddHostedService<SecurityStartup>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IdentityCache, TimeProvider>((o, cache, time) =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = AccessTokens.Validation(cache, time);
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = async context =>
                {
                    // DC/OS sends "Authorization: token=<jwt>"; "Bearer <jwt>" works as well.
                    var header = context.Request.Headers.Authorization.ToString();
                    if (header.StartsWith("token=", StringComparison.Ordinal))
                    {
                        context.Token = header["token=".Length..];
                    }

                    if (header.Length > 0 && cache.Cached is null)
                    {
                        await cache.CurrentAsync(); // the key, before the first token is checked
                    }
                },
            };
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var security = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                var enforced = context.RequestServices.GetRequiredService<SecurityState>().Enforced;
                if (!enforced || security.RequestsPerSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter("none");
                }

                var key = context.Features.Get<Access>()?.Principal is { } principal ? "u:" + principal : "a:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = security.Burst,
                    TokensPerPeriod = security.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (rejected, cancellation) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await rejected.HttpContext.Response.WriteAsJsonAsync(
                    Grains.Interfaces.Api.ApiError.Of($"too many requests: at most {rejected.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.RequestsPerSecond} a second; try again in {retryAfter} s"),
                    cancellation);
            };
        });
        return services;
    }

    /// <summary>Authentication, the access gate, the rate limiter and the audit recorder, in that order.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseMiddleware<AccessGate>();
        app.UseRateLimiter();
        // Resolved at the first request: resolving it now would build Orleans' services before the settings are checked.
        app.Use(next => context => context.RequestServices.GetRequiredService<AuditRecorder>().RecordAsync(context, next));
        return app;
    }

    /// <summary>Says at start whether login is on, refuses an open silo on a non-loopback address, and makes the bootstrap superuser.</summary>
    private sealed partial class SecurityStartup(
        SecurityState state, IOptions<SecurityOptions> options, IOptions<SiloOptions> silo, IConfiguration configuration,
        IdentityCache cache, IHostApplicationLifetime lifetime, ILogger<SecurityStartup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!state.Enforced)
            {
                var api = SiloHostingExtensions.ApiAddress(configuration);
                if (api is not null && !(api.IsLoopback || (IPAddress.TryParse(api.Host, out var address) && IPAddress.IsLoopback(address))))
                {
                    throw new InvalidOperationException($"login is off (Security:Authentication=false or embedded mode) but the API listens on {api.Host}, which is not a loopback address: turn login on or listen on 127.0.0.1");
                }

                LoginOff(logger, silo.Value.Mode.ToString());
                return Task.CompletedTask;
            }

            LoginOn(logger, SecurityEndpoints.LoginPath);
            lifetime.ApplicationStarted.Register(() => _ = BootstrapAsync());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private async Task BootstrapAsync()
        {
            if (options.Value is not { BootstrapUser: { } uid, BootstrapPassword: { } password })
            {
                return;
            }

            try
            {
                var created = await cache.Grain.Bootstrap(uid, await Task.Run(() => Scheduling.Security.PasswordHash.Hash(password)));
                cache.Invalidate();
                if (created)
                {
                    Bootstrapped(logger, uid);
                }
                else
                {
                    BootstrapIgnored(logger);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                BootstrapFailed(logger, ex.Message);
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Login is off ({Mode} mode): anyone who reaches this silo's loopback address may do anything")]
        private static partial void LoginOff(ILogger logger, string mode);

        [LoggerMessage(Level = LogLevel.Information, Message = "Login is on: every API but {LoginPath}, /ping, /health and the UI's page needs a token")]
        private static partial void LoginOn(ILogger logger, string loginPath);

        [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap superuser '{Uid}' created (Security:BootstrapUser); remove the bootstrap password from the settings")]
        private static partial void Bootstrapped(ILogger logger, string uid);

        [LoggerMessage(Level = LogLevel.Information, Message = "Security:BootstrapUser ignored: the cluster already has identities")]
        private static partial void BootstrapIgnored(ILogger logger);

        [LoggerMessage(Level = LogLevel.Error, Message = "Bootstrap superuser not created: {Reason}")]
        private static partial void BootstrapFailed(ILogger logger, string reason);
    }
}
