package io.cellwatch.edge.modbus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Batches a register map into the fewest requests it allows: entries of one unit and function merge while they are
 * adjacent (or at most {@code maxGap} unused registers apart) and the request stays within the protocol's limit.
 */
public final class ReadPlanner {

    private ReadPlanner() {
    }

    public static List<ReadBatch> plan(final List<RegisterSpec> specs, final int maxGap) {
        final List<RegisterSpec> sorted = new ArrayList<>(specs);
        sorted.sort(Comparator.comparingInt(RegisterSpec::unit).thenComparing(RegisterSpec::function)
                .thenComparingInt(RegisterSpec::address));
        final List<ReadBatch> batches = new ArrayList<>();
        List<RegisterSpec> current = new ArrayList<>();
        int start = 0;
        int end = 0;
        for (final RegisterSpec spec : sorted) {
            final int specEnd = spec.address() + spec.width();
            final boolean fits = !current.isEmpty()
                    && current.get(0).unit() == spec.unit() && current.get(0).function() == spec.function()
                    && spec.address() <= end + maxGap
                    && Math.max(end, specEnd) - start <= spec.function().maxPerRead();
            if (!fits) {
                if (!current.isEmpty()) {
                    batches.add(batch(current, start, end));
                }
                current = new ArrayList<>();
                start = spec.address();
                end = specEnd;
            }
            current.add(spec);
            end = Math.max(end, specEnd);
        }
        if (!current.isEmpty()) {
            batches.add(batch(current, start, end));
        }
        return batches;
    }

    private static ReadBatch batch(final List<RegisterSpec> specs, final int start, final int end) {
        return new ReadBatch(specs.get(0).unit(), specs.get(0).function(), start, end - start, specs);
    }
}
