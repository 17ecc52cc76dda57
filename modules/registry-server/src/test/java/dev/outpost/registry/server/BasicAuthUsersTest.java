package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BasicAuthUsersTest {

  @Test
  void readsOneUserALineSkippingCommentsAndBlankLines() {
    final String text = "# operators\nalice:s3cret\n\n  bob:pass: with colon \n";

    assertThat(BasicAuthUsers.parse(text, "the file users"))
        .containsExactly("alice:s3cret", "bob:pass: with colon");
  }

  @Test
  void aLineWithoutPasswordIsNamedByNumberWithoutItsValue() {
    assertThatThrownBy(() -> BasicAuthUsers.parse("alice:one\nbob-secret\n", "the file users"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Line 2 of the file users is not user:password")
        .hasMessageNotContaining("bob-secret");
  }

  @Test
  void aUserTwiceOrNoUserAtAllIsRefused() {
    assertThatThrownBy(() -> BasicAuthUsers.parse("a:1\na:2\n", "OUTPOST_REGISTRY_USERS"))
        .hasMessageContaining("User 'a' appears twice in OUTPOST_REGISTRY_USERS (line 2)");
    assertThatThrownBy(() -> BasicAuthUsers.parse("# none\n", "the file users"))
        .hasMessageContaining("holds no user");
  }
}
