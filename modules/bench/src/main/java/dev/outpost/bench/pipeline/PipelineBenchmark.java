package dev.outpost.bench.pipeline;

import dev.outpost.classifier.Classifier;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.LogEnd;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Alert;
import dev.outpost.model.CleanupPolicy;
import dev.outpost.model.NewsItem;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.TopicSerdes;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineConfig;
import dev.outpost.topology.PipelineMetrics;
import dev.outpost.topology.PipelineSerdes;
import dev.outpost.topology.StreamsSettings;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The end-to-end benchmark behind {@code outpost bench}, on the embedded broker and registry.
 * It runs in the {@code outpost} command, whose classpath holds the pipeline and the embedded
 * broker; {@code benchmarks.jar} leaves them out and runs the JMH benchmarks only.
 *
 * <ol>
 *   <li>Publishes N realistic items (1–3 KB, assembled from the bundled real news excerpts).
 *   <li>Baseline: a passthrough topology with the same Avro serdes and guarantee reads them all;
 *       what the broker and the serdes allow.
 *   <li>The Outpost topology reads the same items; at least once, without its dedupe step, which
 *       only exactly-once can run without risking a lost item.
 *   <li>Latency: with the Outpost topology caught up, items are published at a fixed rate and
 *       each alert's publish-to-alert time is measured at a read-committed subscriber.
 * </ol>
 *
 * <p>Each throughput is items over the time from the application running to its committed input
 * offsets reaching the end of the input topic: its {@link ConsumerGroupLag} against the high
 * watermark reaching 0. Both run in the same process on the same machine,
 * one after the other, so their ratio says more than either figure on a shared, noisy machine.
 */
public final class PipelineBenchmark {

  /** The header the latency publisher stamps with {@link System#nanoTime()}. */
  static final String SENT_HEADER = "outpost.bench.sent-nanos";

  private static final TopicSpec<String, NewsItem> PASSTHROUGH =
      new TopicSpec<>("bench.passthrough.v1", String.class, NewsItem.class, 6, CleanupPolicy.DELETE);

  /**
   * @param items items for the throughput runs
   * @param rate items per second during the latency run
   * @param latencyRun how long to publish during the latency run
   * @param streamThreads stream threads of each topology
   * @param guarantee the processing guarantee of both topologies
   * @param dataDir where the broker and the state stores keep their data
   */
  public record Options(
      int items, int rate, Duration latencyRun, int streamThreads, String guarantee, Path dataDir) {}

  /**
   * @param baselinePerSecond items per second through the passthrough topology
   * @param pipelinePerSecond items per second through the Outpost topology
   * @param latencySamples alerts timed
   * @param p50 median publish-to-alert time
   * @param p99 99th percentile
   * @param max the slowest
   */
  public record Result(
      double baselinePerSecond,
      double pipelinePerSecond,
      int latencySamples,
      Duration p50,
      Duration p99,
      Duration max) {

    /** @return pipeline over baseline throughput */
    public double ratio() {
      return pipelinePerSecond / baselinePerSecond;
    }
  }

  private final Options options;
  private final List<String[]> excerpts;
  private final PrintWriter log;

  /**
   * @param options what to run
   * @param excerpts real news excerpts as (title, body) pairs, assembled into the items
   * @param log where progress goes
   */
  public PipelineBenchmark(final Options options, final List<String[]> excerpts, final PrintWriter log) {
    this.options = options;
    this.excerpts = List.copyOf(excerpts);
    this.log = log;
  }

  /**
   * @return the figures
   * @throws InterruptedException if interrupted while waiting
   */
  public Result run() throws InterruptedException {
    progress("Starting the embedded broker and registry in %s ...", options.dataDir());
    try (EmbeddedStack stack =
            EmbeddedStack.builder().dataDir(options.dataDir()).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        Admin admin = Admin.create(stack.kafkaProperties())) {
      stack.cluster().createTopics(List.of(PASSTHROUGH), (short) 1);
      publishBacklog(stack, registry);

      final StreamsSettings base =
          new StreamsSettings(
              "bench",
              stack.bootstrapServers(),
              options.guarantee(),
              1,
              options.streamThreads(),
              options.dataDir().resolve("state"),
              Map.of());
      final double baseline = runBaseline(registry, admin, base.withApplicationId("bench-baseline"));
      progress("Baseline (passthrough, same serdes and guarantee): %,.0f items/s", baseline);

      final PipelineMetrics metrics = new PipelineMetrics("bench");
      final PipelineConfig outpostConfig =
          "at_least_once".equals(options.guarantee())
              ? PipelineConfig.defaults().withDedupeWindow(Duration.ZERO)
              : PipelineConfig.defaults();
      final Pipeline pipeline =
          Pipeline.start(
              outpostConfig,
              base.withApplicationId("bench-outpost"),
              Classifier.withDefaultRules(),
              PipelineSerdes.using(registry, Map.of()),
              metrics,
              Clock.systemUTC());
      try {
        final double outpost = timeUntilCaughtUp(pipeline.streams(), admin, "bench-outpost");
        progress("Outpost topology: %,.0f items/s", outpost);
        final long[] latencies = measureLatency(stack, registry);
        Arrays.sort(latencies);
        return new Result(
            baseline,
            outpost,
            latencies.length,
            Duration.ofNanos(percentile(latencies, 0.50)),
            Duration.ofNanos(percentile(latencies, 0.99)),
            Duration.ofNanos(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
      } finally {
        pipeline.close(Duration.ofSeconds(30));
      }
    }
  }

  /** The item with this number: a real title over 1–3 KB of real excerpts. */
  private NewsItem item(final String prefix, final int n) {
    return BenchmarkItems.item(excerpts, prefix, n, Instant.now());
  }

  private void publishBacklog(final EmbeddedStack stack, final SchemaRegistryClient registry) {
    progress("Publishing %,d items of 1-3 KB to %s ...", options.items(), Topics.NEWS_ITEMS.name());
    try (KafkaProducer<String, NewsItem> producer = producer(stack, registry)) {
      long lastReport = System.nanoTime();
      for (int i = 0; i < options.items(); i++) {
        final NewsItem item = item("bench", i);
        producer.send(new ProducerRecord<>(Topics.NEWS_ITEMS.name(), item.getId(), item));
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
          progress("  %,d of %,d published", i + 1, options.items());
          lastReport = System.nanoTime();
        }
      }
      producer.flush();
    }
  }

  private double runBaseline(
      final SchemaRegistryClient registry,
      final Admin admin,
      final StreamsSettings settings) throws InterruptedException {
    final StreamsBuilder builder = new StreamsBuilder();
    builder
        .stream(
            Topics.NEWS_ITEMS.name(),
            Consumed.with(TopicSerdes.keySerde(Topics.NEWS_ITEMS, registry), TopicSerdes.valueSerde(Topics.NEWS_ITEMS, registry)))
        .to(PASSTHROUGH.name(), Produced.with(TopicSerdes.keySerde(PASSTHROUGH, registry), TopicSerdes.valueSerde(PASSTHROUGH, registry)));
    final Map<String, Object> props = new HashMap<>();
    settings.toProperties(PipelineConfig.defaults(), new PipelineMetrics("bench-baseline"))
        .forEach((k, v) -> props.put((String) k, v));
    try (KafkaStreams streams = new KafkaStreams(builder.build(), new org.apache.kafka.streams.StreamsConfig(props))) {
      streams.start();
      return timeUntilCaughtUp(streams, admin, settings.applicationId());
    }
  }

  /** Items per second from the application running to its committed offsets reaching the end. */
  private double timeUntilCaughtUp(final KafkaStreams streams, final Admin admin, final String group)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(group + " did not start: " + streams.state());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    final long start = System.nanoTime();
    final List<TopicPartition> input = new ArrayList<>();
    for (int p = 0; p < Topics.NEWS_ITEMS.partitions(); p++) {
      input.add(new TopicPartition(Topics.NEWS_ITEMS.name(), p));
    }
    long total = -1;
    long lastReport = start;
    while (true) {
      // The backlog is published without transactions, so the high watermark and the last stable
      // offset are the same offset; the high watermark is said here because "caught up" means
      // "committed past every record published", whatever a later change to the publisher does.
      final ConsumerGroupLag lag = ConsumerGroupLag.read(admin, group, input, LogEnd.HIGH_WATERMARK, Duration.ofSeconds(30));
      long left = 0;
      for (final ConsumerGroupLag.Partition p : lag.partitions()) {
        // A partition the application has not committed yet is behind by all of it.
        left += p.lag().orElse(p.end());
      }
      if (total < 0) {
        total = lag.partitions().stream().mapToLong(ConsumerGroupLag.Partition::end).sum();
      }
      if (left == 0) {
        break;
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
        progress("  %s: %,d of %,d", group, total - left, total);
        lastReport = System.nanoTime();
      }
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(group + " did not catch up: " + streams.state());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    final double seconds = (System.nanoTime() - start) / 1e9;
    return options.items() / seconds;
  }

  /** Publishes at the fixed rate and times each alert from publish to a read-committed subscriber. */
  private long[] measureLatency(final EmbeddedStack stack, final SchemaRegistryClient registry) {
    final long count = (long) options.rate() * options.latencyRun().toSeconds();
    progress(
        "Latency: publishing %,d items at %,d items/s and timing each alert ...", count, options.rate());
    final List<Long> samples = new ArrayList<>();
    // Every alert topic has the same key and value types; the consumer is assigned all of them.
    try (KafkaConsumer<String, Alert> alerts =
            TopicSerdes.consumer(Topics.ALERTS_MILITARY_EXERCISE, stack.kafkaProperties(), IsolationLevel.READ_COMMITTED, registry);
        KafkaProducer<String, NewsItem> producer = producer(stack, registry)) {
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final dev.outpost.model.Category c : dev.outpost.model.Category.values()) {
        final String topic = Topics.alertTopicFor(c).name();
        for (final PartitionInfo p : alerts.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      alerts.assign(partitions);
      alerts.seekToEnd(partitions);
      partitions.forEach(alerts::position);

      final long interval = TimeUnit.SECONDS.toNanos(1) / options.rate();
      final long begin = System.nanoTime();
      long next = begin;
      for (int i = 0; i < count; i++) {
        final NewsItem item = item("latency", i);
        final ProducerRecord<String, NewsItem> record = new ProducerRecord<>(Topics.NEWS_ITEMS.name(), item.getId(), item);
        record.headers().add(SENT_HEADER, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
        producer.send(record);
        next += interval;
        // Read alerts between sends, so they are timed when they arrive, not at the end.
        while (System.nanoTime() < next) {
          drain(alerts, samples, Duration.ZERO);
          LockSupport.parkNanos(Math.min(next - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1)));
        }
      }
      producer.flush();
      final long quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      int last = -1;
      while (System.nanoTime() < quietUntil && samples.size() != last) {
        last = samples.size();
        drain(alerts, samples, Duration.ofSeconds(2));
      }
    }
    return samples.stream().mapToLong(Long::longValue).toArray();
  }

  private static void drain(final KafkaConsumer<String, Alert> alerts, final List<Long> samples, final Duration wait) {
    for (final ConsumerRecord<String, Alert> r : alerts.poll(wait)) {
      final long now = System.nanoTime();
      final Header sent = r.headers().lastHeader(SENT_HEADER);
      if (sent != null) {
        samples.add(now - ByteBuffer.wrap(sent.value()).getLong());
      }
    }
  }

  /** A publisher of news items that batches, as a feed publishing a backlog would. */
  private static KafkaProducer<String, NewsItem> producer(final EmbeddedStack stack, final SchemaRegistryClient registry) {
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return TopicSerdes.producer(Topics.NEWS_ITEMS, props, registry);
  }

  private static long percentile(final long[] sorted, final double q) {
    if (sorted.length == 0) {
      return 0;
    }
    final int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private void progress(final String format, final Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
