using System.Security.Cryptography;
using System.Text;

namespace HvMonitor.Reporter.Config;

/// <summary>The key file cannot be used; the message is virt-who's reason text (no key material).</summary>
public sealed class KeyFileException(string message) : Exception(message);

/// <summary>A ciphertext that is not valid hex or not whole AES blocks.</summary>
public sealed class CiphertextException(string message) : Exception(message);

/// <summary>AES-128 key and IV from virt-who's key file (line 1 key hex, line 2 IV hex).</summary>
public sealed class PasswordKey
{
    private readonly byte[] _key;
    private readonly byte[] _iv;

    public PasswordKey(byte[] key, byte[] iv)
    {
        _key = key;
        _iv = iv;
    }

    public override string ToString() => "PasswordKey(********)";

    /// <summary>Lines are stripped, and only the first 16 decoded bytes of each are used (docs/virt-who-compatibility.md, "Encrypted passwords").</summary>
    public static PasswordKey FromKeyFileText(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Length < 2)
            throw new KeyFileException("Invalid format");
        try
        {
            var key = Convert.FromHexString(lines[0]);
            var iv = Convert.FromHexString(lines[1]);
            if (key.Length < 16 || iv.Length < 16)
                throw new KeyFileException("Invalid format");
            return new PasswordKey(key[..16], iv[..16]);
        }
        catch (FormatException)
        {
            throw new KeyFileException("Invalid format");
        }
    }

    /// <summary>Reads the key file, with Python's wording for the common failures.</summary>
    public static PasswordKey Load(string path)
    {
        string text;
        try
        {
            text = Shared.Platform.RegularFile.ReadAllText(path, 4096);
        }
        catch (Shared.Platform.UnsuitableFileException e)
        {
            throw new KeyFileException($"{PythonText.Repr(path)} is {e.Reason}");
        }
        catch (FileNotFoundException)
        {
            throw new KeyFileException($"[Errno 2] No such file or directory: {PythonText.Repr(path)}");
        }
        catch (DirectoryNotFoundException)
        {
            throw new KeyFileException($"[Errno 2] No such file or directory: {PythonText.Repr(path)}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new KeyFileException($"[Errno 13] Permission denied: {PythonText.Repr(path)}");
        }
        catch (IOException e)
        {
            throw new KeyFileException($"{e.Message}: {PythonText.Repr(path)}");
        }
        return FromKeyFileText(text);
    }

    /// <summary>virt-who-password's new key: 16 random bytes each for key and IV.</summary>
    public static (PasswordKey Key, string FileText) Generate()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        return (new PasswordKey(key, iv), Convert.ToHexStringLower(key) + "\n" + Convert.ToHexStringLower(iv) + "\n");
    }

    /// <summary>UTF-8, PKCS#7-style padding (a whole block when already aligned), lower-case hex.</summary>
    public string Encrypt(string plaintext)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        int pad = 16 - data.Length % 16;
        var padded = new byte[data.Length + pad];
        data.CopyTo(padded, 0);
        padded.AsSpan(data.Length).Fill((byte)pad);
        return Convert.ToHexStringLower(EncryptRaw(padded));
    }

    /// <summary>Encrypts whole blocks without padding (the upstream unit test's raw vector).</summary>
    public byte[] EncryptRaw(byte[] blocks)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        return aes.EncryptCbc(blocks, _iv, PaddingMode.None);
    }

    /// <summary>virt-who's first step (unhexlify), before the key file is read: a value that is not hex
    /// cannot be decrypted whatever the key.</summary>
    public static byte[] CiphertextBytes(string hex)
    {
        try
        {
            return Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            throw new CiphertextException("not hexadecimal");
        }
    }

    /// <summary>Strips "last byte" bytes without checking them, as virt-who does.</summary>
    public string Decrypt(string hex)
    {
        byte[] cipher = CiphertextBytes(hex);
        if (cipher.Length == 0 || cipher.Length % 16 != 0)
            throw new CiphertextException("The length of the provided data is not a multiple of the block length.");
        using var aes = Aes.Create();
        aes.Key = _key;
        var plain = aes.DecryptCbc(cipher, _iv, PaddingMode.None);
        int pad = plain[^1];
        int length = Math.Max(0, plain.Length - pad);
        return Encoding.UTF8.GetString(plain, 0, length);
    }
}
