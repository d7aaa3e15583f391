using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// An agent enrollment token as the cluster keeps it: only the SHA-256 of the secret (the secret is shown once, when
/// made), an optional expiry and number of uses, and whether it was revoked.
/// </summary>
/// <param name="Id">The token's name (operators revoke it by this).</param>
/// <param name="SecretHash">SHA-256 of the secret part, base64.</param>
/// <param name="ExpiresAt">After this it admits nobody; null for never.</param>
/// <param name="UsesLeft">How many more enrollments it admits; null for any.</param>
/// <param name="Revoked">Revoked by an operator.</param>
public sealed record JoinToken(string Id, string SecretHash, DateTimeOffset? ExpiresAt = null, int? UsesLeft = null, bool Revoked = false)
{
    /// <summary>A new token: what is kept, and the text handed to the operator (<c>{id}.{secret}</c>), shown once.</summary>
    public static (JoinToken Token, string Text) Create(string id, DateTimeOffset? expiresAt = null, int? uses = null)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || id == "agent")
        {
            throw new ArgumentException("a token id is 1 to 128 letters, digits, '-' or '_' (and not 'agent')", nameof(id));
        }

        if (uses is <= 0)
        {
            throw new ArgumentException("a token admits at least one enrollment", nameof(uses));
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new JoinToken(id, HashOf(secret), expiresAt, uses), $"{id}.{secret}");
    }

    /// <summary>
    /// Whether the token text <paramref name="presented"/> admits an enrollment at <paramref name="now"/>: null when it
    /// does (the caller then keeps <see cref="Used"/>), else why not — without saying which part was wrong beyond
    /// what an operator needs (unknown, revoked, expired, used up).
    /// </summary>
    public static string? Admit(IReadOnlyDictionary<string, JoinToken> tokens, string? presented, DateTimeOffset now, out JoinToken? token)
    {
        token = null;
        var dot = presented?.IndexOf('.') ?? -1;
        if (presented is null || dot <= 0 || !tokens.TryGetValue(presented[..dot], out var known))
        {
            return "the join token is not valid";
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented[(dot + 1)..])), Encoding.ASCII.GetBytes(known.SecretHash)))
        {
            return "the join token is not valid";
        }

        token = known;
        return known.Revoked ? $"join token '{known.Id}' was revoked"
            : known.ExpiresAt is { } until && until <= now ? $"join token '{known.Id}' expired at {until:O}"
            : known.UsesLeft is 0 ? $"join token '{known.Id}' is used up"
            : null;
    }

    /// <summary>The token after one more enrollment.</summary>
    public JoinToken Used() => UsesLeft is { } left ? this with { UsesLeft = left - 1 } : this;

    private static string HashOf(string secret) => Enrollment.HashOf(secret);
}
