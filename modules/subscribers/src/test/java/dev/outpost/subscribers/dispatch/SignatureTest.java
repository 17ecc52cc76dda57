package dev.outpost.subscribers.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SignatureTest {

  private static final byte[] BODY = "{\"alertId\":\"x#parade\"}".getBytes(StandardCharsets.UTF_8);
  private static final long SIGNED_AT = 1_764_320_000L;
  private static final String SECRET = "the-shared-secret-1234";

  private static Clock at(final long epochSeconds) {
    return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
  }

  private static boolean verifyAt(final long now, final String header) {
    return Signature.verify(SECRET, header, BODY, at(now), Signature.DEFAULT_TOLERANCE);
  }

  @Test
  void aSignatureVerifiesWithItsSecretAndNothingElse() {
    final String header = Signature.sign(SECRET, SIGNED_AT, BODY);
    final Clock now = at(SIGNED_AT + 2);

    assertThat(header).matches("t=1764320000,v1=[0-9a-f]{64}");
    assertThat(Signature.verify(SECRET, header, BODY, now, Signature.DEFAULT_TOLERANCE)).isTrue();
    assertThat(Signature.verify("another-secret-123456", header, BODY, now, Signature.DEFAULT_TOLERANCE)).as("wrong secret").isFalse();
    assertThat(Signature.verify(SECRET, header, "{}".getBytes(StandardCharsets.UTF_8), now, Signature.DEFAULT_TOLERANCE))
        .as("tampered body")
        .isFalse();
    assertThat(Signature.verify(SECRET, header.replace("t=1764320000", "t=1764320001"), BODY, now, Signature.DEFAULT_TOLERANCE))
        .as("tampered time")
        .isFalse();
    assertThat(Signature.verify(SECRET, "garbage", BODY, now, Signature.DEFAULT_TOLERANCE)).isFalse();
    assertThat(Signature.verify(SECRET, null, BODY, now, Signature.DEFAULT_TOLERANCE)).isFalse();
  }

  @Test
  void anOldSignatureIsAReplayAndIsRefused() {
    final String header = Signature.sign(SECRET, SIGNED_AT, BODY);

    assertThat(verifyAt(SIGNED_AT + 300, header)).as("at the edge of the tolerance").isTrue();
    assertThat(verifyAt(SIGNED_AT + 301, header)).as("a second past it").isFalse();
    assertThat(verifyAt(SIGNED_AT + 86_400, header)).as("a day later").isFalse();
  }

  @Test
  void aSignatureFromTheFarFutureIsRefused() {
    final String header = Signature.sign(SECRET, SIGNED_AT, BODY);

    assertThat(verifyAt(SIGNED_AT - 300, header)).as("a clock a little behind the sender's").isTrue();
    assertThat(verifyAt(SIGNED_AT - 301, header)).isFalse();
    assertThat(Signature.verify(SECRET, Signature.sign(SECRET, Long.MAX_VALUE / 2, BODY), BODY, at(SIGNED_AT), Signature.DEFAULT_TOLERANCE))
        .isFalse();
  }

  @Test
  void theToleranceIsTheReceiversChoice() {
    final String header = Signature.sign(SECRET, SIGNED_AT, BODY);

    assertThat(Signature.verify(SECRET, header, BODY, at(SIGNED_AT + 30), Duration.ofSeconds(10))).isFalse();
    assertThat(Signature.verify(SECRET, header, BODY, at(SIGNED_AT + 30), Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void theDefaultVerificationUsesTheSystemClock() {
    final long now = Instant.now().getEpochSecond();

    assertThat(Signature.verify(SECRET, Signature.sign(SECRET, now, BODY), BODY)).isTrue();
    assertThat(Signature.verify(SECRET, Signature.sign(SECRET, now - 3_600, BODY), BODY)).isFalse();
  }

  @Test
  void theHmacIsOverTheTimeADotAndTheBody() throws Exception {
    // The documented recipe, computed independently with the JDK's HMAC.
    final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec("k-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    final String expected =
        java.util.HexFormat.of().formatHex(mac.doFinal(("42." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));

    assertThat(Signature.sign("k-0123456789abcdef", 42, BODY)).isEqualTo("t=42,v1=" + expected);
  }
}
