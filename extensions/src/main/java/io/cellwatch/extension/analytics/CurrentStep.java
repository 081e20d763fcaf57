package io.cellwatch.extension.analytics;

/**
 * A step of pack current between two consecutive current samples.
 *
 * @param beforeTs when the current was last {@code beforeAmps}, epoch ms
 * @param afterTs  when it was first seen at {@code afterAmps}, epoch ms
 */
record CurrentStep(long beforeTs, double beforeAmps, long afterTs, double afterAmps) {

    double deltaAmps() {
        return afterAmps - beforeAmps;
    }
}
