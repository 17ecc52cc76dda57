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
 *
 * <p>The archive holds items of a {@link BenchmarkCorpus}, the same as {@code outpost bench}
 * times the pipeline on. Before anything is timed, an untimed warm-up replays a smaller archive of
 * other items into a namespace of its own, its pipeline classifying them, so that the JIT has
 * compiled the replay's, the classifier's and the story step's paths. The classified replay is
 * timed from its pipeline running (its start-up, topic creation and first rebalance included, is
 * reported apart) to the pipeline's committed offsets reaching the end of the namespace's input
 * and of its repartition topics, with every alert through the story step: {@link
 * PipelineBenchmark#awaitCaughtUp}, as the pipeline's own runs end.
 */
public final class ReplayBenchmark {

  private static final TopicSpec<String, NewsItem> RAW =
      new TopicSpec<>("bench.raw.v1", String.class, NewsItem.class, Topics.NEWS_ITEMS.partitions(), CleanupPolicy.DELETE);
  private static final String NAMESPACE = "bench";
  /** The namespace the end-to-end replay goes to, classified as it arrives. */
  private static final String CLASSIFIED = "bench-classified";
  /** The namespace of the untimed warm-up's classified replay. */
  private static final String WARM_UP = "bench-warm-up";
  private static final Instant FIRST_DAY = Instant.parse("2025-09-01T00:00:00Z");
  private static final int DAYS = 30;

  /**
   * @param items items in the archive
   * @param dataDir where the broker and the archive go
   */
  public record Options(int items, Path dataDir) {}

  /**
   * @param produceBefore items per second one producer published before the replays
   * @param produceAfter the same, after
   * @param replayPerSecond items per second the replay sent, from opening the archive to its last
   *     commit
   * @param classifiedPerSecond items per second of the end-to-end replay: from the namespace's
   *     pipeline running, through opening the archive, to the pipeline's committed offsets
   *     reaching the end of the namespace's input and of its repartition topics, with every alert
   *     it made through its story step
   * @param classifiedStartup the namespace's pipeline's start-up, from starting it to its running,
   *     not timed
   * @param alerts alerts the classified replay made
   * @param labels what share of the items the classifier labels
   * @param archiveFiles daily files in the archive
   * @param archiveBytes their size
   */
  public record Result(
      double produceBefore,
      double produceAfter,
      double replayPerSecond,
      double classifiedPerSecond,
      Duration classifiedStartup,
      long alerts,
      LabelShare labels,
      int archiveFiles,
      long archiveBytes) {

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

    /**
     * Prints the figures, the last line {@code classified replay/produce 0.xx}. Here rather than
     * in the command, so that the command names no type of this module in its signatures.
     *
     * @param out where to print
     * @param items items in the archive
     * @param corpus what the items were, from {@link BenchmarkCorpus#describe()}
     */
    public void print(final PrintWriter out, final int items, final String corpus) {
      out.printf(Locale.ROOT, "items                %,d: %s; in %d daily Avro files, %,d MB%n", items, corpus, archiveFiles, archiveBytes >> 20);
      out.printf(Locale.ROOT, "labelled             %s; only these reach the story step%n", labels.describe());
      out.printf(
          Locale.ROOT,
          "raw produce          %,.0f items/s before the replays, %,.0f after (one idempotent zstd producer)%n",
          produceBefore,
          produceAfter);
      out.printf(Locale.ROOT, "replay               %,.0f items/s (archive to namespace, in transactions, timed by publishedAt; send only)%n", replayPerSecond);
      out.printf(
          Locale.ROOT,
          "start-up             %.1f s (the classified replay's pipeline, from its start to running; not timed)%n",
          classifiedStartup.toNanos() / 1e9);
      out.printf(
          Locale.ROOT,
          "replay, classified   %,.0f items/s (archive to namespace to alerts, from the pipeline running to its committed offsets"
              + " reaching the end of its input and repartition topics; exactly-once, one stream thread, stories on; %,d alerts)%n",
          classifiedPerSecond,
          alerts);
      out.printf(Locale.ROOT, "replay/produce %.2f%n", ratio());
      out.printf(Locale.ROOT, "classified replay/produce %.2f%n", classifiedRatio());
      out.flush();
    }
  }

  /**
   * A classified replay.
   *
   * @param startup from starting the namespace's pipeline to its running
   * @param perSecond items per second from its running to its having classified every item
   * @param alerts alerts it made
   */
  private record Classified(Duration startup, double perSecond, long alerts) {}

  private final Options options;
  private final BenchmarkCorpus corpus;
  private final PrintWriter log;

  /**
   * @param options what to run
   * @param corpus the items, such as {@code outpost bench} times the pipeline on
   * @param log where progress goes
   */
  public ReplayBenchmark(final Options options, final BenchmarkCorpus corpus, final PrintWriter log) {
    this.options = options;
    this.corpus = corpus;
    this.log = log;
  }

  /**
   * @param items items in the timed archive
   * @return items of the untimed warm-up's archive, other items than the timed ones: as many as
   *     {@code outpost bench}'s warm-up, half of them, at least 1,000 and at most 50,000
   */
  static int warmUpItems(final int items) {
    return PipelineBenchmark.warmUpItems(items);
  }

  /**
   * @param corpus the items
   * @param prefix the id's prefix
   * @param n the item's number, from 0
   * @param items how many items the archive holds
   * @return the corpus's item {@code n}, published in number order across {@value #DAYS} days
   *     from 2025-09-01
   */
  static NewsItem archiveItem(final BenchmarkCorpus corpus, final String prefix, final int n, final int items) {
    final long spacingMs = Duration.ofDays(DAYS).toMillis() / items;
    return corpus.item(prefix, n, FIRST_DAY.plusMillis(n * spacingMs));
  }

  /**
   * @return the figures
   * @throws InterruptedException if interrupted
   */
  public Result run() throws InterruptedException {
    // One classifier for every pipeline: it is immutable and thread-safe, and its rules load once.
    final Classifier classifier = Classifier.withDefaultRules();
    final LabelShare labels =
        LabelShare.of(corpus, options.items(), item -> classifier.classify(item.getTitle(), item.getBody(), item.getLanguage()).labels().size());
    progress("Labels: %s; only labelled items reach the story step", labels.describe());
    final Path archive = options.dataDir().resolve("archive");
    final long bytes = writeArchive(archive, "replay", options.items());
    final int warmUpItems = warmUpItems(options.items());
    final Path warmUpArchive = options.dataDir().resolve("warm-up-archive");
    writeArchive(warmUpArchive, "warm-up", warmUpItems);
    progress("Starting the embedded broker and registry in %s ...", options.dataDir());
    try (EmbeddedStack stack =
            EmbeddedStack.builder().dataDir(options.dataDir().resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        Admin admin = Admin.create(stack.kafkaProperties())) {
      final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.pipelineIn(NAMESPACE));
      topics.addAll(Topics.pipelineIn(CLASSIFIED));
      topics.addAll(Topics.pipelineIn(WARM_UP));
      topics.add(RAW);
      topics.add(Topics.REPLAY_STATE);
      stack.cluster().createTopics(topics, (short) 1);

      // Untimed: the JIT compiles the serializer's and the producer's paths first, and then the
      // replay's, the classifier's and the story step's, on other items, before anything is timed.
      produce(stack, registry, Math.max(1_000, options.items() / 10), "warm-up, not timed, before");
      progress("Warm-up, not timed: replaying %,d other items into namespace '%s', classified ...", warmUpItems, WARM_UP);
      final Classified warmUp = replayClassified(stack, registry, admin, classifier, warmUpArchive, WARM_UP, warmUpItems);
      progress("  warm-up: start-up %.1f s, then %,.0f items/s", warmUp.startup().toNanos() / 1e9, warmUp.perSecond());

      final double before = produce(stack, registry, options.items(), "before");
      progress("Raw produce: %,.0f items/s", before);
      final double replay = replay(stack, registry, archive);
      progress("Replay: %,.0f items/s", replay);
      final Classified classified = replayClassified(stack, registry, admin, classifier, archive, CLASSIFIED, options.items());
      progress("Replay with classification: %,.0f items/s after a start-up of %.1f s", classified.perSecond(), classified.startup().toNanos() / 1e9);
      final double after = produce(stack, registry, options.items(), "after");
      progress("Raw produce again: %,.0f items/s", after);
      return new Result(before, after, replay, classified.perSecond(), classified.startup(), classified.alerts(), labels, DAYS, bytes);
    }
  }

  /** The timed archive's item with this number, which the raw producer publishes too. */
  private NewsItem item(final int n) {
    return archiveItem(corpus, "replay", n, options.items());
  }

  /**
   * Writes an archive as {@code outpost archive} does: one Avro file a day of the items' topic.
   *
   * @param archive the archive's directory
   * @param prefix the items' ids' prefix
   * @param items how many items
   * @return the size of its files
   */
  private long writeArchive(final Path archive, final String prefix, final int items) {
    final Path days = archive.resolve(Topics.NEWS_ITEMS.name());
    progress("Writing an archive of %,d items, %d daily Avro files, to %s ...", items, DAYS, days);
    try {
      Files.createDirectories(days);
      LocalDate open = null;
      DataFileWriter<NewsItem> writer = null;
      long lastReport = System.nanoTime();
      try {
        for (int n = 0; n < items; n++) {
          final NewsItem item = archiveItem(corpus, prefix, n, items);
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
            progress("  %,d of %,d written", n + 1, items);
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
    progress("Raw produce (%s the replays): %,d items to %s ...", run, items, RAW.name());
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
   * Starts the namespace's pipeline and, once it runs, replays the archive into the namespace and
   * waits for the pipeline's committed offsets to reach the end of the namespace's input and of
   * its repartition topics, with every alert it made through its story step.
   *
   * @return the pipeline's start-up, and items per second from its running to that end
   */
  private Classified replayClassified(
      final EmbeddedStack stack,
      final SchemaRegistryClient registry,
      final Admin admin,
      final Classifier classifier,
      final Path archive,
      final String namespace,
      final int items)
      throws InterruptedException {
    final StreamsSettings settings =
        new StreamsSettings(
                "bench-replay", stack.bootstrapServers(), "exactly_once_v2", 1, 1, options.dataDir().resolve("state"), Map.of())
            .inNamespace(namespace);
    final String app = settings.applicationId();
    final PipelineMetrics metrics = new PipelineMetrics(app);
    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    final long started = System.nanoTime();
    try (Pipeline pipeline =
        Pipeline.start(
            PipelineConfig.defaults().inNamespace(namespace),
            settings,
            classifier,
            PipelineSerdes.using(registry, Map.of()),
            metrics,
            Clock.systemUTC())) {
      PipelineBenchmark.awaitRunning(pipeline.streams(), app, deadline);
      final long start = System.nanoTime();
      send(stack, registry, archive, namespace, items);
      progress("Sent; waiting for the pipeline to classify the last item ...");
      PipelineBenchmark.awaitCaughtUp(
          pipeline.streams(),
          admin,
          app,
          Topics.in(namespace, Topics.NEWS_ITEMS).name(),
          () -> metrics.alertsThroughStories() >= metrics.alertsTotal(),
          deadline,
          log);
      final long end = System.nanoTime();
      progress("  %,d alerts made, %,d through the story step", metrics.alertsTotal(), metrics.alertsThroughStories());
      return new Classified(Duration.ofNanos(start - started), items / ((end - start) / 1e9), metrics.alertsTotal());
    }
  }

  /** Items per second the replay sends, from opening the archive to committing its last item. */
  private double replay(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive) {
    final long start = System.nanoTime();
    send(stack, registry, archive, NAMESPACE, options.items());
    return options.items() / ((System.nanoTime() - start) / 1e9);
  }

  /** Replays the archive into the namespace, checking every item was sent. */
  private void send(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive, final String namespace, final int items) {
    progress("Replaying the archive into namespace '%s' ...", namespace);
    final ReplayState end;
    try (ReadAhead source = new ReadAhead(new FileSource(archive, new NewsFileReader(Clock.systemUTC()), problem -> progress("  bad: %s", problem)), 2_000);
        Replayer replayer = new Replayer(stack.kafkaProperties(), registry, namespace, Clock.systemUTC());
        ReplayProgress shown = ReplayProgress.create(null, log, namespace, source.size(), Duration.ofSeconds(5), System::nanoTime)) {
      end = replayer.run(source, ReplayState.start(source.description(), null, null), null, null, ReplaySpeed.MAX, new CountDownLatch(1), shown);
    }
    if (!end.done() || end.published() != items) {
      throw new IllegalStateException("The replay sent " + end.published() + " of " + items + " items");
    }
  }

  private void progress(final String format, final Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
