package dev.outpost.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The bound an item's record must fit, from the limits the caller read. */
class ItemSizeLimitTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  /**
   * @param answers what describing each topic's settings yields, by topic name: a limit, or the
   *     failure its future fails with
   * @return an admin client that answers describeConfigs alone
   */
  private static Admin describing(final Map<String, Object> answers) {
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(),
            new Class<?>[] {Admin.class},
            (proxy, method, args) -> {
              if (!method.getName().equals("describeConfigs")) {
                throw new UnsupportedOperationException(method.getName());
              }
              final Map<ConfigResource, KafkaFuture<Config>> futures = new LinkedHashMap<>();
              for (final Object o : (Collection<?>) args[0]) {
                final ConfigResource resource = (ConfigResource) o;
                final KafkaFutureImpl<Config> future = new KafkaFutureImpl<>();
                final Object answer = answers.get(resource.name());
                if (answer instanceof Integer limit) {
                  future.complete(new Config(List.of(new ConfigEntry("max.message.bytes", limit.toString()))));
                } else if (answer instanceof Throwable failure) {
                  future.completeExceptionally(failure);
                }
                futures.put(resource, future);
              }
              return new DescribeConfigsResult(futures) {};
            });
  }

  @Test
  void theTopicsLimitsAreReadFromTheClusterAndOneThatCannotBeDescribedIsLeftOut() throws Exception {
    final Map<String, Object> answers = new LinkedHashMap<>();
    answers.put(Topics.NEWS_ITEMS.name(), 400_000);
    answers.put(Topics.NEWS_CLASSIFIED.name(), new TopicAuthorizationException("not allowed"));

    final ItemSizeLimit limit = ItemSizeLimit.read(describing(answers), 1_048_576, Duration.ofSeconds(1));

    assertThat(limit).isEqualTo(ItemSizeLimit.of(1_048_576, Map.of(Topics.NEWS_ITEMS.name(), 400_000)));
  }

  @Test
  void aClusterThatDoesNotAnswerInTimeIsTheCallersToName() {
    // No answer for either topic: the futures never complete.
    assertThatThrownBy(() -> ItemSizeLimit.read(describing(Map.of()), 1_048_576, Duration.ofMillis(1)))
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void theSmallestLimitLessThePipelinesReserveIsTheBoundAndEveryLimitIsNamed() {
    final Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put("news.items.v1", 2_000_000);
    topics.put("news.classified.v1", 500_000);

    final ItemSizeLimit limit = ItemSizeLimit.of(1_048_576, topics);

    assertThat(limit.maxBytes()).isEqualTo(500_000 - ItemSizeLimit.PIPELINE_RESERVE);
    assertThat(limit.explanation())
        .isEqualTo(
            "the smallest of max.request.size 1048576, max.message.bytes 2000000 of news.items.v1,"
                + " max.message.bytes 500000 of news.classified.v1, less 65536 bytes kept for what the pipeline adds");
  }

  @Test
  void withoutTheTopicsSettingsTheProducersAloneCountsAndTheBoundIsNeverBelowOneByte() {
    assertThat(ItemSizeLimit.of(1_048_576, Map.of()).maxBytes()).isEqualTo(1_048_576 - ItemSizeLimit.PIPELINE_RESERVE);
    assertThat(ItemSizeLimit.of(1_000, Map.of()).maxBytes()).isEqualTo(1);
  }

  @Test
  void anItemOverTheBoundIsRefusedNamingItsSizeAndWhereTheBoundComesFrom() {
    final NewsItem item =
        NewsItem.newBuilder().setId("big").setSource("s").setTitle("t").setBody("x".repeat(1_000)).setIngestedAt(NOW).build();
    final int bytes = ItemSizeLimit.recordBytes(item);

    assertThat(new ItemSizeLimit(bytes, "the test's bound").refusal(item)).isNull();
    assertThat(new ItemSizeLimit(bytes - 1, "the test's bound").refusal(item))
        .isEqualTo("item 'big' is " + bytes + " bytes as a record, over the limit of " + (bytes - 1) + " bytes (the test's bound)");
  }
}
