using System.Security.Cryptography;
using System.Text;
using Jiceng.Domain.Security;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Jiceng.Data.Protection;

public enum ProtectedKind
{
    IdNumber,
    Phone,
}

/// <summary>What is stored for one protected value: never the value itself.</summary>
public sealed record ProtectedValue(string Cipher, string Hash, string Masked);

/// <summary>
/// The protected-field mechanism for 身份证号 and phone numbers (个人信息保护法; 密评 GB/T 39786
/// level 3): SM4-GCM encryption at rest, an HMAC-SM3 keyed hash for exact lookup without
/// decrypting, and the masked form for display. Both keys derive from one 32-byte master key.
/// </summary>
public sealed class FieldProtector
{
    private const int NonceSize = 12;
    private const int TagBits = 128;
    private readonly byte[] _encryptionKey;
    private readonly byte[] _hashKey;

    public FieldProtector(byte[] masterKey)
    {
        if (masterKey.Length < 32) throw new ArgumentException("The protection key must be at least 32 bytes", nameof(masterKey));
        _encryptionKey = Derive(masterKey, "jiceng/sm4")[..16];
        _hashKey = Derive(masterKey, "jiceng/hmac-sm3");
    }

    public static string Normalize(string value, ProtectedKind kind) => kind switch
    {
        ProtectedKind.IdNumber => IdCardNumber.Normalize(value),
        _ => new string(value.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()),
    };

    public ProtectedValue Protect(string value, ProtectedKind kind)
    {
        var normalized = Normalize(value, kind);
        var masked = kind == ProtectedKind.IdNumber ? Masking.IdNumber(normalized) : Masking.Phone(normalized);
        return new ProtectedValue(Encrypt(normalized), Hash(normalized, kind), masked);
    }

    /// <summary>The keyed hash of a value, for exact lookup (e.g. "is this ID number already registered").</summary>
    public string Hash(string value, ProtectedKind kind)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(_hashKey));
        var bytes = Encoding.UTF8.GetBytes($"{kind}:{Normalize(value, kind)}");
        mac.BlockUpdate(bytes, 0, bytes.Length);
        var output = new byte[mac.GetMacSize()];
        mac.DoFinal(output, 0);
        return Convert.ToHexStringLower(output);
    }

    public string Encrypt(string plain)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(true, new AeadParameters(new KeyParameter(_encryptionKey), TagBits, nonce));
        var input = Encoding.UTF8.GetBytes(plain);
        var output = new byte[cipher.GetOutputSize(input.Length)];
        var len = cipher.ProcessBytes(input, 0, input.Length, output, 0);
        cipher.DoFinal(output, len);
        return "sm4gcm:" + Convert.ToBase64String([.. nonce, .. output]);
    }

    public string Decrypt(string stored)
    {
        if (!stored.StartsWith("sm4gcm:", StringComparison.Ordinal)) throw new CryptographicException("Unknown protected value format");
        var data = Convert.FromBase64String(stored["sm4gcm:".Length..]);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(false, new AeadParameters(new KeyParameter(_encryptionKey), TagBits, data[..NonceSize]));
        var body = data[NonceSize..];
        var output = new byte[cipher.GetOutputSize(body.Length)];
        var len = cipher.ProcessBytes(body, 0, body.Length, output, 0);
        len += cipher.DoFinal(output, len);
        return Encoding.UTF8.GetString(output, 0, len);
    }

    private static byte[] Derive(byte[] master, string label)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(master));
        var l = Encoding.UTF8.GetBytes(label);
        mac.BlockUpdate(l, 0, l.Length);
        var output = new byte[mac.GetMacSize()];
        mac.DoFinal(output, 0);
        return output;
    }
}
