package io.cellwatch.extension.history;

import java.util.List;

/**
 * The answer to a history query: for each series asked, at most {@code points} points, one per bucket of
 * {@code bucketMs} that holds data, in time order.
 *
 * @param from     start of the window, epoch ms, inclusive
 * @param to       end of the window, epoch ms, exclusive
 * @param bucketMs width of one point
 */
public record HistoryResult(long from, long to, long bucketMs, Resolution resolution, List<SeriesPoints> series) {

    /** The points of one series, in the order the series were asked for. */
    public record SeriesPoints(String series, List<Point> points) {
    }

    /**
     * One bucket of one series.
     *
     * @param ts    start of the bucket, epoch ms
     * @param value mean of the samples in the bucket
     * @param last  the value of the newest sample in the bucket
     * @param count number of samples in the bucket
     */
    public record Point(long ts, double value, double min, double max, double last, long count) {
    }
}
