package io.cellwatch.acl.rules;

/**
 * A compiled ACL filter: literal levels, {@code +}, a trailing {@code #}, and {@code %c} (the client id, known only
 * per request). {@code %u} and {@code %t} are substituted before compiling. Matching walks the topic string by index
 * so the publish path allocates nothing. Immutable and thread-safe; equal when their text is equal.
 */
public final class TopicFilter {

    private static final byte LITERAL = 0;
    private static final byte PLUS = 1;
    private static final byte HASH = 2;
    private static final byte CLIENT = 3;

    /** The client id placeholder level as written in pattern lines. */
    public static final String CLIENT_ID = "%c";

    private final String text;
    private final byte[] kinds;
    private final String[] literals;
    private final boolean usesClientId;

    private TopicFilter(String[] levels) {
        this.text = String.join("/", levels);
        this.kinds = new byte[levels.length];
        this.literals = new String[levels.length];
        boolean client = false;
        for (int i = 0; i < levels.length; i++) {
            switch (levels[i]) {
                case "+" -> kinds[i] = PLUS;
                case "#" -> kinds[i] = HASH;
                case CLIENT_ID -> {
                    kinds[i] = CLIENT;
                    client = true;
                }
                default -> {
                    kinds[i] = LITERAL;
                    literals[i] = levels[i];
                }
            }
        }
        this.usesClientId = client;
    }

    /** Compiles levels that passed {@link #syntaxProblem}; {@code %c} stays a placeholder. */
    public static TopicFilter of(String... levels) {
        return new TopicFilter(levels.clone());
    }

    /** Null if {@code filter} is a well-formed ACL filter, otherwise what is wrong with it (a fixed message). */
    public static String syntaxProblem(String filter) {
        if (filter.isEmpty()) {
            return "empty topic filter";
        }
        if (filter.indexOf('\0') >= 0) {
            return "topic filter '" + filter + "' contains a NUL character";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.indexOf('#') >= 0 && (!level.equals("#") || i != levels.length - 1)) {
                return "invalid topic filter '" + filter + "': '#' must be a whole level and the last one";
            }
            if (level.indexOf('+') >= 0 && !level.equals("+")) {
                return "invalid topic filter '" + filter + "': '+' must be a whole level";
            }
            boolean placeholder = level.equals("%u") || level.equals("%c") || level.equals("%t");
            if (!placeholder && (level.contains("%u") || level.contains("%c") || level.contains("%t"))) {
                return "invalid topic filter '" + filter + "': %u, %c and %t must be a whole level";
            }
        }
        return null;
    }

    /** True if {@code value} can stand for a whole level: non-empty, no {@code /}, {@code +}, {@code #} or NUL. */
    public static boolean isSafeLevel(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    public boolean usesClientId() {
        return usesClientId;
    }

    /**
     * True if this filter matches the (wildcard-free) topic. A null {@code clientId} makes {@code %c} match any
     * level: callers pass null for an unusable client id so deny rules widen rather than vanish.
     */
    public boolean matches(String topic, String clientId) {
        int pos = 0;
        int n = topic.length();
        for (int i = 0; i < kinds.length; i++) {
            byte kind = kinds[i];
            if (kind == HASH) {
                return true; // also matches the parent: "a/#" matches "a"
            }
            if (pos < 0) {
                return false;
            }
            int end = topic.indexOf('/', pos);
            if (end < 0) {
                end = n;
            }
            int len = end - pos;
            if (kind == LITERAL) {
                String lit = literals[i];
                if (lit.length() != len || !topic.regionMatches(pos, lit, 0, len)) {
                    return false;
                }
            } else if (kind == CLIENT && clientId != null) {
                if (clientId.length() != len || !topic.regionMatches(pos, clientId, 0, len)) {
                    return false;
                }
            }
            pos = end < n ? end + 1 : -1;
        }
        return pos < 0;
    }

    /** True if every topic the requested filter (split into levels) can match is matched by this filter. */
    public boolean covers(String[] requested, String clientId) {
        for (int i = 0; i < kinds.length; i++) {
            byte kind = kinds[i];
            if (kind == HASH) {
                return true;
            }
            if (i >= requested.length) {
                return false;
            }
            String r = requested[i];
            if (r.equals("#")) {
                return false;
            }
            if (kind == LITERAL || (kind == CLIENT && clientId != null)) {
                String lit = kind == LITERAL ? literals[i] : clientId;
                if (r.equals("+") || !r.equals(lit)) {
                    return false;
                }
            }
        }
        return requested.length == kinds.length;
    }

    /** True if some topic is matched both by this filter and by the requested filter (split into levels). */
    public boolean intersects(String[] requested, String clientId) {
        int common = Math.min(kinds.length, requested.length);
        for (int i = 0; i < common; i++) {
            byte kind = kinds[i];
            String r = requested[i];
            if (kind == HASH || r.equals("#")) {
                return true;
            }
            if (kind == PLUS || r.equals("+") || (kind == CLIENT && clientId == null)) {
                continue;
            }
            String lit = kind == LITERAL ? literals[i] : clientId;
            if (!r.equals(lit)) {
                return false;
            }
        }
        if (kinds.length == requested.length) {
            return true;
        }
        // One is longer: they still share the shorter's topic only if the longer continues with a lone '#'.
        return kinds.length == requested.length + 1 ? kinds[requested.length] == HASH
                : requested.length == kinds.length + 1 && requested[kinds.length].equals("#");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The filter as written after substitution, e.g. {@code tenants/acme/gateways/%c/#}. */
    @Override
    public String toString() {
        return text;
    }
}
