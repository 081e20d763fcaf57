package io.cellwatch.acl.rules;

import java.util.List;

/** A {@code tenant} block: its members and the extra rules every member gets. Immutable. */
public record TenantBlock(String id, int line, List<MemberEntry> members, List<RuleLine> rules) {

    public TenantBlock {
        members = List.copyOf(members);
        rules = List.copyOf(rules);
    }
}
