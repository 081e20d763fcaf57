package io.cellwatch.acl.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createsAFileReadableOnlyByItsOwnerWithBatchPassword() throws Exception {
        Path file = dir.resolve("passwd");

        assertThat(run("-c", "-b", file.toString(), "alice", "pw1")).isEqualTo(PasswdCommand.OK);

        assertThat(PasswordFile.load(file).verify("alice", "pw1".toCharArray())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(out()).contains("Created");
    }

    @Test
    void createOverwritesAnExistingFile() throws Exception {
        Path file = dir.resolve("passwd");
        run("-c", "-b", file.toString(), "alice", "pw1");

        assertThat(run("-c", "-b", file.toString(), "bob", "pw2")).isZero();

        assertThat(PasswordFile.load(file).users()).containsExactly("bob");
    }

    @Test
    void addsAUserKeepingCommentsAndOtherLinesByteForByte() throws Exception {
        Path file = dir.resolve("passwd");
        String bobLine = "bob:" + PasswordHash.pbkdf2Sha512("bob-pw".toCharArray());
        Files.writeString(file, "# site passwords\n" + bobLine + "\n\n# end\n");

        assertThat(run("-b", file.toString(), "carol", "carol-pw")).isZero();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(0, 4)).containsExactly("# site passwords", bobLine, "", "# end");
        assertThat(lines.get(4)).startsWith("carol:$7$101$");
        assertThat(out()).contains("Added user 'carol'");
    }

    @Test
    void updatesAUserInPlace() throws Exception {
        Path file = dir.resolve("passwd");
        run("-c", "-b", file.toString(), "alice", "old");
        run("-b", file.toString(), "bob", "bob-pw");

        assertThat(run("-b", file.toString(), "alice", "new")).isZero();

        PasswordFile passwords = PasswordFile.load(file);
        assertThat(passwords.users()).containsExactly("alice", "bob");
        assertThat(passwords.verify("alice", "new".toCharArray())).isTrue();
        assertThat(passwords.verify("alice", "old".toCharArray())).isFalse();
        assertThat(out()).contains("Updated password of user 'alice'");
    }

    @Test
    void readsThePasswordTwiceFromThePrompt() throws Exception {
        Path file = dir.resolve("passwd");

        assertThat(run(prompt("typed", "typed"), "-c", file.toString(), "alice")).isZero();

        assertThat(PasswordFile.load(file).verify("alice", "typed".toCharArray())).isTrue();
    }

    @Test
    void failsWhenTheTwoPromptedPasswordsDiffer() {
        Path file = dir.resolve("passwd");

        assertThat(run(prompt("one", "two"), "-c", file.toString(), "alice")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("Error: passwords do not match.");
        assertThat(file).doesNotExist();
    }

    @Test
    void failsWithoutAConsoleAndPointsAtBatchMode() {
        assertThat(run(p -> null, "-c", dir.resolve("passwd").toString(), "alice")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("use -b <file> <user> <password>");
    }

    @Test
    void deletesAUser() throws Exception {
        Path file = dir.resolve("passwd");
        run("-c", "-b", file.toString(), "alice", "a");
        run("-b", file.toString(), "bob", "b");

        assertThat(run("-D", file.toString(), "alice")).isZero();

        assertThat(PasswordFile.load(file).users()).containsExactly("bob");
        assertThat(out()).contains("Deleted user 'alice'");
    }

    @Test
    void deletingAnUnknownUserFailsAndLeavesTheFile() throws Exception {
        Path file = dir.resolve("passwd");
        run("-c", "-b", file.toString(), "alice", "a");
        String before = Files.readString(file);

        assertThat(run("-D", file.toString(), "zed")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("Error: user 'zed' not found in " + file + ".");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void addingToAMissingFileWithoutCreateFails() {
        Path file = dir.resolve("passwd");

        assertThat(run("-b", file.toString(), "alice", "a")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("does not exist; use -c to create it.");
    }

    @Test
    void refusesToEditAnInvalidFileAndNamesTheLine() throws Exception {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "# x\nbroken-line\n");

        assertThat(run("-b", file.toString(), "alice", "a")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("refusing to edit an invalid password file")
                .contains(file + ":2: missing ':' between user and password hash");
    }

    @Test
    void rejectsBadUsageWithExitCodeOne() {
        assertThat(run()).isEqualTo(PasswdCommand.USAGE);
        assertThat(run("-c", "-D", "f", "u")).isEqualTo(PasswdCommand.USAGE);
        assertThat(run("-D", "-b", "f", "u", "p")).isEqualTo(PasswdCommand.USAGE);
        assertThat(run("-b", "f", "u")).isEqualTo(PasswdCommand.USAGE);
        assertThat(run("-x", "f", "u")).isEqualTo(PasswdCommand.USAGE);

        assertThat(err()).contains("Error: -c and -D cannot be used together.")
                .contains("Error: unknown option '-x'.")
                .contains("Usage: passwd [-c | -D] <file> <user>");
    }

    @Test
    void rejectsUserNamesThatCannotBeStored() {
        assertThat(run("-c", "-b", dir.resolve("p").toString(), "a:b", "pw")).isEqualTo(PasswdCommand.FAILED);
        assertThat(run("-c", "-b", dir.resolve("p").toString(), "alice", "")).isEqualTo(PasswdCommand.FAILED);

        assertThat(err()).contains("Error: user name must not contain ':'.").contains("Error: empty password.");
    }

    private int run(String... args) {
        return run(p -> null, args);
    }

    private int run(PasswordPrompt prompt, String... args) {
        return PasswdCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), prompt);
    }

    private static PasswordPrompt prompt(String... answers) {
        Deque<String> queue = new ArrayDeque<>(List.of(answers));
        return p -> queue.isEmpty() ? null : queue.poll().toCharArray();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
