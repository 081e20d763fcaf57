package io.cellwatch.broker;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An MQTT 5 connection on a plain socket that decodes acknowledgements strictly, as the pickiest client would: a
 * reason string must be well-formed UTF-8 and free of U+0000 [MQTT-1.5.4-1, -2], or {@link #publishQos1} fails. Lets
 * a test send payload bytes no client library would and read exactly what the broker answered.
 */
final class RawMqtt5Connection implements AutoCloseable {

    /** A PUBACK as read off the wire. */
    record PubAck(int packetId, int reasonCode, String reasonString) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextPacketId = 1;

    private RawMqtt5Connection(final Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and logs in as {@code user} of {@link TestAccess}; fails unless the CONNACK says success. */
    static RawMqtt5Connection open(final int port, final String clientId, final String user) throws IOException {
        return open(port, clientId, user, 60);
    }

    /**
     * Connects with a keep-alive of {@code keepAliveSeconds} and logs in as {@code user}; sends nothing more unless
     * asked, so the broker closes it 1.5 keep-alives later, as it would a half-open connection.
     */
    static RawMqtt5Connection open(final int port, final String clientId, final String user,
                                   final int keepAliveSeconds) throws IOException {
        final RawMqtt5Connection connection = new RawMqtt5Connection(new Socket("127.0.0.1", port));
        connection.sendConnect(clientId, user, keepAliveSeconds);
        final byte[] connack = connection.read(0x20);
        if (connack[1] != 0) {
            throw new IOException("CONNACK reason code 0x" + Integer.toHexString(connack[1] & 0xFF));
        }
        return connection;
    }

    /**
     * Sends one CONNECT ({@code user} {@code null}: without credentials) and returns the CONNACK reason code.
     *
     * @throws IOException if nothing listens or the connection closes without a CONNACK
     */
    static int connackCode(final int port, final String clientId, final String user) throws IOException {
        try (RawMqtt5Connection connection = new RawMqtt5Connection(new Socket("127.0.0.1", port))) {
            connection.sendConnect(clientId, user, 60);
            return connection.read(0x20)[1] & 0xFF;
        }
    }

    /**
     * Sends one CONNECT as {@code user} with a QoS 1 will on {@code willTopic} (retained if {@code retain}), reads the
     * CONNACK and, if it was a success, drops the socket without a DISCONNECT (a reset, as a crashed client's would
     * look), so the broker sends the will. Returns the CONNACK reason code.
     */
    static int connectWithWillThenDrop(final int port, final String clientId, final String user,
                                       final String willTopic, final byte[] willPayload, final boolean retain)
            throws IOException {
        try (RawMqtt5Connection connection = new RawMqtt5Connection(new Socket("127.0.0.1", port))) {
            final ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(5);
            // User name, password, will retain (optional), will QoS 1, will flag, clean start.
            body.write(0b1100_1110 | (retain ? 0b0010_0000 : 0));
            body.write(0);
            body.write(60);
            body.write(0); // no properties
            string(body, clientId);
            body.write(0); // no will properties
            string(body, willTopic);
            body.write(willPayload.length >> 8);
            body.write(willPayload.length & 0xFF);
            body.write(willPayload);
            string(body, user);
            string(body, TestAccess.password(user));
            connection.send(0x10, body.toByteArray());
            final int code = connection.read(0x20)[1] & 0xFF;
            connection.socket.setSoLinger(true, 0);
            return code;
        }
    }

    /** Publishes {@code payload} at QoS 1 and decodes the PUBACK strictly. */
    PubAck publishQos1(final String topic, final byte[] payload) throws IOException {
        final int packetId = nextPacketId++;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, topic);
        body.write(packetId >> 8);
        body.write(packetId & 0xFF);
        body.write(0); // no properties
        body.write(payload);
        send(0x32, body.toByteArray());
        final byte[] ack = read(0x40);
        final int id = ((ack[0] & 0xFF) << 8) | (ack[1] & 0xFF);
        if (ack.length == 2) {
            return new PubAck(id, 0, null);
        }
        final int reason = ack[2] & 0xFF;
        String reasonString = null;
        if (ack.length > 3) {
            final ByteBuffer properties = ByteBuffer.wrap(ack, 3, ack.length - 3);
            final int length = variableInt(properties);
            final int end = properties.position() + length;
            while (properties.position() < end) {
                final int property = properties.get() & 0xFF;
                final String value = strictString(properties);
                if (property == 0x1F) {
                    reasonString = value;
                } else if (property != 0x26) {
                    throw new IOException("unexpected PUBACK property 0x" + Integer.toHexString(property));
                } else {
                    strictString(properties);
                }
            }
        }
        return new PubAck(id, reason, reasonString);
    }

    private void sendConnect(final String clientId, final String user, final int keepAliveSeconds)
            throws IOException {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        string(body, "MQTT");
        body.write(5);
        body.write(user == null ? 0b0000_0010 : 0b1100_0010); // (user name, password,) clean start
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        body.write(0); // no properties
        string(body, clientId);
        if (user != null) {
            string(body, user);
            string(body, TestAccess.password(user));
        }
        send(0x10, body.toByteArray());
    }

    /** True if the broker answers a PINGREQ: the connection is still up. */
    boolean ping() throws IOException {
        send(0xC0, new byte[0]);
        read(0xD0);
        return true;
    }

    private void send(final int header, final byte[] body) throws IOException {
        final ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(header);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.write(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private byte[] read(final int expectedType) throws IOException {
        final int header = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int digit;
        do {
            digit = in.readUnsignedByte();
            length |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        final byte[] body = new byte[length];
        in.readFully(body);
        if ((header & 0xF0) != expectedType) {
            throw new IOException("expected packet type 0x" + Integer.toHexString(expectedType) + ", got 0x"
                    + Integer.toHexString(header));
        }
        return body;
    }

    private static int variableInt(final ByteBuffer buffer) {
        int value = 0;
        int shift = 0;
        int digit;
        do {
            digit = buffer.get() & 0xFF;
            value |= (digit & 0x7F) << shift;
            shift += 7;
        } while ((digit & 0x80) != 0);
        return value;
    }

    /** An MQTT UTF-8 string, refused if ill-formed or holding U+0000 [MQTT-1.5.4-1, -2]. */
    private static String strictString(final ByteBuffer buffer) throws IOException {
        final int length = buffer.getShort() & 0xFFFF;
        final ByteBuffer bytes = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        final String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (final CharacterCodingException e) {
            throw new IOException("malformed UTF-8 in a reason string", e);
        }
        if (value.indexOf('\u0000') >= 0) {
            throw new IOException("U+0000 in a reason string");
        }
        return value;
    }

    private static void string(final ByteArrayOutputStream out, final String value) throws IOException {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.write(bytes);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
