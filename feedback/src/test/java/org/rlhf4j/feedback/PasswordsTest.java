package org.rlhf4j.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.javalin.http.BadRequestResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The password policy and bcrypt beyond its 72-byte limit. */
class PasswordsTest {
  final Passwords passwords = new Passwords(4);

  @Test void shortCommonAndUsernamePasswordsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> Passwords.checkPolicy("password", "u")).isInstanceOf(BadRequestResponse.class).hasMessageContaining("at least 12 characters");
    assertThatThrownBy(() -> Passwords.checkPolicy("12345678", "u")).hasMessageContaining("at least 12");
    assertThatThrownBy(() -> Passwords.checkPolicy("1qaz2wsx3edc", "u")).hasMessageContaining("common passwords found in breaches");  // a keyboard walk
    assertThatThrownBy(() -> Passwords.checkPolicy("QWERTY123456", "u")).hasMessageContaining("common passwords");               // any case
    assertThatThrownBy(() -> Passwords.checkPolicy("maria.gonzalez", "Maria.Gonzalez")).hasMessageContaining("must not be the username");
    assertThatThrownBy(() -> Passwords.checkPolicy("x".repeat(257), "u")).hasMessageContaining("at most 256");
    assertThatThrownBy(() -> Passwords.checkPolicy("correct horse battery staple", "u")).hasMessageContaining("common");  // xkcd 936 made it famous
    Passwords.checkPolicy("violet marmot under the stairs", "u");
    Passwords.checkPolicy("añejo-лето-夏天-2026", "u");  // 17 characters, not bytes
  }

  @Test void passwordsLongerThanBcrypts72BytesCountEveryCharacter() {
    String longer = "é".repeat(40) + "-tail";  // 85 bytes in UTF-8
    assertThat(longer.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(72);
    String hash = passwords.hash(longer);
    assertThat(passwords.verify(longer, hash)).isTrue();
    assertThat(passwords.verify("é".repeat(40) + "-tall", hash)).as("a change after byte 72 matters").isFalse();
    assertThat(passwords.verify("x".repeat(1000), hash)).isFalse();
  }

  @Test void hashesMadeBeforeTheLongPasswordStrategyStillVerify() {
    String old = BCrypt.withDefaults().hashToString(4, "rater-password-123".toCharArray());  // as stored by earlier versions
    assertThat(passwords.verify("rater-password-123", old)).isTrue();
    assertThat(passwords.verify("rater-password-124", old)).isFalse();
    assertThat(passwords.verify("anything at all", null)).as("no such user").isFalse();
  }
}
