package io.cellwatch.extension.ingest;

/**
 * Receives every accepted publish on the publish path (a broker thread): in-memory work or a WAL append only.
 * Implementations are thread-safe; calls for one gateway come from one thread in publish order.
 */
@FunctionalInterface
public interface PublishSink {

    /** Takes one accepted publish. */
    void accept(IngestedPublish publish);
}
