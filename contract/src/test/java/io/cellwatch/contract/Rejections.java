package io.cellwatch.contract;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Test helper: catches the {@link Rejection} a call must throw. */
public final class Rejections {

    private Rejections() {
    }

    /** The rejection {@code call} throws; fails the test if it throws nothing or something else, or has no message. */
    public static Rejection rejected(final ThrowingCallable call) {
        final Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(Rejection.class);
        assertThat(thrown.getMessage()).isNotBlank();
        return (Rejection) thrown;
    }
}
