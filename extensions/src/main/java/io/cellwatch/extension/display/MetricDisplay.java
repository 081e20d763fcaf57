package io.cellwatch.extension.display;

/**
 * How one metric is shown: the value as stored times {@code scale}, with {@code decimals} digits after the point and
 * {@code unit} after it; {@code label} names it; {@code min}..{@code max} is the range expected of the stored value.
 * A {@code null} field is not set here: {@link #over} takes it from the metric's other entry. Immutable.
 *
 * @param label    display name, e.g. "State of charge"
 * @param unit     unit after the number, e.g. "V", "%"
 * @param decimals digits after the decimal point, 0 to 6
 * @param scale    factor from the stored value to the shown one (soc 0.357 × 100 = 35.7 %)
 * @param min      lowest expected stored value
 * @param max      highest expected stored value
 */
public record MetricDisplay(String label, String unit, Integer decimals, Double scale, Double min, Double max) {

    /** This entry's fields, and {@code base}'s where this one has none. */
    public MetricDisplay over(final MetricDisplay base) {
        final boolean ownRange = min != null;
        return new MetricDisplay(label != null ? label : base.label, unit != null ? unit : base.unit,
                decimals != null ? decimals : base.decimals, scale != null ? scale : base.scale,
                ownRange ? min : base.min, ownRange ? max : base.max);
    }
}
