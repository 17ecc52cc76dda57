package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.EncryptedSecret;
import dev.outpost.model.Subscription;
import dev.outpost.model.WebhookTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private static final String SECRET = "the-webhook-secret-0123456789";
  private static final String KEY_A = key(1);
  private static final String KEY_B = key(2);

  private static String key(final int fill) {
    final byte[] k = new byte[SecretCipher.KEY_BYTES];
    java.util.Arrays.fill(k, (byte) fill);
    return Base64.getEncoder().encodeToString(k);
  }

  private static Subscription webhook(final String id) {
    return Subscriptions.webhook(id, AlertFilter.ALL, "https://hooks.example/" + id, SECRET, Instant.EPOCH);
  }

  @Test
  void aSealedSubscriptionHoldsNoPlaintextAndDecryptsToItsSecret() {
    final SecretCipher cipher = SecretCipher.fromKeys(KEY_A, "test");

    final Subscription sealed = cipher.seal(webhook("ops"));
    final WebhookTarget target = (WebhookTarget) sealed.getTarget();

    assertThat(target.getSecret()).isNull();
    assertThat(target.getEncryptedSecret().getKeyId()).isEqualTo(cipher.currentKeyId()).hasSize(16);
    assertThat(new String(target.getEncryptedSecret().getCiphertext().array(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
    assertThat(SecretCipher.isPlaintext(sealed)).isFalse();
    assertThat(cipher.secretOf(sealed)).isEqualTo(SECRET);
    assertThat(cipher.seal(sealed)).as("sealing twice changes nothing").isSameAs(sealed);
    assertThat(cipher.seal(webhook("ops")).getTarget()).as("a fresh nonce each time").isNotEqualTo(target);
  }

  @Test
  void withoutAKeyNothingIsEncryptedAndTheMessageSaysWhatToSet() {
    assertThatThrownBy(() -> SecretCipher.none().seal(webhook("ops")))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining("no secrets key is configured")
        .hasMessageContaining("OUTPOST_SECRETS_KEY")
        .hasMessageContaining("/dev/urandom");
    final Subscription sealed = SecretCipher.fromKeys(KEY_A, "test").seal(webhook("ops"));
    assertThatThrownBy(() -> SecretCipher.none().secretOf(sealed))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining("subscription ops")
        .hasMessageContaining("no secrets key is configured");
  }

  @Test
  void theWrongKeyIsNamedByIdAndNeverShown() {
    final SecretCipher a = SecretCipher.fromKeys(KEY_A, "test");
    final SecretCipher b = SecretCipher.fromKeys(KEY_B, "test");
    final Subscription sealed = a.seal(webhook("ops"));

    assertThatThrownBy(() -> b.secretOf(sealed))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining("encrypted with key " + a.currentKeyId())
        .hasMessageContaining("not among the configured keys [" + b.currentKeyId() + "]")
        .hasMessageNotContaining(KEY_A)
        .hasMessageNotContaining(KEY_B);
  }

  @Test
  void keysRotate_theFirstEncryptsAndEveryOneDecrypts() {
    final Subscription old = SecretCipher.fromKeys(KEY_A, "test").seal(webhook("ops"));
    final SecretCipher rotated = SecretCipher.fromKeys("# new first, then the old one\n" + KEY_B + "\n" + KEY_A + "\n", "test");

    assertThat(rotated.secretOf(old)).isEqualTo(SECRET);
    final EncryptedSecret fresh = ((WebhookTarget) rotated.seal(webhook("new")).getTarget()).getEncryptedSecret();
    assertThat(fresh.getKeyId()).isEqualTo(SecretCipher.fromKeys(KEY_B, "test").currentKeyId());
  }

  @Test
  void aCiphertextMovedToAnotherSubscriptionDoesNotDecrypt() {
    final SecretCipher cipher = SecretCipher.fromKeys(KEY_A, "test");
    final WebhookTarget stolen = (WebhookTarget) cipher.seal(webhook("victim")).getTarget();
    final Subscription attacker =
        new Subscription("attacker", webhook("attacker").getFilter(), stolen, Instant.EPOCH, true, null);

    assertThatThrownBy(() -> cipher.secretOf(attacker))
        .isInstanceOf(SecretCipherException.class)
        .hasMessageContaining("does not decrypt");
    final EncryptedSecret e = stolen.getEncryptedSecret();
    final byte[] flipped = e.getCiphertext().array().clone();
    flipped[0] ^= 1;
    final Subscription tampered =
        new Subscription(
            "victim",
            attacker.getFilter(),
            new WebhookTarget(stolen.getUrl(), null, new EncryptedSecret(e.getKeyId(), e.getNonce(), ByteBuffer.wrap(flipped))),
            Instant.EPOCH,
            true,
            null);
    assertThatThrownBy(() -> cipher.secretOf(tampered)).hasMessageContaining("does not decrypt");
  }

  @Test
  void aSubscriptionFromBeforeEncryptionIsStillRead() {
    final Subscription legacy = webhook("legacy");

    assertThat(SecretCipher.isPlaintext(legacy)).isTrue();
    assertThat(SecretCipher.none().secretOf(legacy)).isEqualTo(SECRET);
    assertThat(Subscriptions.describe(legacy)).contains("secret stored unencrypted").doesNotContain(SECRET);
  }

  @Test
  void aBadKeyIsRefusedWithoutQuotingIt() {
    final String notBase64 = "this-is-not-base64-at-all!!";
    final String tooShort = Base64.getEncoder().encodeToString(new byte[16]);

    assertThatThrownBy(() -> SecretCipher.fromKeys(notBase64, "OUTPOST_SECRETS_KEY"))
        .hasMessageContaining("key 1 in OUTPOST_SECRETS_KEY is not base64")
        .hasMessageNotContaining(notBase64);
    assertThatThrownBy(() -> SecretCipher.fromKeys(KEY_A + "," + tooShort, "file k.txt"))
        .hasMessageContaining("key 2 in file k.txt is 16 bytes, not 32")
        .hasMessageNotContaining(tooShort);
    assertThatThrownBy(() -> SecretCipher.fromKeys("# only a comment\n", "file k.txt")).hasMessageContaining("holds no secrets key");
  }
}
