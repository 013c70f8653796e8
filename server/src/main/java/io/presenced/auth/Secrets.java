package io.presenced.auth;

import io.presenced.PresencedException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Random secrets and their hashes. High-entropy secrets (tokens, client secrets) are stored as
 * SHA-256; passwords, which people choose, as salted PBKDF2-HMAC-SHA256.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PBKDF2_ITERATIONS = 210_000;
    private static final String PBKDF2 = "PBKDF2WithHmacSHA256";

    private Secrets() {
    }

    /** A random URL-safe secret of {@code bytes} random bytes. */
    public static String random(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    /** {@code n} random bytes from a strong source. */
    public static byte[] randomBytes(int n) {
        byte[] buffer = new byte[n];
        RANDOM.nextBytes(buffer);
        return buffer;
    }

    /** The SHA-256 of a high-entropy secret, in hex. */
    public static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new PresencedException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code secret} hashes to {@code expectedHash}, compared in constant time. */
    public static boolean matchesSha256(String secret, String expectedHash) {
        return MessageDigest.isEqual(sha256(secret).getBytes(StandardCharsets.US_ASCII),
                expectedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** A salted password hash: {@code pbkdf2-sha256$iterations$salt$hash}. */
    public static String hashPassword(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + PBKDF2_ITERATIONS + "$" + HexFormat.of().formatHex(salt) + "$"
                + HexFormat.of().formatHex(pbkdf2(password, salt, PBKDF2_ITERATIONS));
    }

    /** Whether {@code password} matches a hash made by {@link #hashPassword}. */
    public static boolean matchesPassword(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        byte[] expected = HexFormat.of().parseHex(parts[3]);
        byte[] actual = pbkdf2(password, HexFormat.of().parseHex(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new PresencedException(PBKDF2 + " is not available", e);
        }
    }
}
