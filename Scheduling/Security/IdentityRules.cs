using System.Security.Cryptography;

namespace OrleansDcos.Scheduling.Security;

/// <summary>What a user or service account may look like, and the limits the identities store keeps to.</summary>
public static class IdentityRules
{
    /// <summary>The most identities a cluster keeps.</summary>
    public const int MaxIdentities = 10_000;

    /// <summary>The most grants one identity holds.</summary>
    public const int MaxGrants = 1_000;

    /// <summary>The longest description.</summary>
    public const int MaxDescriptionLength = 512;

    /// <summary>The longest public key (PEM text).</summary>
    public const int MaxPublicKeyLength = 16_384;

    /// <summary>Why <paramref name="uid"/> is not a usable name (1–64 of letters, digits, <c>. - _ @</c>, starting with a letter or digit), or null.</summary>
    public static string? UidProblem(string? uid) =>
        uid is { Length: >= 1 and <= 64 } && char.IsAsciiLetterOrDigit(uid[0]) && uid.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@')
            ? null
            : $"'{Printable(uid)}' is not a user name: use 1 to 64 letters, digits, '.', '-', '_' or '@', starting with a letter or digit";

    /// <summary>Why <paramref name="description"/> is too long or holds control characters, or null.</summary>
    public static string? DescriptionProblem(string description) =>
        description.Length > MaxDescriptionLength || description.Any(char.IsControl)
            ? $"a description has at most {MaxDescriptionLength} characters and no control characters"
            : null;

    /// <summary>Why <paramref name="pem"/> is not an RSA public key of at least 2048 bits in PEM, or null.</summary>
    public static string? PublicKeyProblem(string pem)
    {
        if (pem.Length > MaxPublicKeyLength)
        {
            return $"a public key has at most {MaxPublicKeyLength} characters";
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.KeySize < 2048 ? $"the RSA key has {rsa.KeySize} bits: at least 2048 are needed" : null;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return "the public key is not an RSA public key in PEM ('-----BEGIN PUBLIC KEY-----')";
        }
    }

    /// <summary>The text cut to 64 characters with control characters dropped, for a message.</summary>
    public static string Printable(string? text) =>
        new([.. (text ?? string.Empty).Where(c => !char.IsControl(c)).Take(64)]);
}
