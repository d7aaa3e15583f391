using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrleansDcos.Grains.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// The cluster's bearer tokens: JWTs signed with HMAC-SHA256 under the cluster key, carrying the identity
/// (<c>uid</c>) and its token epoch (bumping the epoch revokes every older token), checked by every silo.
/// </summary>
public static class AccessTokens
{
    /// <summary>The issuer every token names.</summary>
    public const string Issuer = "orleansdcos";

    /// <summary>The claim of the identity's name.</summary>
    public const string UidClaim = "uid";

    /// <summary>The claim of the identity's token epoch.</summary>
    public const string EpochClaim = "epoch";

    /// <summary>How far a clock may be off.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The longest a service account's login assertion may live.</summary>
    public static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromMinutes(30);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token for <paramref name="identity"/> good until <paramref name="now"/> + <paramref name="lifetime"/>.</summary>
    public static string Issue(IdentityView view, IdentityRecord identity, DateTimeOffset now, TimeSpan lifetime) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                [UidClaim] = identity.Uid,
                [EpochClaim] = identity.TokenEpoch,
                ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
            },
            SigningCredentials = new SigningCredentials(view.SigningKey, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>How the cluster's tokens are checked (the key comes from <paramref name="cache"/>, the time from <paramref name="time"/>).</summary>
    public static TokenValidationParameters Validation(IdentityCache cache, TimeProvider time) => new()
    {
        ValidIssuer = Issuer,
        ValidateIssuer = true,
        ValidateAudience = false,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = ClockSkew,
        NameClaimType = UidClaim,
        IssuerSigningKeyResolver = (_, _, _, _) => cache.Cached is { } view ? [view.SigningKey] : [],
        LifetimeValidator = (notBefore, expires, _, _) => Live(notBefore, expires, time.GetUtcNow()),
    };

    /// <summary>
    /// Checks a service account's login assertion: a JWT signed (RS256) with its private key, naming it in <c>uid</c>,
    /// expiring within <see cref="MaxAssertionLifetime"/>. Null when it holds, else why not.
    /// </summary>
    public static async Task<string?> CheckAssertionAsync(IdentityRecord account, string assertion, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(account.PublicKeyPem);
        var result = await Handler.ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            // Not cached: the key object is disposed after this check, and a cached provider would keep using it.
            IssuerSigningKey = new RsaSecurityKey(rsa) { CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } },
            LifetimeValidator = (notBefore, expires, _, _) => Live(notBefore, expires, now) && expires!.Value - now.UtcDateTime <= MaxAssertionLifetime + ClockSkew,
        });
        return !result.IsValid ? "the login token is not valid (an RS256 JWT signed by the account's key, with uid and an exp within 30 minutes)"
            : result.Claims.TryGetValue(UidClaim, out var uid) && uid as string == account.Uid ? null
            : "the login token's uid claim does not name the account";
    }

    /// <summary>The principal of a checked token, or null when it no longer stands (unknown, disabled, revoked).</summary>
    public static string? Principal(ClaimsPrincipal? user, IdentityView view)
    {
        if (user?.FindFirst(UidClaim)?.Value is not { } uid || !view.Identities.TryGetValue(uid, out var identity) || !identity.Enabled)
        {
            return null;
        }

        return int.TryParse(user.FindFirst(EpochClaim)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var epoch) && epoch == identity.TokenEpoch ? uid : null;
    }

    private static bool Live(DateTime? notBefore, DateTime? expires, DateTimeOffset now) =>
        expires is { } until && now.UtcDateTime < until.ToUniversalTime() + ClockSkew && (notBefore is not { } from || from.ToUniversalTime() - ClockSkew <= now.UtcDateTime);
}
