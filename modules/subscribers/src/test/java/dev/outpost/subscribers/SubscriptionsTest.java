package dev.outpost.subscribers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Category;
import dev.outpost.model.Subscription;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.model.net.OutboundRefusedException;
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
  void aPerStorySubscriptionKeepsTheChoiceAndSaysSo() {
    final Subscription perStory = Subscriptions.kafka("digest", FILTER.withPerStory(true), "team.alerts", Instant.EPOCH);
    final Subscription every = Subscriptions.kafka("all", FILTER, "team.alerts", Instant.EPOCH);

    assertThat(perStory.getFilter().getPerStory()).isTrue();
    assertThat(Subscriptions.filterOf(perStory)).isEqualTo(FILTER.withPerStory(true));
    assertThat(Subscriptions.describe(perStory)).contains("keywords=missile  per-story  enabled");
    assertThat(Subscriptions.toJson(perStory).get("filter").get("perStory").asBoolean()).isTrue();
    assertThat(every.getFilter().getPerStory()).isFalse();
    assertThat(Subscriptions.filterOf(every).perStory()).isFalse();
    assertThat(Subscriptions.describe(every)).doesNotContain("per-story");
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
  void aNewSecretIsLongEnoughForAWebhookAndNeverTheSameTwice() {
    final String one = Subscriptions.newSecret();
    final String two = Subscriptions.newSecret();

    assertThat(one).hasSize(48).matches("[0-9a-f]+").isNotEqualTo(two);
    assertThat(Subscriptions.webhook("a", FILTER, "https://h.example/", one, Instant.EPOCH).getId()).isEqualTo("a");
  }

  @Test
  void aWebhookAtAnInternalAddressIsRefusedUnlessTheAllowListNamesIt() throws Exception {
    final Subscription loopback = Subscriptions.webhook("a", FILTER, "http://127.0.0.1:9/hook", SECRET, Instant.EPOCH);
    final Subscription metadata = Subscriptions.webhook("a", FILTER, "http://169.254.169.254/latest/", SECRET, Instant.EPOCH);

    assertThatThrownBy(() -> Subscriptions.checkAddress(loopback, OutboundPolicy.DEFAULT))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("127.0.0.1, a loopback address");
    assertThatThrownBy(() -> Subscriptions.checkAddress(metadata, OutboundPolicy.allowing("127.0.0.1")))
        .isInstanceOf(OutboundRefusedException.class)
        .hasMessageContaining("169.254.169.254, a link-local address");
    assertThat(Subscriptions.checkAddress(loopback, OutboundPolicy.allowing("127.0.0.0/8"))).isTrue();
  }

  @Test
  void aWebhookWhoseHostDoesNotResolveHereIsNotRefusedAndATopicHasNoAddress() throws Exception {
    // .invalid never resolves (RFC 6761): the dispatcher checks the address where it runs.
    final Subscription unresolved = Subscriptions.webhook("a", FILTER, "https://hooks.invalid/x", SECRET, Instant.EPOCH);

    assertThat(Subscriptions.checkAddress(unresolved, OutboundPolicy.DEFAULT)).isFalse();
    assertThat(Subscriptions.checkAddress(Subscriptions.kafka("k", FILTER, "team.alerts", Instant.EPOCH), OutboundPolicy.DEFAULT)).isTrue();
  }

  @Test
  void changingASubscriptionThatIsNotThereNamesTheOnesThatAre() {
    assertThatThrownBy(() -> Subscriptions.requireExisting("nobody", List.of("ops", "team")))
        .isInstanceOf(java.util.NoSuchElementException.class)
        .hasMessage("No subscription 'nobody'; there are: ops, team");
    assertThatThrownBy(() -> Subscriptions.requireExisting("nobody", List.of())).hasMessage("No subscription 'nobody'; there are: none");
    Subscriptions.requireExisting("ops", List.of("ops", "team"));
  }

  @Test
  void aKafkaSubscriptionNamesItsTopic() {
    assertThat(Subscriptions.targetOf(Subscriptions.kafka("k", AlertFilter.ALL, "team.alerts", Instant.EPOCH)))
        .isEqualTo("topic team.alerts");
  }
}
