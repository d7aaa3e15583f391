using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// Passwords kept as a slow salted hash: PBKDF2 with HMAC-SHA-256, a 16-byte random salt and
/// <see cref="DefaultIterations"/> rounds (OWASP's 2023 figure), stored as <c>pbkdf2-sha256$rounds$salt$hash</c>
/// (base64); checked in constant time. Only the hash is ever kept.
/// </summary>
public static class PasswordHash
{
    /// <summary>PBKDF2-HMAC-SHA256 rounds of a new hash.</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>The longest password taken (longer ones would only cost time).</summary>
    public const int MaxPasswordLength = 1024;

    private const string Scheme = "pbkdf2-sha256";

    /// <summary>The stored form of <paramref name="password"/>.</summary>
    /// <exception cref="ArgumentException">The password is empty or longer than <see cref="MaxPasswordLength"/>.</exception>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        if (string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
        {
            throw new ArgumentException($"a password has 1 to {MaxPasswordLength} characters", nameof(password));
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="password"/> is the one <paramref name="stored"/> was made of (false for a malformed stored form).</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000 || string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
