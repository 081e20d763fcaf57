package io.cellwatch.acl.rules;

/**
 * One {@code topic}, {@code pattern} or {@code foreign} line as written: the filter still holds {@code %u},
 * {@code %c} and {@code %t}. A {@code foreign} line grants or denies a tenant member topics outside cellwatch's tree
 * (devices' own topics that mapping rules or Sparkplug B bring in). Immutable.
 */
public record RuleLine(int line, Access access, String filter, boolean pattern, boolean foreign) {

    /** A {@code topic} or {@code pattern} line. */
    public RuleLine(final int line, final Access access, final String filter, final boolean pattern) {
        this(line, access, filter, pattern, false);
    }
}
