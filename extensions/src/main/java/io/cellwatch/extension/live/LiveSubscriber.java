package io.cellwatch.extension.live;

import io.cellwatch.extension.series.Series;

import java.util.List;

/** A live view (a WebSocket client) fed by {@link LiveFanout}. */
public interface LiveSubscriber {

    /**
     * Called once per fan-out tick on the fan-out thread, never concurrently for one subscriber.
     *
     * @param changed every series whose latest value changed since the previous tick (maybe empty)
     */
    void onTick(List<Series> changed);
}
