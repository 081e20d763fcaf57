package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.DigitalIn;
import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Modbus slave's process image that records every range it was asked for: one entry per Modbus request. */
final class RequestCountingImage extends SimpleProcessImage {

    final List<String> requests = new CopyOnWriteArrayList<>();

    @Override
    public Register[] getRegisterRange(final int offset, final int count) {
        requests.add("holding " + offset + "+" + count);
        return super.getRegisterRange(offset, count);
    }

    @Override
    public InputRegister[] getInputRegisterRange(final int offset, final int count) {
        requests.add("input " + offset + "+" + count);
        return super.getInputRegisterRange(offset, count);
    }

    @Override
    public DigitalOut[] getDigitalOutRange(final int offset, final int count) {
        requests.add("coil " + offset + "+" + count);
        return super.getDigitalOutRange(offset, count);
    }

    @Override
    public DigitalIn[] getDigitalInRange(final int offset, final int count) {
        requests.add("discrete " + offset + "+" + count);
        return super.getDigitalInRange(offset, count);
    }
}
