package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.ProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.cellwatch.broker.TestServers;

import java.net.InetAddress;

/** A real j2mod Modbus TCP slave on a free loopback port serving one process image as unit 1; close stops it. */
final class LoopbackModbusSlave implements AutoCloseable {

    private final ModbusSlave slave;
    private final int port;

    private LoopbackModbusSlave(final ModbusSlave slave, final int port) {
        this.slave = slave;
        this.port = port;
    }

    static LoopbackModbusSlave start(final ProcessImage image) throws Exception {
        final int port = TestServers.freePort();
        final ModbusSlave slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        slave.addProcessImage(1, image);
        slave.open();
        return new LoopbackModbusSlave(slave, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
    }
}
