package io.cellwatch.acl.rules;

/**
 * One {@code topic} or {@code pattern} line as written: the filter still holds {@code %u}, {@code %c} and
 * {@code %t}. Immutable.
 */
public record RuleLine(int line, Access access, String filter, boolean pattern) {
}
