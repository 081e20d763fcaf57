package io.cellwatch.bench;

import java.io.IOException;

/** A broker the load generator runs against, in this JVM: bare HiveMQ or the cellwatch server. */
interface BrokerUnderTest extends AutoCloseable {

    /** How the variant is named in the tables, e.g. {@code cellwatch, auth off}. */
    String name();

    int mqttPort();

    /** Password of every load-generator gateway, or {@code null} when the broker takes anyone. */
    String gatewayPassword();

    /** Publishes the broker accepted since start, read on the broker side (not what the client sent). */
    long acceptedPublishes() throws IOException;

    @Override
    void close();
}
