package io.cellwatch.extension.security;

import io.cellwatch.contract.TopicResolver;
import io.cellwatch.extension.ingest.GatewayKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The MQTT login of cellwatch's synthetic probe: a fixed user name and client id that no password file can hold (a
 * user name in {@code mosquitto_passwd} format cannot contain {@code ':'}), and a random password made at each start
 * that never leaves the process. Only this login passes as the probe; every other login is refused the probe's client
 * id, so nobody can take over its session. Immutable and thread-safe.
 */
public final class ProbeLogin {

    /** The probe's MQTT user name. */
    public static final String USER = "cellwatch:probe";
    /** The probe's MQTT client id. */
    public static final String CLIENT_ID = "cellwatch:probe";

    private final byte[] password;

    private ProbeLogin(final byte[] password) {
        this.password = password;
    }

    /** A login with a fresh random password (32 bytes, base64). */
    public static ProbeLogin random() {
        final byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new ProbeLogin(Base64.getEncoder().withoutPadding().encodeToString(secret)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The password, for the probe's own client. */
    public byte[] password() {
        return password.clone();
    }

    /** Whether a CONNECT names the probe's user or client id (then only {@link #matches} may let it in). */
    public static boolean claims(final String user, final String clientId) {
        return USER.equals(user) || CLIENT_ID.equals(clientId);
    }

    /** Whether a CONNECT is the probe's: its user, client id and password (compared in constant time). */
    public boolean matches(final String user, final String clientId, final char[] given) {
        final byte[] bytes = new String(given).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(password, bytes) & USER.equals(user) & CLIENT_ID.equals(clientId);
    }

    /** Who the probe publishes as, for the retry guard: the internal tenant, its user and client id. */
    public static GatewayKey gateway() {
        return new GatewayKey(TopicResolver.INTERNAL_TENANT, USER, CLIENT_ID);
    }
}
