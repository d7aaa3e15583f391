using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// Secrets at rest: AES-256-GCM under the cluster key, the secret's path as associated data (a sealed value moved to
/// another path does not open), in the form <c>v1.{keyId}.{nonce}.{ciphertext}.{tag}</c> (base64url). A value that was
/// altered, or sealed under another key or path, does not open.
/// </summary>
public sealed class SecretBox
{
    /// <summary>The largest secret value (bytes).</summary>
    public const int MaxValueBytes = 64 * 1024;

    private readonly byte[] _key;

    /// <summary>A box under <paramref name="key"/> (32 bytes) named <paramref name="keyId"/>.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes, or the id is empty or holds a dot.</exception>
    public SecretBox(string keyId, byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("the cluster key is 32 bytes (AES-256)", nameof(key));
        }

        if (string.IsNullOrEmpty(keyId) || keyId.Contains('.'))
        {
            throw new ArgumentException("a key id is not empty and has no '.'", nameof(keyId));
        }

        KeyId = keyId;
        _key = [.. key];
    }

    /// <summary>The key's name (kept with each sealed value, so a rotated key is told apart).</summary>
    public string KeyId { get; }

    /// <summary>A new random 32-byte key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>Seals <paramref name="value"/> for the secret at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The value is larger than <see cref="MaxValueBytes"/>.</exception>
    public string Seal(string path, byte[] value)
    {
        if (value.Length > MaxValueBytes)
        {
            throw new ArgumentException($"a secret holds at most {MaxValueBytes} bytes", nameof(value));
        }

        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[value.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Encrypt(nonce, value, cipher, tag, Encoding.UTF8.GetBytes(path));
        return string.Join('.', "v1", KeyId, Base64Url(nonce), Base64Url(cipher), Base64Url(tag));
    }

    /// <summary>The value sealed for <paramref name="path"/>.</summary>
    /// <exception cref="CryptographicException">It was sealed under another key or path, or altered, or is not a sealed value.</exception>
    public byte[] Open(string path, string sealedValue)
    {
        var parts = sealedValue.Split('.');
        if (parts.Length != 5 || parts[0] != "v1")
        {
            throw new CryptographicException("not a sealed secret");
        }

        if (parts[1] != KeyId)
        {
            throw new CryptographicException($"sealed under key '{parts[1]}', not '{KeyId}'");
        }

        byte[] nonce, cipher, tag;
        try
        {
            (nonce, cipher, tag) = (FromBase64Url(parts[2]), FromBase64Url(parts[3]), FromBase64Url(parts[4]));
        }
        catch (FormatException)
        {
            throw new CryptographicException("not a sealed secret");
        }

        if (nonce.Length != AesGcm.NonceByteSizes.MaxSize || tag.Length != AesGcm.TagByteSizes.MaxSize)
        {
            throw new CryptographicException("not a sealed secret");
        }

        var value = new byte[cipher.Length];
        using var aes = new AesGcm(_key, tag.Length);
        aes.Decrypt(nonce, cipher, tag, value, Encoding.UTF8.GetBytes(path));
        return value;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
