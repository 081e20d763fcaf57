package io.cellwatch.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * The one MQTT topic filter matcher of cellwatch: literal levels, {@code +}, a trailing {@code #} (which also matches
 * its parent, as MQTT says), and for ACL filters {@code %c} (the client id, known only per request; {@code %u} and
 * {@code %t} are substituted before compiling). Used by the ACL, the mapping rules, the alert rules' series patterns
 * and the foreign-topic ownership. Matching walks the topic string by index so the publish path allocates nothing.
 * Immutable and thread-safe; equal when their text is equal.
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

    private TopicFilter(String[] levels, boolean placeholders) {
        this.text = String.join("/", levels);
        this.kinds = new byte[levels.length];
        this.literals = new String[levels.length];
        boolean client = false;
        for (int i = 0; i < levels.length; i++) {
            switch (levels[i]) {
                case "+" -> kinds[i] = PLUS;
                case "#" -> kinds[i] = HASH;
                case CLIENT_ID -> {
                    if (placeholders) {
                        kinds[i] = CLIENT;
                        client = true;
                    } else {
                        literals[i] = levels[i];
                    }
                }
                default -> {
                    kinds[i] = LITERAL;
                    literals[i] = levels[i];
                }
            }
        }
        this.usesClientId = client;
    }

    /** Compiles ACL levels that passed {@link #syntaxProblem}; {@code %c} stays a placeholder. */
    public static TopicFilter of(String... levels) {
        return new TopicFilter(levels.clone(), true);
    }

    /** Compiles a plain MQTT filter ({@code +}, a final {@code #}; every other level literal, {@code %c} too). */
    public static TopicFilter mqtt(String filter) {
        return new TopicFilter(filter.split("/", -1), false);
    }

    /** How many levels the filter has ({@code #} counted). */
    public int levelCount() {
        return kinds.length;
    }

    /**
     * The values of the filter's {@code +} levels in {@code topic}, in order, or {@code null} if the filter does not
     * match it.
     */
    public List<String> captures(String topic) {
        String[] have = topic.split("/", -1);
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == HASH) {
                return values;
            }
            if (i >= have.length) {
                return null;
            }
            if (kinds[i] == PLUS) {
                values.add(have[i]);
            } else if (kinds[i] == LITERAL && !literals[i].equals(have[i])) {
                return null;
            }
        }
        return kinds.length == have.length ? values : null;
    }

    /** True if this filter matches the topic whose levels are {@code levels[from..]} ({@code %c} matches any level). */
    public boolean matchesLevels(String[] levels, int from) {
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == HASH) {
                return true;
            }
            int k = from + i;
            if (k >= levels.length || kinds[i] == LITERAL && !literals[i].equals(levels[k])) {
                return false;
            }
        }
        return from + kinds.length == levels.length;
    }

    /**
     * Null if {@code filter} is a well-formed plain MQTT filter ({@code +} a whole level, {@code #} a whole level and
     * the last), otherwise what is wrong with it. For the mapping rules of the server and the gateway.
     */
    public static String mqttProblem(String filter) {
        if (filter.isEmpty()) {
            return "is empty";
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#") && i != levels.length - 1) {
                return "'#' must be the last level";
            }
            if ((level.contains("+") || level.contains("#")) && level.length() > 1) {
                return "'+' and '#' must stand alone in their level";
            }
        }
        return null;
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
