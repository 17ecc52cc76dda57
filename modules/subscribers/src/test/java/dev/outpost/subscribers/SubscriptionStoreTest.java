package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Subscription;
import dev.outpost.model.WebhookTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Re-encryption without a broker: which subscriptions are written again, with which secret, and
 * what is counted or reported, for every kind of subscription the topic may hold.
 */
class SubscriptionStoreTest {

  private static final String OLD_KEY = key(7);
  private static final String NEW_KEY = key(9);
  private static final String LOST_KEY = key(11);

  private static String key(final int fill) {
    final byte[] k = new byte[SecretCipher.KEY_BYTES];
    Arrays.fill(k, (byte) fill);
    return Base64.getEncoder().encodeToString(k);
  }

  private static Subscription webhook(final String id, final String secret) {
    return Subscriptions.webhook(id, AlertFilter.ALL, "https://hooks.example/" + id, secret, Instant.EPOCH);
  }

  @Test
  void oldAndPlaintextSecretsAreRewrittenForTheCurrentKeyAndTheRestIsCountedOrReported() {
    // given: a topic subscription, a plaintext secret from before encryption, secrets under the
    // old, the current and a lost key
    final SecretCipher rotated = SecretCipher.fromKeys(NEW_KEY + "," + OLD_KEY, "test");
    final Subscription topic = Subscriptions.kafka("team", AlertFilter.ALL, "team.alerts", Instant.EPOCH);
    final Subscription plaintext = webhook("plain", "plaintext-secret-from-v1");
    final Subscription old = SecretCipher.fromKeys(OLD_KEY, "test").seal(webhook("old", "secret-under-the-old-key"));
    final Subscription current = rotated.seal(webhook("current", "secret-under-the-new-key"));
    final Subscription lost = SecretCipher.fromKeys(LOST_KEY, "test").seal(webhook("lost", "secret-under-a-lost-key"));

    // when
    final List<Subscription> written = new ArrayList<>();
    final SubscriptionStore.Reencryption done =
        SubscriptionStore.reencrypt(List.of(topic, plaintext, old, current, lost), rotated, written::add);

    // then: the plaintext and the old one are written again, with their secrets in plaintext for
    // put() to seal with the current key; the current one is counted; the lost one is reported
    assertThat(done.rewritten()).isEqualTo(2);
    assertThat(done.alreadyCurrent()).isEqualTo(1);
    assertThat(done.failures()).singleElement().asString().contains("subscription lost", "not among the configured keys");
    assertThat(written).extracting(Subscription::getId).containsExactly("plain", "old");
    assertThat(written).extracting(s -> ((WebhookTarget) s.getTarget()).getSecret()).containsExactly("plaintext-secret-from-v1", "secret-under-the-old-key");
    assertThat(written).allSatisfy(s -> assertThat(((WebhookTarget) s.getTarget()).getEncryptedSecret()).isNull());
    assertThat(written.get(1)).usingRecursiveComparison().ignoringFields("target").isEqualTo(old);
    assertThat(rotated.seal(written.get(1)).getTarget()).extracting(t -> ((WebhookTarget) t).getEncryptedSecret().getKeyId()).isEqualTo(rotated.currentKeyId());
  }

  @Test
  void withNothingButTopicsNothingIsWritten() {
    final List<Subscription> written = new ArrayList<>();

    final SubscriptionStore.Reencryption done =
        SubscriptionStore.reencrypt(
            List.of(Subscriptions.kafka("team", AlertFilter.ALL, "team.alerts", Instant.EPOCH)), SecretCipher.fromKeys(NEW_KEY, "test"), written::add);

    assertThat(written).isEmpty();
    assertThat(List.of(done.rewritten(), done.alreadyCurrent(), done.failures().size())).containsExactly(0, 0, 0);
  }
}
