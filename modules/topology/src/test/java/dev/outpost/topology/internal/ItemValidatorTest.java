package dev.outpost.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import dev.outpost.topology.DeadLetterReason;
import dev.outpost.topology.InvalidItemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Size limits in UTF-8 bytes, decided from a string's length when that settles it and counted
 * otherwise: right at the limit with characters of two, three and four bytes, and against Java's
 * own encoder on random text near the limit.
 */
class ItemValidatorTest {

  private static final int LIMIT = 120;

  private final ItemValidator validator = new ItemValidator(LIMIT, LIMIT);

  private static NewsItem item(final String title, final String body) {
    return NewsItem.newBuilder()
        .setId("size")
        .setSource("test")
        .setTitle(title)
        .setBody(body)
        .setIngestedAt(Instant.EPOCH)
        .build();
  }

  private static int utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aBodyOfTwoByteCharactersRightAtTheLimitIsAcceptedAndOneByteMoreIsNot() {
    // 60 chars: more than a third of the limit, so the bytes are counted.
    final String atLimit = "é".repeat(LIMIT / 2);
    assertThat(utf8(atLimit)).isEqualTo(LIMIT);

    assertThat(validator.check(item("t", atLimit)).getBody()).isEqualTo(atLimit);
    assertThatThrownBy(() -> validator.check(item("t", atLimit + "a")))
        .isInstanceOfSatisfying(InvalidItemException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.BODY_TOO_LARGE))
        .hasMessageContaining("body is more than " + LIMIT + " bytes");
  }

  @Test
  void threeByteCharactersAtAThirdOfTheLimitPassOnTheirLengthAndOneMoreIsCounted() {
    final String atLimit = "中".repeat(LIMIT / 3);
    assertThat(utf8(atLimit)).isEqualTo(LIMIT);

    assertThatCode(() -> validator.check(item(atLimit, atLimit))).doesNotThrowAnyException();
    assertThatThrownBy(() -> validator.check(item(atLimit + "中", "b")))
        .isInstanceOfSatisfying(InvalidItemException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.TITLE_TOO_LARGE));
  }

  @Test
  void surrogatePairsCountFourBytes() {
    final String atLimit = "\uD83D\uDEA2".repeat(LIMIT / 4);
    assertThat(utf8(atLimit)).isEqualTo(LIMIT);

    assertThatCode(() -> validator.check(item("t", atLimit))).doesNotThrowAnyException();
    assertThatThrownBy(() -> validator.check(item("t", "x" + atLimit)))
        .isInstanceOfSatisfying(InvalidItemException.class, e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.BODY_TOO_LARGE));
  }

  @Test
  void lengthAloneSettlesShortAndLongStrings() {
    assertThat(ItemValidator.exceeds(null, LIMIT)).isFalse();
    assertThat(ItemValidator.exceeds("", LIMIT)).isFalse();
    assertThat(ItemValidator.exceeds("中".repeat(LIMIT / 3), LIMIT)).isFalse();
    assertThat(ItemValidator.exceeds("a".repeat(LIMIT), LIMIT)).isFalse();
    assertThat(ItemValidator.exceeds("a".repeat(LIMIT + 1), LIMIT)).isTrue();
    assertThat(ItemValidator.exceeds("a".repeat(LIMIT * 1000), LIMIT)).isTrue();
  }

  @Test
  void agreesWithJavasEncoderOnRandomTextNearTheLimit() {
    final String[] pieces = {"a", " ", "é", "ß", "中", "한", "\uD83D\uDEA2", "\u0627"};
    final Random random = new Random(19);
    int over = 0;
    int within = 0;
    for (int i = 0; i < 20_000; i++) {
      final StringBuilder s = new StringBuilder();
      final int parts = LIMIT / 4 + random.nextInt(LIMIT);
      for (int p = 0; p < parts; p++) {
        s.append(pieces[random.nextInt(pieces.length)]);
      }
      final String text = s.toString();
      final boolean expected = utf8(text) > LIMIT;
      assertThat(ItemValidator.exceeds(text, LIMIT)).as(text).isEqualTo(expected);
      if (expected) {
        over++;
      } else {
        within++;
      }
    }
    assertThat(over).isGreaterThan(1000);
    assertThat(within).isGreaterThan(1000);
  }
}
