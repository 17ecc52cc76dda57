package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.outpost.clients.TopicReader;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.feed.FeedWatcher;
import dev.outpost.ingest.feed.FeedWatcher.Outcome;
import dev.outpost.model.Topics;
import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching a feed served on 127.0.0.1 that changes, answers 304, fails and returns broken XML;
 * a second watcher restored from Kafka publishes nothing twice, also for a feed of 12,000 items.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedWatchIT {

  /** The feed is on 127.0.0.1, an internal address: allowed, as an operator would. */
  private static final OutboundPolicy LOOPBACK = OutboundPolicy.allowing("127.0.0.1");

  @TempDir Path dir;

  private volatile String mode = "v1";
  private final List<String> conditional = new CopyOnWriteArrayList<>();

  private static String feed(final String... guids) {
    final StringBuilder items = new StringBuilder();
    for (final String g : guids) {
      items.append("<item><title>Item ").append(g).append("</title><guid>").append(g)
          .append("</guid><description>Text of ").append(g).append(".</description></item>");
    }
    return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Watched</title>" + items + "</channel></rss>";
  }

  @Test
  void newItemsOnceThroughChangesNotModifiedErrorsAndBrokenXmlAndAcrossRestarts() throws Exception {
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/feed",
        exchange -> {
          final String etag = switch (mode) {
            case "v1" -> "\"v1\"";
            case "v2" -> "\"v2\"";
            default -> "\"other\"";
          };
          final String asked = exchange.getRequestHeaders().getFirst("If-None-Match");
          conditional.add(asked == null ? "-" : asked);
          if (etag.equals(asked)) {
            exchange.sendResponseHeaders(304, -1);
          } else if (mode.equals("error")) {
            exchange.sendResponseHeaders(500, -1);
          } else {
            final String body =
                switch (mode) {
                  case "v1" -> feed("a", "b");
                  case "broken" -> "<rss version=\"2.0\"><channel><item><title>cut";
                  default -> feed("a", "b", "c");
                };
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("ETag", etag);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
          exchange.close();
        });
    server.start();
    final String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/feed";
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      stack.cluster().createTopics(List.of(Topics.WATCH_STATE), (short) 1);
      final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      final Duration interval = Duration.ofMinutes(5);
      try (FeedWatcher watcher =
          new FeedWatcher(stack.kafkaProperties(), registry, List.of(url), interval, Clock.systemUTC(), meters, LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        assertThat(watcher.poll(url)).isEqualTo(Outcome.PUBLISHED);
        assertThat(watcher.poll(url)).as("304 Not Modified").isEqualTo(Outcome.UNCHANGED);
        assertThat(conditional).containsExactly("-", "\"v1\"");
        mode = "v2";
        assertThat(watcher.poll(url)).isEqualTo(Outcome.PUBLISHED);
        assertThat(meters.scrape()).contains("outpost_feed_up{feed=\"" + url + "\"} 1.0");

        mode = "error";
        final long before = System.currentTimeMillis();
        assertThat(watcher.poll(url)).isEqualTo(Outcome.FAILED);
        assertThat(watcher.failures(url)).isEqualTo(1);
        assertThat(watcher.nextPollMs(url) - before).as("backed off beyond the interval").isGreaterThanOrEqualTo(interval.toMillis() * 2 - 1_000);
        mode = "broken";
        assertThat(watcher.poll(url)).isEqualTo(Outcome.FAILED);
        assertThat(watcher.failures(url)).isEqualTo(2);
        assertThat(meters.scrape())
            .contains("outpost_feed_up{feed=\"" + url + "\"} 0.0")
            .contains("outpost_feed_consecutive_failures{feed=\"" + url + "\"} 2.0");
      }

      mode = "v2-again";
      try (FeedWatcher restarted =
          new FeedWatcher(stack.kafkaProperties(), registry, List.of(url), interval, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        assertThat(restarted.poll(url)).as("everything already published").isEqualTo(Outcome.UNCHANGED);
      }
      assertThat(publishedIds(stack)).hasSize(3);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aChangedFeedOfTwelveThousandItemsPublishesOnlyItsNewItemsOnceAcrossARestart() throws Exception {
    // Guids of about a hundred bytes, as long article URLs are.
    final List<String> first = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      first.add(String.format(Locale.ROOT, "https://news.example.org/world/2026/12/04/a-long-headline-turned-into-a-slug-for-the-article-%05d", i));
    }
    // The next version: 500 items fell off the end, 500 new ones came in at the top.
    final List<String> second = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      second.add(String.format(Locale.ROOT, "https://news.example.org/world/2026/12/05/a-newer-headline-turned-into-a-slug-for-the-article-%05d", i));
    }
    second.addAll(first.subList(0, 11_500));
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/big",
        exchange -> {
          // No validators: every poll gets the whole feed, as from a server that sends none.
          final byte[] bytes = feed((mode.equals("v1") ? first : second).toArray(String[]::new)).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    final String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/big";
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      stack.cluster().createTopics(List.of(Topics.WATCH_STATE), (short) 1);
      final Duration interval = Duration.ofMinutes(5);
      try (FeedWatcher watcher = new FeedWatcher(stack.kafkaProperties(), registry, List.of(url), interval, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        assertThat(watcher.poll(url)).isEqualTo(Outcome.PUBLISHED);
        assertThat(watcher.poll(url)).as("the same 12,000 items again").isEqualTo(Outcome.UNCHANGED);
      }
      mode = "v2";
      final int published;
      try (FeedWatcher restarted = new FeedWatcher(stack.kafkaProperties(), registry, List.of(url), interval, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        published = restarted.pollDue();
        assertThat(restarted.failures(url)).isZero();
      }
      try (FeedWatcher again = new FeedWatcher(stack.kafkaProperties(), registry, List.of(url), interval, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        assertThat(again.poll(url)).as("after a second restart, nothing new").isEqualTo(Outcome.UNCHANGED);
      }

      assertThat(published).as("only the 500 new items").isEqualTo(500);
      final List<String> ids = publishedIds(stack);
      assertThat(ids).doesNotHaveDuplicates().hasSize(12_500);
      assertThat(TopicReader.readState(stack.kafkaProperties(), Topics.WATCH_STATE.name()).get(url))
          .as("the state of 12,000 ids and 500 dropped ones, in one record")
          .hasSizeLessThan(1_048_576);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aFeedOverTheInputLimitFailsItsPollAndAnItemTooLargeToPublishIsLeftOutAlone() throws Exception {
    final String many = feed(java.util.stream.IntStream.range(0, 12_000).mapToObj(i -> "many-" + i).toArray(String[]::new));
    final String oneLarge =
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Watched</title>"
            + "<item><title>Small</title><guid>small</guid><description>Short.</description></item>"
            + "<item><title>Large</title><guid>large</guid><description>" + "word ".repeat(200_000) + "</description></item>"
            + "</channel></rss>";
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    for (final Map.Entry<String, String> served : Map.of("/many", many, "/one-large", oneLarge).entrySet()) {
      server.createContext(
          served.getKey(),
          exchange -> {
            final byte[] bytes = served.getValue().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
    }
    server.start();
    final String base = "http://127.0.0.1:" + server.getAddress().getPort();
    assertThat(many.length()).isGreaterThan(1 << 20);
    assertThat(oneLarge.length()).as("under the input limit, while its large item is over what publish allows").isLessThan(1 << 20);
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      stack.cluster().createTopics(List.of(Topics.WATCH_STATE), (short) 1);
      try (FeedWatcher watcher =
          new FeedWatcher(
              stack.kafkaProperties(), registry, List.of(base + "/many", base + "/one-large"), Duration.ofMinutes(5),
              Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), LOOPBACK, new InputLimit(1 << 20), InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        assertThat(watcher.poll(base + "/many")).as("a body over the limit").isEqualTo(Outcome.FAILED);
        assertThat(watcher.failures(base + "/many")).isEqualTo(1);

        assertThat(watcher.poll(base + "/one-large")).isEqualTo(Outcome.PUBLISHED);
        assertThat(watcher.poll(base + "/one-large")).as("the large item is not tried again").isEqualTo(Outcome.UNCHANGED);
      }
      assertThat(publishedIds(stack)).hasSize(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void credentialsAndTokensInAFeedUrlReachNoItemLogLineOrMetric() throws Exception {
    final List<String> accepted = new CopyOnWriteArrayList<>();
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/private",
        exchange -> {
          accepted.add(String.valueOf(exchange.getRequestHeaders().getFirst("Accept")));
          if ("\"legacy\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.sendResponseHeaders(304, -1);
            exchange.close();
            return;
          }
          // No channel title: the items' source defaults to the feed's URL.
          final String body =
              mode.equals("broken")
                  ? "<rss version=\"2.0\"><channel><item><title>cut"
                  : "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>"
                      + "<item><title>Private item</title><guid>private-1</guid><description>Text.</description></item></channel></rss>";
          final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    final String base = "http://reader:pa55word@127.0.0.1:" + server.getAddress().getPort() + "/private";
    final String url = base + "?token=s3cr3t";
    final String twin = base + "?token=0th3r";
    final String shown = "http://***@127.0.0.1:" + server.getAddress().getPort() + "/private?***";
    // Refused by the policy, which allows 127.0.0.1 only.
    final String internal = "http://reader:pa55word@127.0.0.2:9/feed?token=s3cr3t";
    final java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      stack.cluster().createTopics(List.of(Topics.WATCH_STATE), (short) 1);
      // The twin's state as watchers wrote it before: keyed by its whole URL.
      try (org.apache.kafka.clients.producer.KafkaProducer<String, String> old =
          new org.apache.kafka.clients.producer.KafkaProducer<>(
              stack.kafkaProperties(), new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
        old.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.WATCH_STATE.name(), twin, "{\"etag\":\"\\\"legacy\\\"\"}")).get();
      }
      final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      final java.io.PrintStream stderr = System.err;
      try (FeedWatcher watcher =
          new FeedWatcher(
              stack.kafkaProperties(), registry, List.of(url, twin, internal), Duration.ofMinutes(5), Clock.systemUTC(), meters, LOOPBACK, InputLimit.DEFAULT, InputOptions.itemSizeLimit(stack.kafkaProperties()))) {
        // The log goes to standard error; kept here as well, to be searched.
        System.setErr(new java.io.PrintStream(new Tee(stderr, logged), true, StandardCharsets.UTF_8));
        assertThat(watcher.poll(url)).isEqualTo(Outcome.PUBLISHED);
        assertThat(watcher.poll(twin)).as("the old state's ETag was taken over: 304").isEqualTo(Outcome.UNCHANGED);
        mode = "broken";
        assertThat(watcher.poll(url)).isEqualTo(Outcome.FAILED);
        assertThat(watcher.poll(internal)).isEqualTo(Outcome.FAILED);
      } finally {
        System.setErr(stderr);
      }
      final String log = logged.toString(StandardCharsets.UTF_8);
      // Fetched as publish fetches: the same headers, the same refusal naming the flag.
      assertThat(accepted).first().asString().startsWith("application/rss+xml");
      assertThat(log).contains("Refused to connect to http://***@127.0.0.2:9/feed?***").contains("(--outbound-allow, outbound.allow)");
      assertThat(log).contains("Published 1 new item(s) from " + shown).contains("Feed " + shown + " failed").contains(shown + ":1:");
      assertThat(meters.scrape())
          .as("two feeds alike once redacted keep apart")
          .contains("outpost_feed_up{feed=\"" + shown + "\"} 0.0")
          .contains("outpost_feed_up{feed=\"" + shown + " #2\"} 1.0");
      final Map<String, String> state = TopicReader.readState(stack.kafkaProperties(), Topics.WATCH_STATE.name());
      assertThat(state.keySet()).hasSize(2).allSatisfy(key -> assertThat(key).startsWith(shown + " sha256:"));
      final List<String> values = publishedValues(stack);
      assertThat(values).singleElement().asString().contains("Private item").contains(shown);
      for (final String exposed : List.of(log, meters.scrape(), values.get(0), state.toString())) {
        assertThat(exposed).doesNotContain("pa55word", "s3cr3t", "0th3r");
      }
    } finally {
      server.stop(0);
    }
  }

  /** The values of news.items.v1, as raw text: Avro keeps strings as their UTF-8 bytes. */
  private static List<String> publishedValues(final EmbeddedStack stack) {
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    final List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(Topics.NEWS_ITEMS.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
      }
    }
    return values;
  }

  private static List<String> publishedIds(final EmbeddedStack stack) {
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    final List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = new ArrayList<>();
      consumer.partitionsFor(Topics.NEWS_ITEMS.name()).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }

  /** Writes to both streams. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    Tee(final java.io.OutputStream first, final java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public synchronized void write(final int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public synchronized void write(final byte[] b, final int off, final int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      first.flush();
      second.flush();
    }
  }
}
