package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Category;
import dev.outpost.model.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubscriptionsTest {

  private static final String SECRET = "s3cret-that-is-long-enough";
  private static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[SecretCipher.KEY_BYTES]);
  private static final AlertFilter FILTER =
      new AlertFilter(Set.of(Category.PARADE), Set.of("PRK"), 0.6, List.of("missile"));

  @Test
  void aWebhookSubscriptionKeepsItsFilterAndIsDescribedWithoutItsSecret() {
    final Subscription s = Subscriptions.webhook("ops-team", FILTER, "https://hooks.example/outpost", SECRET, Instant.EPOCH);

    assertThat(Subscriptions.filterOf(s)).isEqualTo(FILTER);
    assertThat(Subscriptions.describe(s))
        .contains("ops-team", "webhook https://hooks.example/outpost", "categories=parade", "actors=PRK", "enabled")
        .doesNotContain(SECRET);
  }

  @Test
  void asJsonAWebhookShowsNeitherItsSecretNorTheCredentialsAndQueryOfItsUrl() {
    final Subscription plaintext =
        Subscriptions.webhook("old", FILTER, "https://alice:pa55word@hooks.example/outpost?token=t0k3n", SECRET, Instant.EPOCH);
    final Subscription encrypted = SecretCipher.fromKeys(KEY, "test").seal(plaintext);

    for (final Subscription s : List.of(plaintext, encrypted)) {
      final String json = Subscriptions.toJson(s).toString();
      assertThat(json)
          .contains("\"id\":\"old\"", "\"url\":\"https://***@hooks.example/outpost?***\"", "\"secret\":\"****\"")
          .doesNotContain("alice", "pa55word", "t0k3n", SECRET, "encryptedSecret");
    }
    assertThat(Subscriptions.toJson(plaintext).get("target").get("secretKeyId").isNull()).as("stored unencrypted").isTrue();
    assertThat(Subscriptions.toJson(encrypted).get("target").get("secretKeyId").asText())
        .isEqualTo(SecretCipher.fromKeys(KEY, "test").currentKeyId());
    assertThat(Subscriptions.toJson(Subscriptions.kafka("team", FILTER, "team.alerts", Instant.EPOCH)).get("target").get("topic").asText())
        .isEqualTo("team.alerts");
  }

  @Test
  void credentialsAndTheQueryOfAWebhookUrlAreNeverShown() {
    final Subscription s =
        Subscriptions.webhook("ops", FILTER, "https://alice:pa55word@hooks.example/outpost?token=t0k3n", SECRET, Instant.EPOCH);

    assertThat(Subscriptions.targetOf(s)).isEqualTo("webhook https://***@hooks.example/outpost?***");
    assertThat(Subscriptions.describe(s)).doesNotContain("alice", "pa55word", "t0k3n", SECRET);
    assertThatThrownBy(() -> Subscriptions.webhook("a", FILTER, "ftp://bob:hunter2@h.example/?key=k", SECRET, Instant.EPOCH))
        .hasMessageContaining("'ftp://***@h.example/?***' is not a webhook URL")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ftp://hooks.example/x", "hooks.example/x", "https:///nohost", "http://bad host/"})
  void aBadWebhookUrlIsRefusedWithWhatItTakes(final String url) {
    assertThatThrownBy(() -> Subscriptions.webhook("a", FILTER, url, SECRET, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + url + "'");
  }

  @Test
  void aShortSecretABadIdOrABadTopicIsRefused() {
    assertThatThrownBy(() -> Subscriptions.webhook("a", FILTER, "https://h.example/", "short", Instant.EPOCH))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> Subscriptions.kafka("has space", FILTER, "t", Instant.EPOCH))
        .hasMessageContaining("'has space' is not a subscription id");
    assertThatThrownBy(() -> Subscriptions.kafka("a", FILTER, "bad/topic", Instant.EPOCH))
        .hasMessageContaining("'bad/topic' is not a Kafka topic name");
  }

  @Test
  void aKafkaSubscriptionNamesItsTopic() {
    assertThat(Subscriptions.targetOf(Subscriptions.kafka("k", AlertFilter.ALL, "team.alerts", Instant.EPOCH)))
        .isEqualTo("topic team.alerts");
  }
}
