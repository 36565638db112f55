using Jiceng.Data.Protection;

namespace Jiceng.Web.Tests;

public class FieldProtectorTests
{
    private static readonly FieldProtector Protector = new(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    [Fact]
    public void Id_numbers_are_encrypted_hashed_and_masked()
    {
        var p = Protector.Protect("11010519491231002x", ProtectedKind.IdNumber);
        p.Masked.ShouldBe("110105********002X");
        p.Cipher.ShouldNotContain("110105");
        Protector.Decrypt(p.Cipher).ShouldBe("11010519491231002X");
        p.Hash.ShouldBe(Protector.Hash("11010519491231002X", ProtectedKind.IdNumber));
        // Random nonce: the same value never encrypts the same way twice.
        Protector.Protect("11010519491231002X", ProtectedKind.IdNumber).Cipher.ShouldNotBe(p.Cipher);
        // A phone with the same digits hashes differently from an ID number.
        Protector.Hash("11010519491231002X", ProtectedKind.Phone).ShouldNotBe(p.Hash);
    }

    [Fact]
    public void A_different_key_cannot_read_or_match()
    {
        var p = Protector.Protect("13812341234", ProtectedKind.Phone);
        var other = new FieldProtector(new byte[32]);
        Should.Throw<Org.BouncyCastle.Crypto.InvalidCipherTextException>(() => other.Decrypt(p.Cipher));
        other.Hash("13812341234", ProtectedKind.Phone).ShouldNotBe(p.Hash);
    }

    [Fact]
    public void Tampered_cipher_text_is_detected()
    {
        var p = Protector.Protect("13812341234", ProtectedKind.Phone);
        var bytes = Convert.FromBase64String(p.Cipher["sm4gcm:".Length..]);
        bytes[^1] ^= 1;
        Should.Throw<Org.BouncyCastle.Crypto.InvalidCipherTextException>(() => Protector.Decrypt("sm4gcm:" + Convert.ToBase64String(bytes)));
    }
}
