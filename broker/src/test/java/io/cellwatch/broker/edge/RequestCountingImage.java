package io.cellwatch.broker.edge;

import com.ghgande.j2mod.modbus.procimg.DigitalIn;
import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Modbus slave's process image that records every range it was asked for: one entry per Modbus request. It can
 * also play a flaky device that answers every n-th request with an exception ({@code Illegal Data Address}).
 */
final class RequestCountingImage extends SimpleProcessImage {

    final List<String> requests = new CopyOnWriteArrayList<>();
    /** Requests answered with an exception because of {@link #failEvery}. */
    final AtomicInteger failed = new AtomicInteger();
    private volatile int failEvery;

    /** Answers every {@code n}-th request from now on (counted over all tables) with an exception; 0: never. */
    void failEvery(final int n) {
        failEvery = n;
    }

    private void record(final String request) {
        requests.add(request);
        final int n = failEvery;
        if (n > 0 && requests.size() % n == 0) {
            failed.incrementAndGet();
            // j2mod's slave turns this into an exception answer (code 2), as a busy device's would be.
            throw new IllegalAddressException("every " + n + "th request fails");
        }
    }

    @Override
    public Register[] getRegisterRange(final int offset, final int count) {
        record("holding " + offset + "+" + count);
        return super.getRegisterRange(offset, count);
    }

    @Override
    public InputRegister[] getInputRegisterRange(final int offset, final int count) {
        record("input " + offset + "+" + count);
        return super.getInputRegisterRange(offset, count);
    }

    @Override
    public DigitalOut[] getDigitalOutRange(final int offset, final int count) {
        record("coil " + offset + "+" + count);
        return super.getDigitalOutRange(offset, count);
    }

    @Override
    public DigitalIn[] getDigitalInRange(final int offset, final int count) {
        record("discrete " + offset + "+" + count);
        return super.getDigitalInRange(offset, count);
    }
}
