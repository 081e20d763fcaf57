package io.cellwatch.acl.password;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers successful password checks per (user, encoded hash) as a SHA-256 of the password, so a reconnect
 * storm costs one SHA-256 per login instead of a PBKDF2 with up to 210000 iterations. Only successes are cached:
 * a wrong password always takes the slow path. Thread-safe.
 */
public final class VerificationCache {

    private record Entry(String encoded, byte[] passwordDigest) {
    }

    private final ConcurrentMap<String, Entry> verified = new ConcurrentHashMap<>();

    /** Verifies {@code password} against {@code encoded}, consulting and filling the cache; never throws. */
    public boolean verify(String user, String encoded, char[] password) {
        if (user == null || encoded == null || password == null || password.length == 0) {
            return false;
        }
        byte[] digest = sha256(password);
        Entry hit = verified.get(user);
        if (hit != null && hit.encoded.equals(encoded) && MessageDigest.isEqual(hit.passwordDigest, digest)) {
            return true;
        }
        if (!PasswordHash.verify(encoded, password)) {
            return false;
        }
        verified.put(user, new Entry(encoded, digest));
        return true;
    }

    /** Number of users with a cached successful check (for tests and metrics). */
    public int size() {
        return verified.size();
    }

    private static byte[] sha256(char[] password) {
        byte[] bytes = PasswordHash.utf8(password);
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
