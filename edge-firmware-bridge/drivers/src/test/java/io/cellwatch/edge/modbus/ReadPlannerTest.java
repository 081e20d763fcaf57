package io.cellwatch.edge.modbus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReadPlannerTest {

    private static RegisterSpec at(final int unit, final RegisterFunction function, final int address,
                                   final ValueType type) {
        return new RegisterSpec(1, unit, function, address, type, Endian.BIG, Endian.BIG, 1, 0, "cells/1",
                "m" + unit + function + address);
    }

    @Test
    void mergesAdjacentRegistersOfOneUnitAndFunctionIntoOneRequest() {
        final List<ReadBatch> plan = ReadPlanner.plan(List.of(
                at(1, RegisterFunction.HOLDING, 4, ValueType.FLOAT32),
                at(1, RegisterFunction.HOLDING, 0, ValueType.INT16),
                at(1, RegisterFunction.HOLDING, 1, ValueType.UINT32),
                at(1, RegisterFunction.HOLDING, 3, ValueType.UINT16)), 0);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).start()).isZero();
        assertThat(plan.get(0).count()).isEqualTo(6);
        assertThat(plan.get(0).specs()).hasSize(4);
    }

    @Test
    void splitsByUnitFunctionAndGap() {
        final List<ReadBatch> plan = ReadPlanner.plan(List.of(
                at(1, RegisterFunction.HOLDING, 0, ValueType.INT16),
                at(1, RegisterFunction.HOLDING, 10, ValueType.INT16),
                at(2, RegisterFunction.HOLDING, 1, ValueType.INT16),
                at(1, RegisterFunction.INPUT, 1, ValueType.INT16),
                at(1, RegisterFunction.COIL, 0, ValueType.BOOL),
                at(1, RegisterFunction.COIL, 1, ValueType.BOOL)), 0);

        assertThat(plan).extracting(b -> b.unit() + " " + b.function() + " " + b.start() + "+" + b.count())
                .containsExactly("1 HOLDING 0+1", "1 HOLDING 10+1", "1 INPUT 1+1", "1 COIL 0+2", "2 HOLDING 1+1");
    }

    @Test
    void spansAGapWhenAllowed() {
        final List<ReadBatch> plan = ReadPlanner.plan(List.of(
                at(1, RegisterFunction.HOLDING, 0, ValueType.INT16),
                at(1, RegisterFunction.HOLDING, 3, ValueType.INT16)), 2);

        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).count()).isEqualTo(4);
    }

    @Test
    void neverExceedsTheProtocolLimitOfOneRequest() {
        final List<RegisterSpec> specs = new java.util.ArrayList<>();
        for (int a = 0; a < 300; a += 2) {
            specs.add(at(1, RegisterFunction.INPUT, a, ValueType.FLOAT32));
        }
        final List<ReadBatch> plan = ReadPlanner.plan(specs, 0);

        assertThat(plan).allSatisfy(b -> assertThat(b.count()).isLessThanOrEqualTo(125));
        assertThat(plan).hasSize(3);
        assertThat(plan.stream().mapToInt(b -> b.specs().size()).sum()).isEqualTo(150);
    }
}
