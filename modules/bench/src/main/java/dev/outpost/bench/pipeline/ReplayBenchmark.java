package dev.outpost.bench.pipeline;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.ingest.replay.FileSource;
import dev.outpost.ingest.replay.ReadAhead;
import dev.outpost.ingest.replay.ReplayProgress;
import dev.outpost.ingest.replay.ReplaySpeed;
import dev.outpost.ingest.replay.ReplayState;
import dev.outpost.ingest.replay.Replayer;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How fast a replay moves an archive into a namespace, sending only and then with the namespace's
 * pipeline classifying it into the namespace's alerts as it arrives, against how fast one producer
 * can publish the same items to the same broker, measured in the same run: raw produce before and
 * after the replays, so a machine that slows down during the run shows in the baseline too.
 */
public final class ReplayBenchmark {

  private static final TopicSpec<String, NewsItem> RAW =
      new TopicSpec<>("bench.raw.v1", String.class, NewsItem.class, Topics.NEWS_ITEMS.partitions(), CleanupPolicy.DELETE);
  private static final String NAMESPACE = "bench";
  /** The namespace the end-to-end replay goes to, classified as it arrives. */
  private static final String CLASSIFIED = "bench-classified";
  private static final Instant FIRST_DAY = Instant.parse("2025-09-01T00:00:00Z");
  private static final int DAYS = 30;

  /**
   * @param items items in the archive
   * @param dataDir where the broker and the archive go
   */
  public record Options(int items, Path dataDir) {}

  /**
   * @param produceBefore items per second one producer published before the replay
   * @param produceAfter the same, after
   * @param replayPerSecond items per second the replay sent, from opening the archive to its last
   *     commit
   * @param classifiedPerSecond items per second of the end-to-end replay: from opening the
   *     archive, the namespace's pipeline running, to the pipeline having classified the last item
   *     into the namespace's alerts and passed them through its story step
   * @param archiveFiles daily files in the archive
   * @param archiveBytes their size
   */
  public record Result(
      double produceBefore, double produceAfter, double replayPerSecond, double classifiedPerSecond, int archiveFiles, long archiveBytes) {

    /** @return the mean raw produce rate, before and after the replays */
    public double producePerSecond() {
      return (produceBefore + produceAfter) / 2;
    }

    /** @return the replay's rate over the mean raw produce rate */
    public double ratio() {
      return replayPerSecond / producePerSecond();
    }

    /** @return the end-to-end replay's rate, classification included, over the mean raw produce rate */
    public double classifiedRatio() {
      return classifiedPerSecond / producePerSecond();
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
  public ReplayBenchmark(final Options options, final List<String[]> excerpts, final PrintWriter log) {
    this.options = options;
    this.excerpts = List.copyOf(excerpts);
    this.log = log;
  }

  /**
   * @return the figures
   * @throws InterruptedException if interrupted
   */
  public Result run() throws InterruptedException {
    final Path archive = options.dataDir().resolve("archive");
    final Path days = archive.resolve(Topics.NEWS_ITEMS.name());
    final long bytes = writeArchive(days);
    progress("Starting the embedded broker and registry in %s ...", options.dataDir());
    try (EmbeddedStack stack =
            EmbeddedStack.builder().dataDir(options.dataDir().resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.pipelineIn(NAMESPACE));
      topics.addAll(Topics.pipelineIn(CLASSIFIED));
      topics.add(RAW);
      topics.add(Topics.REPLAY_STATE);
      stack.cluster().createTopics(topics, (short) 1);

      // Untimed: the JIT compiles the serializer and the producer's paths first, for both runs.
      produce(stack, registry, Math.max(1_000, options.items() / 10), "warm-up, not timed, before");
      final double before = produce(stack, registry, options.items(), "before");
      progress("Raw produce: %,.0f items/s", before);
      final double replay = replay(stack, registry, archive);
      progress("Replay: %,.0f items/s", replay);
      final double classified = replayClassified(stack, registry, archive);
      progress("Replay with classification: %,.0f items/s", classified);
      final double after = produce(stack, registry, options.items(), "after");
      progress("Raw produce again: %,.0f items/s", after);
      return new Result(before, after, replay, classified, DAYS, bytes);
    }
  }

  /** The item with this number, published in day order across {@value #DAYS} days. */
  private NewsItem item(final int n) {
    final long spacingMs = Duration.ofDays(DAYS).toMillis() / options.items();
    return BenchmarkItems.item(excerpts, "replay", n, FIRST_DAY.plusMillis(n * spacingMs));
  }

  private long writeArchive(final Path days) {
    progress("Writing an archive of %,d items of 1-3 KB, %d daily Avro files, to %s ...", options.items(), DAYS, days);
    try {
      Files.createDirectories(days);
      LocalDate open = null;
      DataFileWriter<NewsItem> writer = null;
      long lastReport = System.nanoTime();
      try {
        for (int n = 0; n < options.items(); n++) {
          final NewsItem item = item(n);
          final LocalDate day = LocalDate.ofInstant(item.getPublishedAt(), ZoneOffset.UTC);
          if (!day.equals(open)) {
            if (writer != null) {
              writer.close();
            }
            // As 'outpost archive' writes them: schema embedded, deflate.
            writer = new DataFileWriter<>(new SpecificDatumWriter<>(NewsItem.class)).setCodec(CodecFactory.deflateCodec(6));
            writer.create(NewsItem.getClassSchema(), days.resolve(day + ".avro").toFile());
            open = day;
          }
          writer.append(item);
          if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
            progress("  %,d of %,d written", n + 1, options.items());
            lastReport = System.nanoTime();
          }
        }
      } finally {
        if (writer != null) {
          writer.close();
        }
      }
      try (Stream<Path> files = Files.list(days)) {
        long total = 0;
        for (final Path f : files.toList()) {
          total += Files.size(f);
        }
        return total;
      }
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot write the benchmark archive in " + days, e);
    }
  }

  /** Items per second one producer publishes, Avro-serialized, as the replay's producer is set up but without transactions. */
  private double produce(final EmbeddedStack stack, final SchemaRegistryClient registry, final int items, final String run) {
    progress("Raw produce (%s the replay): %,d items to %s ...", run, items, RAW.name());
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, NewsItem> producer = TopicSerdes.producer(RAW, props, registry)) {
      final long start = System.nanoTime();
      long lastReport = start;
      for (int n = 0; n < items; n++) {
        final NewsItem item = item(n);
        producer.send(new ProducerRecord<>(RAW.name(), null, item.getPublishedAt().toEpochMilli(), item.getId(), item));
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
          progress("  %,d of %,d sent", n + 1, items);
          lastReport = System.nanoTime();
        }
      }
      producer.flush();
      return items / ((System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Items per second from opening the archive, with the namespace's pipeline running, to the
   * pipeline's committed offsets reaching the end of the namespace's input and of its story step's
   * repartition topic, with every alert it made through the story step: the archive replayed into
   * the namespace's alerts.
   */
  private double replayClassified(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive)
      throws InterruptedException {
    // Untimed: the JIT compiles the classifier on other items first, as the raw produce's warm-up
    // does for the serializer; the replay's own paths were compiled by the send-only replay.
    final Classifier classifier = Classifier.withDefaultRules();
    final int warmUp = Math.max(1_000, Math.min(50_000, options.items() / 2));
    progress("Warm-up, not timed: classifying %,d other items ...", warmUp);
    long labels = 0;
    for (int n = 0; n < warmUp; n++) {
      final NewsItem item = BenchmarkItems.item(excerpts, "warm-up", n, FIRST_DAY);
      labels += classifier.classify(item.getTitle(), item.getBody(), item.getLanguage()).labels().size();
    }
    progress("  %,d labels", labels);
    final StreamsSettings settings =
        new StreamsSettings(
                "bench-replay", stack.bootstrapServers(), "exactly_once_v2", 1, 1, options.dataDir().resolve("state"), Map.of())
            .inNamespace(CLASSIFIED);
    final String app = settings.applicationId();
    final PipelineMetrics metrics = new PipelineMetrics(app);
    try (Admin admin = Admin.create(stack.kafkaProperties());
        Pipeline pipeline =
            Pipeline.start(
                PipelineConfig.defaults().inNamespace(CLASSIFIED),
                settings,
                classifier,
                PipelineSerdes.using(registry, Map.of()),
                metrics,
                Clock.systemUTC())) {
      final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      PipelineBenchmark.awaitRunning(pipeline.streams(), app, deadline);
      final long start = System.nanoTime();
      send(stack, registry, archive, CLASSIFIED);
      progress("Sent; waiting for the pipeline to classify the last item ...");
      PipelineBenchmark.awaitCaughtUp(
          pipeline.streams(),
          admin,
          app,
          Topics.in(CLASSIFIED, Topics.NEWS_ITEMS).name(),
          () -> metrics.alertsThroughStories() >= metrics.alertsTotal(),
          deadline,
          log);
      final double seconds = (System.nanoTime() - start) / 1e9;
      progress("  %,d alerts made, %,d through the story step", metrics.alertsTotal(), metrics.alertsThroughStories());
      return options.items() / seconds;
    }
  }

  /** Items per second the replay sends, from opening the archive to committing its last item. */
  private double replay(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive) {
    final long start = System.nanoTime();
    send(stack, registry, archive, NAMESPACE);
    return options.items() / ((System.nanoTime() - start) / 1e9);
  }

  /** Replays the archive into the namespace, checking every item was sent. */
  private void send(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive, final String namespace) {
    progress("Replaying the archive into namespace '%s' ...", namespace);
    final ReplayState end;
    try (ReadAhead source = new ReadAhead(new FileSource(archive, new NewsFileReader(Clock.systemUTC()), problem -> progress("  bad: %s", problem)), 2_000);
        Replayer replayer = new Replayer(stack.kafkaProperties(), registry, namespace, Clock.systemUTC());
        ReplayProgress shown = ReplayProgress.create(null, log, namespace, source.size(), Duration.ofSeconds(5), System::nanoTime)) {
      end = replayer.run(source, ReplayState.start(source.description(), null, null), null, null, ReplaySpeed.MAX, new CountDownLatch(1), shown);
    }
    if (!end.done() || end.published() != options.items()) {
      throw new IllegalStateException("The replay sent " + end.published() + " of " + options.items() + " items");
    }
  }

  private void progress(final String format, final Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
