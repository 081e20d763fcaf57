package io.cellwatch.acl.rules;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code tenant} block: its members, the extra rules every member gets and the quotas its {@code limit} lines
 * set (absent: the server-wide default). Immutable.
 */
public record TenantBlock(String id, int line, List<MemberEntry> members, List<RuleLine> rules,
                          Map<TenantLimit, Long> limits) {

    public TenantBlock {
        members = List.copyOf(members);
        rules = List.copyOf(rules);
        limits = limits.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(limits));
    }

    /** A block without {@code limit} lines. */
    public TenantBlock(final String id, final int line, final List<MemberEntry> members, final List<RuleLine> rules) {
        this(id, line, members, rules, Map.of());
    }
}
