package io.cellwatch.acl.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void hashesInMosquitto20FormatAndVerifies() {
        String hash = PasswordHash.pbkdf2Sha512("s3cret".toCharArray());

        String[] parts = hash.split("\\$");
        assertThat(parts[1]).isEqualTo("7");
        assertThat(parts[2]).isEqualTo("101");
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(12);
        assertThat(Base64.getDecoder().decode(parts[4])).hasSize(64);
        assertThat(PasswordHash.verify(hash, "s3cret".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(hash, "s3cret!".toCharArray())).isFalse();
    }

    @Test
    void saltsEveryHashFreshly() {
        assertThat(PasswordHash.pbkdf2Sha512("same".toCharArray()))
                .isNotEqualTo(PasswordHash.pbkdf2Sha512("same".toCharArray()));
    }

    @Test
    void verifiesSha512SchemeAgainstIndependentlyComputedVector() throws Exception {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update("hunter2".getBytes(StandardCharsets.UTF_8));
        md.update(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        String encoded = "$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(md.digest());

        assertThat(PasswordHash.verify(encoded, "hunter2".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(encoded, "hunter3".toCharArray())).isFalse();
    }

    @Test
    void verifiesIterationCountsOtherThanTheDefault() {
        String hash = PasswordHash.pbkdf2Sha512("pw".toCharArray(), 1000);

        assertThat(hash).startsWith("$7$1000$");
        assertThat(PasswordHash.verify(hash, "pw".toCharArray())).isTrue();
    }

    @Test
    void verifiesNonAsciiPasswordsAsUtf8() {
        String hash = PasswordHash.pbkdf2Sha512("pässwörd€".toCharArray());

        assertThat(PasswordHash.verify(hash, "pässwörd€".toCharArray())).isTrue();
        assertThat(PasswordHash.verify(hash, "passwortd".toCharArray())).isFalse();
    }

    @Test
    void rejectsMalformedHashesWithoutThrowing() {
        for (String bad : new String[] {null, "", "plain", "$7$", "$7$abc$AAAA$AAAA", "$7$0$AAAA$AAAA",
                "$7$101$!!!$AAAA", "$7$101$AAAA$", "$6$AAAA$AAAA", "$5$AAAA$AAAA", "$7$99999999999$AAAA$AAAA",
                "$6$$" + "A".repeat(88)}) {
            assertThat(PasswordHash.verify(bad, "x".toCharArray())).as(bad).isFalse();
            assertThat(PasswordHash.isWellFormed(bad)).as(bad).isFalse();
        }
    }

    @Test
    void rejectsEmptyPasswords() {
        String hash = PasswordHash.pbkdf2Sha512("x".toCharArray());

        assertThat(PasswordHash.verify(hash, new char[0])).isFalse();
        assertThat(PasswordHash.verify(hash, null)).isFalse();
        assertThatThrownBy(() -> PasswordHash.pbkdf2Sha512(new char[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("password must not be empty");
    }
}
