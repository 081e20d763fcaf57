package io.cellwatch.extension.alerts;

import java.util.Optional;

/**
 * The outcome of an acknowledgement.
 *
 * @param outcome what happened
 * @param alert   the alert after it (absent when there is no such alert)
 */
public record Acknowledgement(Outcome outcome, Optional<Alert> alert) {

    /** What an acknowledgement did. */
    public enum Outcome {
        /** It was raised and is acknowledged now. */
        ACKNOWLEDGED,
        /** No alert of that id in that tenant. */
        UNKNOWN,
        /** It was already acknowledged or cleared. */
        NOT_RAISED
    }
}
