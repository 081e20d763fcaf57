package io.cellwatch.edge.modbus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterDecoderTest {

    private static RegisterSpec spec(final ValueType type, final Endian words, final Endian bytes, final double scale,
                                     final double offset) {
        return new RegisterSpec(1, 1, type == ValueType.BOOL ? RegisterFunction.COIL : RegisterFunction.HOLDING, 0,
                type, words, bytes, scale, offset, "cells/1", "x");
    }

    private static double decode(final RegisterSpec spec, final int... words) {
        return RegisterDecoder.decode(spec, words, 0);
    }

    @Test
    void decodesSixteenBitSignedAndUnsigned() {
        assertThat(decode(spec(ValueType.INT16, Endian.BIG, Endian.BIG, 1, 0), 0xFFFE)).isEqualTo(-2);
        assertThat(decode(spec(ValueType.UINT16, Endian.BIG, Endian.BIG, 1, 0), 0xFFFE)).isEqualTo(65534);
    }

    @Test
    void scaledValuesCarryOnlyTheDecimalsTheScaleImplies() {
        // In binary floating point these are 3.3080000000000003 and 0.49460000000000004.
        assertThat(decode(spec(ValueType.UINT16, Endian.BIG, Endian.BIG, 0.001, 0), 3308)).isEqualTo(3.308);
        assertThat(decode(spec(ValueType.UINT16, Endian.BIG, Endian.BIG, 0.0001, 0), 4946)).isEqualTo(0.4946);
        assertThat(decode(spec(ValueType.INT16, Endian.BIG, Endian.BIG, 0.1, 0), 0xFFF9)).isEqualTo(-0.7);
        final int f = Float.floatToIntBits(3.671f);
        assertThat(decode(spec(ValueType.FLOAT32, Endian.BIG, Endian.BIG, 1, 0), f >>> 16, f & 0xFFFF))
                .isEqualTo(3.671);
    }

    @Test
    void swapsBytesWithinARegisterForLittleByteOrder() {
        assertThat(decode(spec(ValueType.UINT16, Endian.BIG, Endian.LITTLE, 1, 0), 0x3412)).isEqualTo(0x1234);
    }

    @Test
    void decodesThirtyTwoBitsInAllFourOrders() {
        // 0x12345678 as ABCD, CDAB, BADC, DCBA.
        assertThat(decode(spec(ValueType.UINT32, Endian.BIG, Endian.BIG, 1, 0), 0x1234, 0x5678)).isEqualTo(0x12345678);
        assertThat(decode(spec(ValueType.UINT32, Endian.LITTLE, Endian.BIG, 1, 0), 0x5678, 0x1234))
                .isEqualTo(0x12345678);
        assertThat(decode(spec(ValueType.UINT32, Endian.BIG, Endian.LITTLE, 1, 0), 0x3412, 0x7856))
                .isEqualTo(0x12345678);
        assertThat(decode(spec(ValueType.UINT32, Endian.LITTLE, Endian.LITTLE, 1, 0), 0x7856, 0x3412))
                .isEqualTo(0x12345678);
    }

    @Test
    void decodesSignedAndUnsignedThirtyTwoBits() {
        assertThat(decode(spec(ValueType.INT32, Endian.BIG, Endian.BIG, 1, 0), 0xFFFF, 0xFFF6)).isEqualTo(-10);
        assertThat(decode(spec(ValueType.UINT32, Endian.BIG, Endian.BIG, 1, 0), 0xFFFF, 0xFFF6))
                .isEqualTo(4294967286.0);
    }

    @Test
    void decodesFloats() {
        final int bits = Float.floatToIntBits(3.671f);
        assertThat(decode(spec(ValueType.FLOAT32, Endian.BIG, Endian.BIG, 1, 0), bits >>> 16, bits & 0xFFFF))
                .isEqualTo(3.671);
        final long d = Double.doubleToLongBits(-12.5e3);
        final int w0 = (int) (d >>> 48) & 0xFFFF;
        final int w1 = (int) (d >>> 32) & 0xFFFF;
        final int w2 = (int) (d >>> 16) & 0xFFFF;
        final int w3 = (int) d & 0xFFFF;
        assertThat(decode(spec(ValueType.FLOAT64, Endian.BIG, Endian.BIG, 1, 0), w0, w1, w2, w3)).isEqualTo(-12.5e3);
        assertThat(decode(spec(ValueType.FLOAT64, Endian.LITTLE, Endian.BIG, 1, 0), w3, w2, w1, w0))
                .isEqualTo(-12.5e3);
    }

    @Test
    void appliesScaleThenOffset() {
        assertThat(decode(spec(ValueType.INT16, Endian.BIG, Endian.BIG, 0.1, -40), 650)).isEqualTo(25.0);
        assertThat(decode(spec(ValueType.BOOL, Endian.BIG, Endian.BIG, 1, 0), 1)).isEqualTo(1.0);
    }

    @Test
    void aBitOfAThirtyTwoBitFieldIsZeroOrOne() {
        final RegisterSpec overVolt = new RegisterSpec(0, 1, RegisterFunction.HOLDING, 0, ValueType.UINT32,
                Endian.BIG, Endian.BIG, 1, 0, "", "over_volt_alarm", 9);
        final RegisterSpec highBit = new RegisterSpec(0, 1, RegisterFunction.HOLDING, 0, ValueType.UINT32,
                Endian.BIG, Endian.BIG, 1, 0, "", "b31", 31);
        assertThat(decode(overVolt, 0x0000, 0x0200)).isEqualTo(1);
        assertThat(decode(overVolt, 0xFFFF, 0xFDFF)).isEqualTo(0);
        assertThat(decode(highBit, 0x8000, 0x0000)).isEqualTo(1);
    }
}
