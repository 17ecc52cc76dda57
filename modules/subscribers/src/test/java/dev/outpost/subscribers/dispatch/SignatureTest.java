package dev.outpost.subscribers.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignatureTest {

  private static final byte[] BODY = "{\"alertId\":\"x#parade\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void aSignatureVerifiesWithItsSecretAndNothingElse() {
    final String header = Signature.sign("the-shared-secret-1234", 1_764_320_000L, BODY);

    assertThat(header).matches("t=1764320000,v1=[0-9a-f]{64}");
    assertThat(Signature.verify("the-shared-secret-1234", header, BODY)).isTrue();
    assertThat(Signature.verify("another-secret-123456", header, BODY)).as("wrong secret").isFalse();
    assertThat(Signature.verify("the-shared-secret-1234", header, "{}".getBytes(StandardCharsets.UTF_8)))
        .as("tampered body")
        .isFalse();
    assertThat(Signature.verify("the-shared-secret-1234", header.replace("t=1764320000", "t=1764320001"), BODY))
        .as("tampered time")
        .isFalse();
    assertThat(Signature.verify("the-shared-secret-1234", "garbage", BODY)).isFalse();
    assertThat(Signature.verify("the-shared-secret-1234", null, BODY)).isFalse();
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
