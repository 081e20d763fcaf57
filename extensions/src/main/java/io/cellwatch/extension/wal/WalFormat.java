package io.cellwatch.extension.wal;

/**
 * The binary layout of WAL records. Each record is one Chronicle document starting with a type byte:
 * <pre>
 * 'S' series defined:   int id, utf8 key
 * 'G' gateway defined:  int id, utf8 clientId
 * 'P' publish:          int gatewayId, long seq, long ts, long receivedAt, stop-bit n, n × (int seriesId, double value)
 * </pre>
 * A publish of n samples takes 29 + 12·n bytes plus Chronicle's 4-byte header.
 */
final class WalFormat {

    static final byte SERIES = 'S';
    static final byte GATEWAY = 'G';
    static final byte PUBLISH = 'P';

    private WalFormat() {
    }
}
