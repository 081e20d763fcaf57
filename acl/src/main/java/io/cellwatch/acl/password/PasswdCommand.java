package io.cellwatch.acl.password;

import io.cellwatch.files.InvalidFileException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code passwd [-c | -D] <file> <user>} and {@code passwd [-c] -b <file> <user> <password>}: manages a password
 * file like mosquitto_passwd. Exit codes: 0 done, 1 usage error, 2 the operation failed. Stateless.
 */
public final class PasswdCommand {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int FAILED = 2;

    static final String USAGE_TEXT = String.join("\n",
            "Usage: passwd [-c | -D] <file> <user>",
            "       passwd [-c] -b <file> <user> <password>",
            "  -c  create the file, replacing it if it exists",
            "  -D  delete the user",
            "  -b  take the password from the command line (it shows up in the shell history and process list)",
            "Without -c the file must exist; other users' lines and comments are kept.");

    private PasswdCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, PasswordPrompt.console()));
    }

    /** Runs the command; never throws and never exits the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err, PasswordPrompt prompt) {
        boolean create = false;
        boolean delete = false;
        boolean batch = false;
        List<String> positional = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "-c" -> create = true;
                case "-D" -> delete = true;
                case "-b" -> batch = true;
                case "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                default -> {
                    if (arg.startsWith("-") && positional.isEmpty()) {
                        return usage(err, "unknown option '" + arg + "'");
                    }
                    positional.add(arg);
                }
            }
        }
        if (create && delete) {
            return usage(err, "-c and -D cannot be used together");
        }
        if (batch && delete) {
            return usage(err, "-b and -D cannot be used together");
        }
        int expected = batch ? 3 : 2;
        if (positional.size() != expected) {
            return usage(err, batch ? "-b needs <file> <user> <password>" : "expected <file> <user>");
        }
        Path file = Path.of(positional.get(0));
        String user = positional.get(1);
        String problem = PasswordFileWriter.userNameProblem(user);
        if (problem != null) {
            err.println("Error: " + problem + ".");
            return FAILED;
        }
        try {
            if (delete) {
                return delete(file, user, out, err);
            }
            if (!create && !Files.exists(file)) {
                err.println("Error: " + file + " does not exist; use -c to create it.");
                return FAILED;
            }
            char[] password = batch ? positional.get(2).toCharArray() : ask(prompt, err);
            if (password == null) {
                return FAILED;
            }
            try {
                if (password.length == 0) {
                    err.println("Error: empty password.");
                    return FAILED;
                }
                String hash = PasswordHash.pbkdf2Sha512(password);
                if (create) {
                    PasswordFileWriter.create(file, user, hash);
                    out.println("Created " + file + " with user '" + user + "'.");
                } else if (PasswordFileWriter.put(file, user, hash)) {
                    out.println("Updated password of user '" + user + "'.");
                } else {
                    out.println("Added user '" + user + "'.");
                }
                return OK;
            } finally {
                Arrays.fill(password, '\0');
            }
        } catch (InvalidFileException e) {
            err.println("Error: refusing to edit an invalid password file; fix it first:");
            e.problems().forEach(p -> err.println("  " + p));
            return FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("Error: cannot write " + file + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int delete(Path file, String user, PrintStream out, PrintStream err)
            throws IOException, InvalidFileException {
        if (!Files.exists(file)) {
            err.println("Error: " + file + " does not exist.");
            return FAILED;
        }
        if (!PasswordFileWriter.delete(file, user)) {
            err.println("Error: user '" + user + "' not found in " + file + ".");
            return FAILED;
        }
        out.println("Deleted user '" + user + "'.");
        return OK;
    }

    private static char[] ask(PasswordPrompt prompt, PrintStream err) {
        char[] first = prompt.read("Password: ");
        if (first == null) {
            err.println("Error: no console to read the password from; use -b <file> <user> <password>.");
            return null;
        }
        char[] second = prompt.read("Reenter password: ");
        if (second == null || !Arrays.equals(first, second)) {
            Arrays.fill(first, '\0');
            if (second != null) {
                Arrays.fill(second, '\0');
            }
            err.println("Error: passwords do not match.");
            return null;
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("Error: " + problem + ".");
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
