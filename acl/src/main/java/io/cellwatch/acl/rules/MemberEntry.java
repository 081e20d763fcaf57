package io.cellwatch.acl.rules;


/** One name or {@code *} glob on a {@code gateways}, {@code operators} or {@code admins} line. Immutable. */
public record MemberEntry(String name, Role role, String tenant, int line) {

    /** True if the name contains {@code *}. */
    public boolean glob() {
        return name.indexOf('*') >= 0;
    }

    /** True if {@code user} is this name, or matches it with {@code *} standing for any run of characters. */
    public boolean matches(String user) {
        return glob() ? globMatches(name, user) : name.equals(user);
    }

    /** Iterative wildcard match with backtracking to the last star; no regex, linear in practice. */
    static boolean globMatches(String glob, String s) {
        int g = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = i;
            } else if (g < glob.length() && glob.charAt(g) == s.charAt(i)) {
                g++;
                i++;
            } else if (star >= 0) {
                g = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}
