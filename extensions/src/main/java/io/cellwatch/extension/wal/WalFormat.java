package io.cellwatch.extension.wal;

/**
 * The binary layout of WAL records. Each record is one Chronicle document starting with a type byte:
 * <pre>
 * 'S' series defined:   int id, utf8 key
 * 'G' gateway defined:  int id, utf8 clientId   (before client ids had owners; read as tenant "", user "")
 * 'H' gateway defined:  int id, utf8 tenant, utf8 user, utf8 clientId
 * 'E' gateway state:    int gatewayId, utf8 state, utf8 cause, long atMs
 * 'A' alert change:     utf8 tenant, utf8 alertId, utf8 rule, utf8 subject, utf8 severity, utf8 state,
 *                       double value, long atMs, utf8 by ("" unless acknowledged)
 * 'P' publish:          int gatewayId, long seq, long ts, long receivedAt, stop-bit n, n × (int seriesId, double value)
 * 'M' retained meta:    utf8 topic, stop-bit n, n bytes payload (n = 0: the retained message was cleared)
 * 'R' relayed publish:  as 'P', then int partition, long offset (where a serving node consumed it from Kafka)
 * 'J' gateway health:   int gatewayId, stop-bit n, n bytes report (PayloadWriter.gatewayHealth, UTF-8); ingest nodes
 * </pre>
 * A publish of n samples takes 29 + 12·n bytes plus Chronicle's 4-byte header.
 */
final class WalFormat {

    static final byte SERIES = 'S';
    static final byte LEGACY_GATEWAY = 'G';
    static final byte GATEWAY = 'H';
    static final byte PUBLISH = 'P';
    static final byte RELAYED_PUBLISH = 'R';
    static final byte RETAINED_META = 'M';
    static final byte GATEWAY_STATE = 'E';
    static final byte ALERT = 'A';
    static final byte GATEWAY_HEALTH = 'J';

    private WalFormat() {
    }
}
