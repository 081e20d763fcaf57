package io.cellwatch.edge.opcua;

/**
 * Why connecting to the PLC failed, in the words an admin acts on.
 *
 * @param kind    what went wrong, stable across attempts ({@code pairing}, {@code plc-refused}, {@code unreachable},
 *                {@code failed}): the log says it once per kind, the attempts after it are counted
 * @param message the cause, with what to do where the gateway knows it
 */
record ConnectProblem(String kind, String message) {

    /** Thrown where connecting fails; carries the problem to the source's connect loop. */
    static final class Failure extends Exception {

        private final ConnectProblem problem;

        Failure(final ConnectProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }

        ConnectProblem problem() {
            return problem;
        }
    }
}
