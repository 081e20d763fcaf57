package io.cellwatch.extension.live;

/** A live view (a WebSocket client) fed by {@link LiveFanout}; called on the fan-out thread only. */
public interface LiveSubscriber {

    /** Takes the frame of one flush for a path it watches; never called twice concurrently for one subscriber. */
    void deliver(DeltaFrame frame);
}
