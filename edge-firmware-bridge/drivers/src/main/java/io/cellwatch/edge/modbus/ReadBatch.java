package io.cellwatch.edge.modbus;

import java.util.List;

/**
 * One Modbus request: {@code count} registers (or bits) of {@code function} from {@code start} on unit {@code unit},
 * and the entries decoded from them.
 */
public record ReadBatch(int unit, RegisterFunction function, int start, int count, List<RegisterSpec> specs) {

    public ReadBatch {
        specs = List.copyOf(specs);
    }
}
