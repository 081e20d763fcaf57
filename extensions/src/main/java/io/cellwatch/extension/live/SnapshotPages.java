package io.cellwatch.extension.live;

import java.nio.ByteBuffer;

/**
 * A snapshot of one watched path, sent in pages at the client's pace: {@link LiveOutlet} asks for the next page only
 * when the client has room for it, so an unread snapshot costs one page in flight, never the whole subtree. Used on
 * the fan-out thread only.
 */
public interface SnapshotPages {

    /** The path the client subscribed to; a newer snapshot of the same path replaces this one. */
    String path();

    /** Whether a page is left to send. */
    boolean hasNext();

    /** The next page's frame; only while {@link #hasNext()}. */
    ByteBuffer next();
}
