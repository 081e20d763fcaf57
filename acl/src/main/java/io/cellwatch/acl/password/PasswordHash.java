package io.cellwatch.acl.password;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Mosquitto-compatible password hashes: {@code $7$<iterations>$<salt>$<hash>} (PBKDF2-HMAC-SHA512) and
 * {@code $6$<salt>$<hash>} (one SHA-512 of password bytes followed by the decoded salt), salts and hashes in
 * standard padded base64, as mosquitto_passwd 2.0 writes them. Stateless and thread-safe.
 */
public final class PasswordHash {

    /** What mosquitto_passwd 2.0.x writes; 2.1 writes 210000. Both verify. */
    public static final int DEFAULT_ITERATIONS = 101;
    /** Upper bound so a hostile or mistyped file cannot make one login take minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 12;
    private static final int HASH_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** Hashes with a fresh 12-byte salt and 101 iterations, as mosquitto_passwd 2.0 does. */
    public static String pbkdf2Sha512(char[] password) {
        return pbkdf2Sha512(password, DEFAULT_ITERATIONS);
    }

    /** Hashes with a fresh 12-byte salt and the given iteration count (1 to 10,000,000). */
    public static String pbkdf2Sha512(char[] password, int iterations) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(pbkdf2(password, salt, iterations, HASH_BYTES));
    }

    /** True if the encoded hash is well formed and matches the password; never throws. */
    public static boolean verify(String encoded, char[] password) {
        if (encoded == null || password == null || password.length == 0) {
            return false;
        }
        try {
            Decoded d = decode(encoded);
            if (d == null) {
                return false;
            }
            byte[] actual = d.iterations > 0
                    ? pbkdf2(password, d.salt, d.iterations, d.hash.length)
                    : sha512(password, d.salt);
            // MessageDigest.isEqual is constant-time for equal lengths since JDK 6u17.
            return MessageDigest.isEqual(actual, d.hash);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A hash no password matches, as costly to verify as the costliest of {@code encoded} (same scheme, iterations,
     * salt and hash lengths; PBKDF2 at {@value #DEFAULT_ITERATIONS} iterations if there is none): checking a login of
     * an unknown user against it takes as long as a wrong password of a known one. Random bytes, nothing hashed, so
     * it costs nothing to make.
     */
    public static String dummyLike(Iterable<String> encoded) {
        Decoded costliest = null;
        for (String e : encoded) {
            Decoded d = isWellFormed(e) ? decode(e) : null;
            if (d != null && (costliest == null || d.iterations > costliest.iterations)) {
                costliest = d;
            }
        }
        if (costliest == null) {
            costliest = new Decoded(DEFAULT_ITERATIONS, new byte[SALT_BYTES], new byte[HASH_BYTES]);
        }
        byte[] salt = new byte[costliest.salt.length];
        byte[] hash = new byte[costliest.hash.length];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        Base64.Encoder b64 = Base64.getEncoder();
        return costliest.iterations > 0
                ? "$7$" + costliest.iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash)
                : "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** The PBKDF2 iteration count of a well-formed {@code $7$} hash; 0 for {@code $6$} or anything else. */
    public static int iterations(String encoded) {
        try {
            Decoded d = encoded == null ? null : decode(encoded);
            return d == null ? 0 : d.iterations;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** True if {@link #verify} could check a password against this encoded hash. */
    public static boolean isWellFormed(String encoded) {
        try {
            return encoded != null && decode(encoded) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** iterations == 0 means the {@code $6$} scheme. */
    private record Decoded(int iterations, byte[] salt, byte[] hash) {
    }

    private static Decoded decode(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        Base64.Decoder b64 = Base64.getDecoder();
        if (parts.length == 4 && parts[0].isEmpty() && parts[1].equals("6")) {
            byte[] salt = b64.decode(parts[2]);
            byte[] hash = b64.decode(parts[3]);
            return salt.length > 0 && hash.length == HASH_BYTES ? new Decoded(0, salt, hash) : null;
        }
        if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals("7")) {
            if (parts[2].isEmpty() || parts[2].length() > 9 || !parts[2].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int iterations = Integer.parseInt(parts[2]);
            byte[] salt = b64.decode(parts[3]);
            byte[] hash = b64.decode(parts[4]);
            boolean ok = iterations >= 1 && iterations <= MAX_ITERATIONS && salt.length > 0 && hash.length > 0;
            return ok ? new Decoded(iterations, salt, hash) : null;
        }
        return null;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int length) {
        // The JDK's PBKDF2 encodes the chars as UTF-8, which is what mosquitto hashes on a UTF-8 terminal.
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] sha512(char[] password, byte[] salt) {
        byte[] bytes = utf8(password);
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            md.update(bytes);
            md.update(salt);
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 unavailable", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** UTF-8 bytes of a password without going through an immutable String; the caller wipes them. */
    static byte[] utf8(char[] password) {
        ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        if (buf.hasArray()) {
            Arrays.fill(buf.array(), (byte) 0);
        }
        return bytes;
    }
}
