package io.cellwatch.broker;

import io.cellwatch.acl.password.PasswordHash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The logins of test servers: a password file and an ACL file written into the test's {@code conf/} folder, with a
 * global admin (what most tests act as) and members of two tenants, {@code acme} and {@code nordvolt}.
 */
public final class TestAccess {

    public static final String ADMIN = "admin";
    public static final String ACME_GATEWAY = "gw-acme-1";
    public static final String ACME_OPERATOR = "acme-operator";
    public static final String NORDVOLT_GATEWAY = "gw-nordvolt-1";
    public static final String NORDVOLT_OPERATOR = "nordvolt-operator";

    public static final String ACL = """
            # Test access rules.
            admin admin

            tenant acme
            gateways gw-acme-*
            operators acme-operator
            # Foreign device topics (docs/interop.md): mapped into acme by conf/mapping.rules where a test writes one.
            foreign write factory/machine/#
            foreign readwrite spBv1.0/acme-plant/#

            tenant nordvolt
            gateways gw-nordvolt-*
            operators nordvolt-operator
            # The same foreign topics, so a mapping into acme is refused by the mapped tenant, not only by this file.
            foreign write factory/machine/#
            foreign write spBv1.0/#
            """;

    private TestAccess() {
    }

    /** The password of a test user: its name backwards and a suffix, so every user's differs. */
    public static String password(final String user) {
        return new StringBuilder(user).reverse() + "-secret";
    }

    /** Writes {@code passwd} and {@code acl} into {@code confDir}. */
    public static void write(final Path confDir) throws IOException {
        Files.createDirectories(confDir);
        final Map<String, String> users = new LinkedHashMap<>();
        for (final String user : new String[] {ADMIN, ACME_GATEWAY, ACME_OPERATOR, NORDVOLT_GATEWAY,
                NORDVOLT_OPERATOR}) {
            users.put(user, PasswordHash.pbkdf2Sha512(password(user).toCharArray()));
        }
        final StringBuilder passwd = new StringBuilder();
        users.forEach((user, hash) -> passwd.append(user).append(':').append(hash).append('\n'));
        Files.writeString(confDir.resolve("passwd"), passwd, StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("acl"), ACL, StandardCharsets.UTF_8);
    }

    /** An {@code Authorization} header value with Basic credentials of {@code user}. */
    public static String basic(final String user) {
        return basic(user, password(user));
    }

    /** An {@code Authorization} header value with Basic credentials. */
    public static String basic(final String user, final String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
