package io.cellwatch.acl.password;

/** Reads a password without echo; tests supply canned answers. */
@FunctionalInterface
public interface PasswordPrompt {

    /** The password typed after {@code prompt}, or null when there is nothing to read from. */
    char[] read(String prompt);

    /** The process console; answers null when there is none (input or output redirected). */
    static PasswordPrompt console() {
        return prompt -> System.console() == null ? null : System.console().readPassword("%s", prompt);
    }
}
