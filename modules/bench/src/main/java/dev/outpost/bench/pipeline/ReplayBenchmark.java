package dev.outpost.bench.pipeline;

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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How fast a replay moves an archive into a namespace, against how fast one producer can publish
 * the same items to the same broker, measured in the same run: raw produce before and after the
 * replay, so a machine that slows down during the run shows in the baseline too.
 */
public final class ReplayBenchmark {

  private static final TopicSpec<String, NewsItem> RAW =
      new TopicSpec<>("bench.raw.v1", String.class, NewsItem.class, Topics.NEWS_ITEMS.partitions(), CleanupPolicy.DELETE);
  private static final String NAMESPACE = "bench";
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
   * @param archiveFiles daily files in the archive
   * @param archiveBytes their size
   */
  public record Result(double produceBefore, double produceAfter, double replayPerSecond, int archiveFiles, long archiveBytes) {

    /** @return the replay's rate over the mean raw produce rate */
    public double ratio() {
      return replayPerSecond / ((produceBefore + produceAfter) / 2);
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
      topics.add(RAW);
      topics.add(Topics.REPLAY_STATE);
      stack.cluster().createTopics(topics, (short) 1);

      // Untimed: the JIT compiles the serializer and the producer's paths first, for both runs.
      produce(stack, registry, Math.max(1_000, options.items() / 10), "warm-up, not timed, before");
      final double before = produce(stack, registry, options.items(), "before");
      progress("Raw produce: %,.0f items/s", before);
      final double replay = replay(stack, registry, archive);
      progress("Replay: %,.0f items/s", replay);
      final double after = produce(stack, registry, options.items(), "after");
      progress("Raw produce again: %,.0f items/s", after);
      return new Result(before, after, replay, DAYS, bytes);
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

  /** Items per second the replay sends, from opening the archive to committing its last item. */
  private double replay(final EmbeddedStack stack, final SchemaRegistryClient registry, final Path archive) {
    progress("Replaying the archive into namespace '%s' ...", NAMESPACE);
    final long start = System.nanoTime();
    final ReplayState end;
    try (ReadAhead source = new ReadAhead(new FileSource(archive, new NewsFileReader(Clock.systemUTC()), problem -> progress("  bad: %s", problem)), 2_000);
        Replayer replayer = new Replayer(stack.kafkaProperties(), registry, NAMESPACE, Clock.systemUTC());
        ReplayProgress shown = ReplayProgress.create(null, log, NAMESPACE, source.size(), Duration.ofSeconds(5), System::nanoTime)) {
      end = replayer.run(source, ReplayState.start(source.description(), null, null), null, null, ReplaySpeed.MAX, new CountDownLatch(1), shown);
    }
    final double seconds = (System.nanoTime() - start) / 1e9;
    if (!end.done() || end.published() != options.items()) {
      throw new IllegalStateException("The replay sent " + end.published() + " of " + options.items() + " items");
    }
    return options.items() / seconds;
  }

  private void progress(final String format, final Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }
}
