package io.cellwatch.acl.rules;


/**
 * A {@code clientid <role> <pattern>} line: the client ids a role's members may connect with. {@code %u} stands for
 * the user name, {@code %t} for the tenant and {@code *} for any run of characters. Immutable.
 *
 * @param tenant the tenant block it was written in, or {@code null} before the first block (every tenant)
 */
public record ClientIdRule(int line, Role role, String pattern, String tenant) {

    /** The glob for one member: {@code %u} and {@code %t} substituted. */
    public String globFor(String user, String memberTenant) {
        return pattern.replace("%u", user).replace("%t", memberTenant);
    }

    /** True if {@code clientId} matches {@code glob}, where {@code *} stands for any run of characters. */
    public static boolean matches(String glob, String clientId) {
        return MemberEntry.globMatches(glob, clientId);
    }
}
