package io.cellwatch.acl.policy;

import io.cellwatch.acl.rules.Access;
import io.cellwatch.contract.TopicFilter;

/** A rule for one user after {@code %u} and {@code %t} were substituted. Immutable. */
record CompiledRule(Access access, TopicFilter filter) {
}
