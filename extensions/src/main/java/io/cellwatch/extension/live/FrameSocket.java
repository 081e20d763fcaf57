package io.cellwatch.extension.live;

import java.nio.ByteBuffer;

/** Where one client's text frames go (a WebSocket), as {@link LiveOutlet} sees it. Implementations are thread-safe. */
public interface FrameSocket {

    /** Queues a text frame; {@code done} runs once it is written or has failed (then the socket closes itself). */
    void send(ByteBuffer utf8, Runnable done);

    /** Closes the socket with {@code code}; frames still queued are dropped if the peer does not read them. */
    void close(int code, String reason);
}
