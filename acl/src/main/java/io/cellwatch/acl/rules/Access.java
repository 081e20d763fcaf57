package io.cellwatch.acl.rules;

/** The access word of a {@code topic} or {@code pattern} line; {@link #DENY} beats every grant. */
public enum Access {
    READ("read"), WRITE("write"), READWRITE("readwrite"), DENY("deny");

    private final String word;

    Access(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** True for {@code read} and {@code readwrite}: may subscribe. */
    public boolean grantsRead() {
        return this == READ || this == READWRITE;
    }

    /** True for {@code write} and {@code readwrite}: may publish. */
    public boolean grantsWrite() {
        return this == WRITE || this == READWRITE;
    }

    /** The access for a word in the file, or null if it is not one. */
    public static Access ofWord(String word) {
        for (Access a : values()) {
            if (a.word.equals(word)) {
                return a;
            }
        }
        return null;
    }
}
