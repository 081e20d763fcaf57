package io.cellwatch.acl.rules;

import java.util.List;

/** The rules of every {@code user <name>} block for one user, merged in file order. Immutable. */
public record UserBlock(String user, int line, List<RuleLine> rules) {

    public UserBlock {
        rules = List.copyOf(rules);
    }
}
