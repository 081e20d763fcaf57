package io.cellwatch.files;

import java.util.List;
import java.util.stream.Collectors;

/** A password or ACL file was rejected; carries every problem found, not just the first. */
public final class InvalidFileException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<FileProblem> problems;

    public InvalidFileException(List<FileProblem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an InvalidFileException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems in the order found, each rendering as {@code file:line: message}. */
    public List<FileProblem> problems() {
        return problems;
    }

    private static String describe(List<FileProblem> problems) {
        String noun = problems.size() == 1 ? " problem" : " problems";
        return problems.size() + noun + ":\n" + problems.stream().map(FileProblem::toString)
                .collect(Collectors.joining("\n"));
    }
}
