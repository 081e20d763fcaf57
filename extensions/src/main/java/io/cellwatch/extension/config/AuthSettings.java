package io.cellwatch.extension.config;

import java.nio.file.Path;

/**
 * Who may connect and what they may do: the password and ACL files admins edit, and the HTTP login limits.
 *
 * @param enabled               authenticate clients and enforce the ACL; {@code false} only for benchmarks and
 *                              isolated test rigs (everyone may do everything, logged loudly at start)
 * @param passwordFile          users and password hashes, in {@code mosquitto_passwd} format
 * @param aclFile               tenants, roles and topic rules, in Mosquitto {@code acl_file} syntax plus tenants
 * @param allowAnonymous        accept MQTT clients without credentials (off by default; they get no permissions
 *                              beyond what the ACL file grants anonymous users)
 * @param sessionMinutes        how long an HTTP login stays valid without use
 * @param loginFailuresPerMinute failed logins (HTTP and MQTT together) an address may make per minute before its
 *                              further logins wait (growing delays); its /24 or /64 network gets four times as many
 */
public record AuthSettings(boolean enabled, Path passwordFile, Path aclFile, boolean allowAnonymous, int sessionMinutes,
                           int loginFailuresPerMinute) {

    public static final String ENABLED = "auth.enabled";
    public static final String PASSWORD_FILE = "auth.password-file";
    public static final String ACL_FILE = "auth.acl-file";
    public static final String ALLOW_ANONYMOUS = "auth.allow-anonymous";
    public static final String SESSION_MINUTES = "auth.session-minutes";
    public static final String LOGIN_FAILURES_PER_MINUTE = "auth.login-failures-per-minute";

    /** {@code passwd} and {@code acl} in {@code confDir}, anonymous off, 12 h sessions, 5 failed logins a minute. */
    public static AuthSettings defaults(final Path confDir) {
        return new AuthSettings(true, confDir.resolve("passwd"), confDir.resolve("acl"), false, 720, 5);
    }

    /** Reads the auth settings; relative file names are resolved against {@code confDir}. */
    static AuthSettings from(final ConfigFile file, final ConfigErrors errors, final Path confDir) {
        final AuthSettings d = defaults(confDir);
        return new AuthSettings(
                file.booleanValue(ENABLED, d.enabled(), errors),
                confDir.resolve(file.stringValue(PASSWORD_FILE, "passwd", errors)),
                confDir.resolve(file.stringValue(ACL_FILE, "acl", errors)),
                file.booleanValue(ALLOW_ANONYMOUS, d.allowAnonymous(), errors),
                file.intValue(SESSION_MINUTES, d.sessionMinutes(), 1, 525_600, errors),
                file.intValue(LOGIN_FAILURES_PER_MINUTE, d.loginFailuresPerMinute(), 1, 10_000, errors));
    }

    /** A copy with authentication and ACL switched on or off. */
    public AuthSettings withEnabled(final boolean on) {
        return new AuthSettings(on, passwordFile, aclFile, allowAnonymous, sessionMinutes, loginFailuresPerMinute);
    }

    /** A copy using other files. */
    public AuthSettings withFiles(final Path passwords, final Path acl) {
        return new AuthSettings(enabled, passwords, acl, allowAnonymous, sessionMinutes, loginFailuresPerMinute);
    }
}
