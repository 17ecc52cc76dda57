package dev.outpost.bench.pipeline;

import dev.outpost.classifier.Classifier;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.DurationText;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
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
 *   <li>Publishes N items of a {@link BenchmarkCorpus}: whole items of real news feeds, or items
 *       assembled from the bundled samples; and counts how many of them the classifier labels:
 *       only those reach the story step.
 *   <li>Warm-up, untimed: the baseline and the pipeline with stories run over half as many
 *       other items, in topics of their own, so that no timed run pays for the JIT alone.
 *   <li>Then, in each round:
 *       <ol>
 *         <li>Baseline: a passthrough topology with the same Avro serdes and guarantee reads them
 *             all; what the broker and the serdes allow.
 *         <li>The Outpost topology without its story step ({@code PipelineConfig.withStories(null)})
 *             and with it (the default) read the same items, each as a new application; the
 *             order alternates from round to round and the last round ends with stories on, so
 *             that what runs first (the JIT warming up) or a machine slowing down weighs on both.
 *             Both deduplicate over the pipeline's default window unless {@code --dedupe-window}
 *             says otherwise; with at-least-once, both run without the dedupe step, which only
 *             exactly-once can run without risking a lost item.
 *       </ol>
 *   <li>Latency: with the last Outpost topology with stories caught up, items are published at a
 *       fixed rate and each alert's publish-to-alert time is measured at a read-committed
 *       subscriber.
 * </ol>
 *
 * <p>Each throughput is items over the time from the application running to its committed input
 * offsets reaching the end of the input topic, and its committed offsets of its own repartition
 * topics (the story step's) reaching their end: its {@link ConsumerGroupLag} against the high
 * watermark reaching 0 on both, so the items are done when their alerts have come out of the story
 * step, one hop after {@code news.classified.v1}. With stories, it also waits for the pipeline's
 * count of alerts out of the story step to reach the count of alerts made. All run in the same
 * process on the same machine, one after the other, so their ratios say more than any figure on a
 * shared, noisy machine.
 */
public final class PipelineBenchmark {

  /** The header the latency publisher stamps with {@link System#nanoTime()}. */
  static final String SENT_HEADER = "outpost.bench.sent-nanos";

  /** The namespace of the warm-up's topics, apart from those timed. */
  static final String WARM_UP = "warm-up";

  private static final TopicSpec<String, NewsItem> PASSTHROUGH =
      new TopicSpec<>("bench.passthrough.v1", String.class, NewsItem.class, 6, CleanupPolicy.DELETE);

  /**
   * @param items items for the throughput runs
   * @param rate items per second during the latency run
   * @param latencyRun how long to publish during the latency run
   * @param streamThreads stream threads of each topology
   * @param guarantee the processing guarantee of every topology
   * @param dataDir where the broker and the state stores keep their data
   * @param rounds how many times the baseline and the pipeline without and with stories are run
   * @param dedupeWindow the pipeline's dedupe window, as {@code dedupe.window} sets it; zero for
   *     none, which at-least-once requires
   */
  public record Options(
      int items, int rate, Duration latencyRun, int streamThreads, String guarantee, Path dataDir, int rounds, Duration dedupeWindow) {

    /** Checks the counts, and that only exactly-once deduplicates. */
    public Options {
      if (rounds < 1) {
        throw new IllegalArgumentException("at least one round, got " + rounds);
      }
      if (dedupeWindow.isNegative()) {
        throw new IllegalArgumentException("a dedupe window of zero or more, got " + dedupeWindow);
      }
      if ("at_least_once".equals(guarantee) && !dedupeWindow.isZero()) {
        throw new IllegalArgumentException("at_least_once runs without deduplication, got a window of " + dedupeWindow);
      }
    }

    /**
     * @param guarantee a processing guarantee
     * @return the dedupe window the runs take unless told otherwise: the pipeline's default under
     *     exactly-once, none under at-least-once
     */
    public static Duration defaultDedupeWindow(final String guarantee) {
      return "at_least_once".equals(guarantee) ? Duration.ZERO : PipelineConfig.DEFAULT_DEDUPE_WINDOW;
    }

    /** @return the guarantee and the dedupe window, as the first line of the figures names them */
    public String describeGuarantee() {
      return guarantee + (dedupeWindow.isZero() ? ", no dedupe" : ", dedupe window " + DurationText.format(dedupeWindow));
    }
  }

  /**
   * One timed run of a topology over the items.
   *
   * @param perSecond items per second
   * @param cpuMicrosPerItem CPU time of the whole process (the topology, and the broker and
   *     registry serving it) per item, in microseconds, less the time the JIT spent compiling:
   *     what the run cost, which other processes on a shared machine slow down less than they slow
   *     down the clock, and which the JIT, still compiling a process that holds a broker minutes
   *     after it started, does not blur; negative when the JVM cannot tell
   * @param jitMicrosPerItem the time the JIT spent compiling during the run, per item
   */
  public record Run(double perSecond, double cpuMicrosPerItem, double jitMicrosPerItem) {}

  /**
   * The figures of one round, all on the same items and broker, one run after the other.
   *
   * @param baseline the passthrough topology
   * @param storiesOff the Outpost topology without stories
   * @param storiesOn the Outpost topology with stories
   * @param storiesOnFirst whether the pipeline with stories ran before the one without
   */
  public record Round(Run baseline, Run storiesOff, Run storiesOn, boolean storiesOnFirst) {

    /** @return the pipeline's throughput with stories over without: 1 is free, 0.75 costs a quarter */
    public double storiesRatio() {
      return storiesOn.perSecond() / storiesOff.perSecond();
    }

    /**
     * @return the pipeline's CPU time per item without stories over with: the throughput ratio
     *     a machine of its own, where CPU is what limits, would show
     */
    public double storiesCpuRatio() {
      return storiesOff.cpuMicrosPerItem() / storiesOn.cpuMicrosPerItem();
    }

    /** @return the pipeline's throughput, stories on, over the baseline's */
    public double ratio() {
      return storiesOn.perSecond() / baseline.perSecond();
    }

    /** @return the pipeline's throughput without stories over the baseline's */
    public double storiesOffRatio() {
      return storiesOff.perSecond() / baseline.perSecond();
    }
  }

  /**
   * What the story step did in the last timed run with stories.
   *
   * @param alerts alerts made at fan-out
   * @param throughStories alerts out of the story step
   * @param storiesStarted stories started
   */
  public record StoryCounts(long alerts, long throughStories, long storiesStarted) {}

  /**
   * @param rounds each round's figures, in order
   * @param labels how many items the classifier labels, and their alerts
   * @param stories what the story step did in the last timed run with stories
   * @param latencySamples alerts timed
   * @param p50 median publish-to-alert time
   * @param p99 99th percentile
   * @param max the slowest
   */
  public record Result(
      List<Round> rounds,
      LabelShare labels,
      StoryCounts stories,
      int latencySamples,
      Duration p50,
      Duration p99,
      Duration max) {
    /**
     * Prints the figures, the last line {@code pipeline/baseline 0.xx}, with stories. Here rather
     * than in the command, so that the command names no type of this module in its signatures:
     * the production install has no bench jar, and picocli reads every command's methods.
     *
     * @param out where to print
     * @param items items timed
     * @param corpus what the items were, from {@link BenchmarkCorpus#describe()}
     * @param guarantee the processing guarantee and dedupe window, from {@link
     *     Options#describeGuarantee()}
     * @param streamThreads stream threads
     * @param latencyRate the rate latency was measured at, items/s
     */
    public void print(
        final PrintWriter out, final int items, final String corpus, final String guarantee, final int streamThreads, final int latencyRate) {
      final Result r = this;
      out.printf(
          Locale.ROOT,
          "items                %,d: %s; %s, %d stream thread(s), %d round(s)%n",
          items,
          corpus,
          guarantee,
          streamThreads,
          r.rounds().size());
      out.printf(Locale.ROOT, "labelled             %s; only these reach the story step%n", r.labels().describe());
      out.printf(
          Locale.ROOT,
          "baseline             %,.0f items/s, %,.0f µs of CPU per item (passthrough, same serdes and guarantee; CPU without JIT compiling)%n",
          r.baselinePerSecond(),
          r.baselineCpuMicrosPerItem());
      out.printf(
          Locale.ROOT,
          "pipeline             %,.0f items/s, %,.0f µs of CPU per item, without stories (%.2f of baseline)%n",
          r.storiesOffPerSecond(),
          r.storiesOffCpuMicrosPerItem(),
          r.storiesOffRatio());
      out.printf(
          Locale.ROOT,
          "pipeline             %,.0f items/s, %,.0f µs of CPU per item, with stories (%,d alerts through the story step, %,d stories started)%n",
          r.pipelinePerSecond(),
          r.storiesOnCpuMicrosPerItem(),
          r.stories().throughStories(),
          r.stories().storiesStarted());
      for (int i = 0; i < r.rounds().size(); i++) {
        final Round round = r.rounds().get(i);
        final Run first = round.storiesOnFirst() ? round.storiesOn() : round.storiesOff();
        final Run second = round.storiesOnFirst() ? round.storiesOff() : round.storiesOn();
        out.printf(
            Locale.ROOT,
            "%-21sbaseline %,.0f, stories %s %,.0f, then %s %,.0f items/s: on/off %.2f, by CPU per item %.2f%n",
            "round " + (i + 1),
            round.baseline().perSecond(),
            round.storiesOnFirst() ? "on" : "off",
            first.perSecond(),
            round.storiesOnFirst() ? "off" : "on",
            second.perSecond(),
            round.storiesRatio(),
            round.storiesCpuRatio());
      }
      out.printf(
          Locale.ROOT,
          "latency at %,d/s    p50 %d ms, p99 %d ms, max %d ms (%,d alerts timed, stories on)%n",
          latencyRate,
          r.p50().toMillis(),
          r.p99().toMillis(),
          r.max().toMillis(),
          r.latencySamples());
      out.printf(
          Locale.ROOT,
          "stories on/off %.2f (stories cost %.0f%% of the pipeline's throughput; by CPU per item, on/off %.2f)%n",
          r.storiesRatio(),
          100 * r.storiesCost(),
          r.storiesCpuRatio());
      out.printf(Locale.ROOT, "pipeline/baseline %.2f%n", r.ratio());
      out.flush();
    }


    /** Copies the rounds; there is at least one. */
    public Result {
      rounds = List.copyOf(rounds);
      if (rounds.isEmpty()) {
        throw new IllegalArgumentException("no rounds");
      }
    }

    /** @return the baseline's items per second, the mean over the rounds */
    public double baselinePerSecond() {
      return rounds.stream().mapToDouble(r -> r.baseline().perSecond()).average().orElseThrow();
    }

    /** @return the pipeline's items per second without stories, the mean over the rounds */
    public double storiesOffPerSecond() {
      return rounds.stream().mapToDouble(r -> r.storiesOff().perSecond()).average().orElseThrow();
    }

    /** @return the pipeline's items per second with stories, the mean over the rounds */
    public double pipelinePerSecond() {
      return rounds.stream().mapToDouble(r -> r.storiesOn().perSecond()).average().orElseThrow();
    }

    /** @return the baseline's CPU microseconds per item, the mean over the rounds */
    public double baselineCpuMicrosPerItem() {
      return rounds.stream().mapToDouble(r -> r.baseline().cpuMicrosPerItem()).average().orElseThrow();
    }

    /** @return the pipeline's CPU microseconds per item without stories, the mean over the rounds */
    public double storiesOffCpuMicrosPerItem() {
      return rounds.stream().mapToDouble(r -> r.storiesOff().cpuMicrosPerItem()).average().orElseThrow();
    }

    /** @return the pipeline's CPU microseconds per item with stories, the mean over the rounds */
    public double storiesOnCpuMicrosPerItem() {
      return rounds.stream().mapToDouble(r -> r.storiesOn().cpuMicrosPerItem()).average().orElseThrow();
    }

    /** @return CPU time per item without stories over with, the mean of each round's ratio */
    public double storiesCpuRatio() {
      return rounds.stream().mapToDouble(Round::storiesCpuRatio).average().orElseThrow();
    }

    /**
     * @return with stories over without, the mean of each round's ratio: each is measured on the
     *     same machine within a minute or two, so the mean of the ratios is steadier than the
     *     ratio of the means when the machine's speed moves between rounds
     */
    public double storiesRatio() {
      return rounds.stream().mapToDouble(Round::storiesRatio).average().orElseThrow();
    }

    /** @return the share of the pipeline's throughput stories cost: 1 - {@link #storiesRatio()} */
    public double storiesCost() {
      return 1 - storiesRatio();
    }

    /** @return pipeline with stories over baseline throughput, the mean of each round's ratio */
    public double ratio() {
      return rounds.stream().mapToDouble(Round::ratio).average().orElseThrow();
    }

    /** @return pipeline without stories over baseline throughput, the mean of each round's ratio */
    public double storiesOffRatio() {
      return rounds.stream().mapToDouble(Round::storiesOffRatio).average().orElseThrow();
    }
  }

  /**
   * One count of stream threads' figures: per round, the baseline and the pipeline with stories,
   * both with that many threads.
   *
   * @param threads stream threads of both topologies
   * @param baselines the baseline's runs, one a round
   * @param pipelines the pipeline's, with stories, one a round, in the same order
   */
  public record Scale(int threads, List<Run> baselines, List<Run> pipelines) {

    /** Copies the runs; there is at least one round, and as many pipelines as baselines. */
    public Scale {
      baselines = List.copyOf(baselines);
      pipelines = List.copyOf(pipelines);
      if (baselines.isEmpty() || baselines.size() != pipelines.size()) {
        throw new IllegalArgumentException(
            "one baseline and one pipeline a round, got " + baselines.size() + " and " + pipelines.size());
      }
    }

    /** @return the baseline's items per second, the mean over the rounds */
    public double baselinePerSecond() {
      return baselines.stream().mapToDouble(Run::perSecond).average().orElseThrow();
    }

    /** @return the pipeline's items per second, the mean over the rounds */
    public double pipelinePerSecond() {
      return pipelines.stream().mapToDouble(Run::perSecond).average().orElseThrow();
    }

    /** @return pipeline over baseline, the mean of each round's ratio */
    public double ratio() {
      double sum = 0;
      for (int i = 0; i < baselines.size(); i++) {
        sum += pipelines.get(i).perSecond() / baselines.get(i).perSecond();
      }
      return sum / baselines.size();
    }
  }

  /**
   * The figures of {@code bench --threads}: one {@link Scale} per count of stream threads.
   *
   * @param scales per count, in the order run
   * @param labels how many items the classifier labels
   */
  public record Scaling(List<Scale> scales, LabelShare labels) {

    /** Copies the counts; there is at least one. */
    public Scaling {
      scales = List.copyOf(scales);
      if (scales.isEmpty()) {
        throw new IllegalArgumentException("no thread counts");
      }
    }

    /**
     * @param scale one of the counts
     * @return its pipeline's throughput over the first count's: how the pipeline scales with
     *     threads (its baseline's own speed-up is in its ratio)
     */
    public double speedUp(final Scale scale) {
      return scale.pipelinePerSecond() / scales.get(0).pipelinePerSecond();
    }

    /**
     * Prints a line per count of threads and, last, {@code pipeline/baseline} at each count.
     *
     * @param out where to print
     * @param items items timed
     * @param corpus what the items were, from {@link BenchmarkCorpus#describe()}
     * @param guarantee the processing guarantee and dedupe window, from {@link
     *     Options#describeGuarantee()}
     * @param rounds rounds per count
     */
    public void print(final PrintWriter out, final int items, final String corpus, final String guarantee, final int rounds) {
      out.printf(
          Locale.ROOT,
          "items                %,d: %s; %s, %d input partitions, %d round(s) per thread count%n",
          items,
          corpus,
          guarantee,
          MAX_THREADS,
          rounds);
      out.printf(Locale.ROOT, "labelled             %s; only these reach the story step%n", labels.describe());
      final Scale first = scales.get(0);
      final StringBuilder last = new StringBuilder("pipeline/baseline");
      for (final Scale s : scales) {
        out.printf(
            Locale.ROOT,
            "%-21sbaseline %,.0f items/s, pipeline %,.0f items/s with stories (%.2f of baseline; %.2fx the pipeline with %d)%n",
            s.threads() + " thread(s)",
            s.baselinePerSecond(),
            s.pipelinePerSecond(),
            s.ratio(),
            speedUp(s),
            first.threads());
        last.append(String.format(Locale.ROOT, "%s %.2f at %d thread(s)", s == first ? "" : ",", s.ratio(), s.threads()));
      }
      out.println(last);
      out.flush();
    }
  }

  private final Options options;
  private final BenchmarkCorpus corpus;
  private final PrintWriter log;

  /**
   * @param options what to run
   * @param corpus the items to publish
   * @param log where progress goes
   */
  public PipelineBenchmark(final Options options, final BenchmarkCorpus corpus, final PrintWriter log) {
    this.options = options;
    this.corpus = corpus;
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
      final Prepared prepared = prepare(stack, registry, admin, options.streamThreads());
      final Classifier classifier = prepared.classifier();
      final LabelShare labels = prepared.labels();
      final StreamsSettings base = prepared.settings();
      final PipelineConfig withStories = prepared.withStories();
      final PipelineConfig withoutStories = withStories.withStories(null);

      final List<Round> rounds = new ArrayList<>();
      Pipeline caughtUp = null;
      StoryCounts stories = null;
      try {
        for (int r = 1; r <= options.rounds(); r++) {
          final Run baseline =
              runBaseline(registry, admin, base.withApplicationId("bench-baseline-" + r), Topics.NEWS_ITEMS.name(), options.items());
          progress("Round %d: baseline (passthrough, same serdes and guarantee): %s", r, describe(baseline));
          final boolean onFirst = storiesOnFirst(r - 1, options.rounds());
          Run off = null;
          Run on = null;
          for (final boolean storiesOn : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
            final String app = "bench-stories-" + (storiesOn ? "on-" : "off-") + r;
            final PipelineMetrics metrics = new PipelineMetrics(app);
            final Pipeline pipeline =
                Pipeline.start(
                    storiesOn ? withStories : withoutStories,
                    base.withApplicationId(app),
                    classifier,
                    PipelineSerdes.using(registry, Map.of()),
                    metrics,
                    Clock.systemUTC());
            boolean keep = false;
            try {
              final Run run =
                  timeUntilCaughtUp(
                      pipeline.streams(),
                      admin,
                      app,
                      Topics.NEWS_ITEMS.name(),
                      options.items(),
                      storiesOn ? () -> metrics.alertsThroughStories() >= metrics.alertsTotal() : () -> true);
              if (storiesOn) {
                on = run;
                stories = new StoryCounts(metrics.alertsTotal(), metrics.alertsThroughStories(), metrics.storiesStarted());
                progress(
                    "Round %d: Outpost topology with stories: %s (%,d alerts through the story step, %,d stories started)",
                    r, describe(run), stories.throughStories(), stories.storiesStarted());
                // The last run with stories stays up for the latency run.
                keep = r == options.rounds();
              } else {
                off = run;
                progress("Round %d: Outpost topology without stories: %s", r, describe(run));
              }
            } finally {
              if (keep) {
                caughtUp = pipeline;
              } else {
                pipeline.close(Duration.ofSeconds(30));
              }
            }
          }
          rounds.add(new Round(baseline, off, on, onFirst));
        }
        final long[] latencies = measureLatency(stack, registry);
        Arrays.sort(latencies);
        return new Result(
            rounds,
            labels,
            stories,
            latencies.length,
            Duration.ofNanos(percentile(latencies, 0.50)),
            Duration.ofNanos(percentile(latencies, 0.99)),
            Duration.ofNanos(latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
      } finally {
        if (caughtUp != null) {
          caughtUp.close(Duration.ofSeconds(30));
        }
      }
    }
  }

  /**
   * The pipeline's throughput with each of some counts of stream threads, each against the
   * baseline with as many: per count and round, the baseline then the pipeline with stories, each
   * as a new application over the same items, each timed from its start, joining its group
   * included (from running, the first of several threads would have a head start). The input topic has {@link #MAX_THREADS}
   * partitions, so every count up to it has a task for each thread. No latency run.
   *
   * @param threadCounts the counts of stream threads, in the order to run them
   * @return the figures, per count in that order
   * @throws InterruptedException if interrupted while waiting
   */
  public Scaling scale(final List<Integer> threadCounts) throws InterruptedException {
    if (threadCounts.isEmpty()) {
      throw new IllegalArgumentException("no thread counts");
    }
    progress("Starting the embedded broker and registry in %s ...", options.dataDir());
    try (EmbeddedStack stack =
            EmbeddedStack.builder().dataDir(options.dataDir()).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        Admin admin = Admin.create(stack.kafkaProperties())) {
      final Prepared prepared = prepare(stack, registry, admin, threadCounts.get(0));
      final List<Scale> scales = new ArrayList<>();
      for (final int threads : threadCounts) {
        final StreamsSettings settings = withThreads(prepared.settings(), threads);
        final List<Run> baselines = new ArrayList<>();
        final List<Run> pipelines = new ArrayList<>();
        for (int r = 1; r <= options.rounds(); r++) {
          final Run baseline =
              runBaseline(
                  registry, admin, settings.withApplicationId("bench-baseline-t" + threads + "-" + r), Topics.NEWS_ITEMS.name(), options.items(), true);
          progress("%d thread(s), round %d: baseline: %s", threads, r, describe(baseline));
          final String app = "bench-stories-on-t" + threads + "-" + r;
          final PipelineMetrics metrics = new PipelineMetrics(app);
          final long started = System.nanoTime();
          final long cpu = processCpuNanos();
          final long jit = jitCpuNanos();
          try (Pipeline pipeline =
              Pipeline.start(
                  prepared.withStories(),
                  settings.withApplicationId(app),
                  prepared.classifier(),
                  PipelineSerdes.using(registry, Map.of()),
                  metrics,
                  Clock.systemUTC())) {
            final Run run =
                timeUntilCaughtUp(
                    pipeline.streams(),
                    admin,
                    app,
                    Topics.NEWS_ITEMS.name(),
                    options.items(),
                    () -> metrics.alertsThroughStories() >= metrics.alertsTotal(),
                    started,
                    cpu,
                    jit);
            progress("%d thread(s), round %d: Outpost topology with stories: %s", threads, r, describe(run));
            pipelines.add(run);
          }
          baselines.add(baseline);
        }
        scales.add(new Scale(threads, baselines, pipelines));
      }
      return new Scaling(scales, prepared.labels());
    }
  }

  /** The most stream threads that each have a task: the input topic's partitions. */
  public static final int MAX_THREADS = Topics.NEWS_ITEMS.partitions();

  /**
   * @param text counts of stream threads separated by commas, such as {@code 1,2,4}
   * @return them, in that order
   * @throws IllegalArgumentException saying what to fix: a count that is not a whole number from
   *     1 to {@link #MAX_THREADS}, one given twice, or none
   */
  public static List<Integer> parseThreadCounts(final String text) {
    final List<Integer> counts = new ArrayList<>();
    int from = 0;
    while (from <= text.length()) {
      int comma = text.indexOf(',', from);
      if (comma < 0) {
        comma = text.length();
      }
      final String part = text.substring(from, comma).strip();
      final int n;
      try {
        n = Integer.parseInt(part);
      } catch (final NumberFormatException e) {
        throw new IllegalArgumentException(
            (part.isEmpty() ? "an empty count" : "'" + part + "' is not a whole number") + ": give counts of stream threads separated by commas, such as 1,2,4");
      }
      if (n < 1 || n > MAX_THREADS) {
        throw new IllegalArgumentException(
            n + " threads: use 1 to " + MAX_THREADS + ", the input topic's partitions (a thread beyond them has no task)");
      }
      if (counts.contains(n)) {
        throw new IllegalArgumentException(n + " is given twice: give each count once");
      }
      counts.add(n);
      from = comma + 1;
    }
    return counts;
  }

  /**
   * What every run shares, made once per benchmark.
   *
   * @param classifier the classifier of every pipeline
   * @param labels how many of the items it labels
   * @param settings the Kafka Streams settings, the application id to be set per run
   * @param withStories the pipeline's configuration with stories
   */
  private record Prepared(Classifier classifier, LabelShare labels, StreamsSettings settings, PipelineConfig withStories) {}

  /**
   * Creates the topics, publishes the warm-up's and the timed runs' items, counts the labels, and
   * runs the untimed warm-up.
   */
  private Prepared prepare(final EmbeddedStack stack, final SchemaRegistryClient registry, final Admin admin, final int streamThreads)
      throws InterruptedException {
    final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.pipelineIn(WARM_UP));
    topics.add(PASSTHROUGH);
    stack.cluster().createTopics(topics, (short) 1);
    final String warmUpInput = Topics.in(WARM_UP, Topics.NEWS_ITEMS).name();
    final int warmUpItems = warmUpItems(options.items());
    publish(stack, registry, warmUpInput, "warm-up", warmUpItems);
    publish(stack, registry, Topics.NEWS_ITEMS.name(), "bench", options.items());

    // One classifier for every run: it is immutable and thread-safe, and its rules are loaded once.
    final Classifier classifier = Classifier.withDefaultRules();
    final LabelShare labels =
        LabelShare.of(corpus, options.items(), item -> classifier.classify(item.getTitle(), item.getBody(), item.getLanguage()).labels().size());
    progress("Labels: %s; only labelled items reach the story step", labels.describe());

    final StreamsSettings base =
        new StreamsSettings("bench", stack.bootstrapServers(), options.guarantee(), 1, streamThreads, options.dataDir().resolve("state"), Map.of());
    final PipelineConfig withStories = PipelineConfig.defaults().withDedupeWindow(options.dedupeWindow());

    // Untimed: the JIT compiles the serdes', the classifier's and the story step's paths before
    // the first timed run, which would otherwise pay for it alone (a first baseline ran at a
    // quarter of the second's rate). Stories on, so everything the pipeline runs is warm.
    progress("Warm-up, not timed: the baseline and the pipeline with stories over %,d other items ...", warmUpItems);
    runBaseline(registry, admin, base.withApplicationId("bench-warm-up-baseline"), warmUpInput, warmUpItems);
    try (Pipeline warmUp =
        Pipeline.start(
            withStories.inNamespace(WARM_UP),
            base.withApplicationId("bench-warm-up-pipeline"),
            classifier,
            PipelineSerdes.using(registry, Map.of()),
            new PipelineMetrics("bench-warm-up"),
            Clock.systemUTC())) {
      timeUntilCaughtUp(warmUp.streams(), admin, "bench-warm-up-pipeline", warmUpInput, warmUpItems, () -> true);
    }
    return new Prepared(classifier, labels, base, withStories);
  }

  private static StreamsSettings withThreads(final StreamsSettings s, final int threads) {
    return new StreamsSettings(
        s.applicationId(), s.bootstrapServers(), s.processingGuarantee(), s.replicationFactor(), threads, s.stateDirectory(), s.overrides());
  }

  /**
   * @param round a round, from 0
   * @param rounds how many there are
   * @return whether the pipeline with stories runs first in it: the order alternates, and the
   *     last round runs stories last, so that its pipeline, caught up, serves the latency run
   */
  static boolean storiesOnFirst(final int round, final int rounds) {
    return (rounds - 1 - round) % 2 == 1;
  }

  /** The item with this number. */
  private NewsItem item(final String prefix, final int n) {
    return corpus.item(prefix, n, Instant.now());
  }

  /**
   * @param items items of the timed runs
   * @return items of the untimed warm-up: half of them, at least 1,000 and at most 50,000 (with
   *     a fifth, the first run with stories still cost twice the second's CPU per item: the JIT
   *     was not done with a process that holds the broker, the registry and the pipeline)
   */
  static int warmUpItems(final int items) {
    return Math.max(1_000, Math.min(50_000, items / 2));
  }

  private void publish(final EmbeddedStack stack, final SchemaRegistryClient registry, final String topic, final String prefix, final int items) {
    progress("Publishing %,d items to %s ...", items, topic);
    try (KafkaProducer<String, NewsItem> producer = producer(stack, registry)) {
      long lastReport = System.nanoTime();
      for (int i = 0; i < items; i++) {
        final NewsItem item = item(prefix, i);
        producer.send(new ProducerRecord<>(topic, item.getId(), item));
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
          progress("  %,d of %,d published", i + 1, items);
          lastReport = System.nanoTime();
        }
      }
      producer.flush();
    }
  }

  private Run runBaseline(
      final SchemaRegistryClient registry,
      final Admin admin,
      final StreamsSettings settings,
      final String inputTopic,
      final int items) throws InterruptedException {
    return runBaseline(registry, admin, settings, inputTopic, items, false);
  }

  /** The baseline, timed from its start rather than from its running when {@code fromStart}. */
  private Run runBaseline(
      final SchemaRegistryClient registry,
      final Admin admin,
      final StreamsSettings settings,
      final String inputTopic,
      final int items,
      final boolean fromStart) throws InterruptedException {
    final StreamsBuilder builder = new StreamsBuilder();
    builder
        .stream(
            inputTopic,
            Consumed.with(TopicSerdes.keySerde(Topics.NEWS_ITEMS, registry), TopicSerdes.valueSerde(Topics.NEWS_ITEMS, registry)))
        .to(PASSTHROUGH.name(), Produced.with(TopicSerdes.keySerde(PASSTHROUGH, registry), TopicSerdes.valueSerde(PASSTHROUGH, registry)));
    final Map<String, Object> props = new HashMap<>();
    settings.toProperties(PipelineConfig.defaults(), new PipelineMetrics("bench-baseline"))
        .forEach((k, v) -> props.put((String) k, v));
    try (KafkaStreams streams = new KafkaStreams(builder.build(), new org.apache.kafka.streams.StreamsConfig(props))) {
      final long started = System.nanoTime();
      final long cpu = processCpuNanos();
      final long jit = jitCpuNanos();
      streams.start();
      return fromStart
          ? timeUntilCaughtUp(streams, admin, settings.applicationId(), inputTopic, items, () -> true, started, cpu, jit)
          : timeUntilCaughtUp(streams, admin, settings.applicationId(), inputTopic, items, () -> true);
    }
  }

  /**
   * Items per second from the application running to its committed offsets reaching the end of
   * the input and of its own repartition topics, and {@code done} saying so too; and the process's
   * CPU time per item over the same span.
   */
  private Run timeUntilCaughtUp(
      final KafkaStreams streams,
      final Admin admin,
      final String group,
      final String inputTopic,
      final int items,
      final BooleanSupplier done)
      throws InterruptedException {
    return timeUntilCaughtUp(streams, admin, group, inputTopic, items, done, -1, -1, -1);
  }

  /**
   * As {@link #timeUntilCaughtUp(KafkaStreams, Admin, String, String, int, BooleanSupplier)}, but
   * timed from {@code started}, taken before the application started, when it is not negative:
   * with several stream threads the application is RUNNING only once the last of them is, and the
   * first ones have processed items by then (a 4-thread passthrough timed from RUNNING "ran" at
   * 355,000 items/s over 5,000 items); timed from its start, it pays for joining its group.
   */
  private Run timeUntilCaughtUp(
      final KafkaStreams streams,
      final Admin admin,
      final String group,
      final String inputTopic,
      final int items,
      final BooleanSupplier done,
      final long started,
      final long cpuStarted,
      final long jitStarted)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    awaitRunning(streams, group, deadline);
    final long start = started >= 0 ? started : System.nanoTime();
    final long cpuStart = started >= 0 ? cpuStarted : processCpuNanos();
    final long jitStart = started >= 0 ? jitStarted : jitCpuNanos();
    awaitCaughtUp(streams, admin, group, inputTopic, done, deadline, log);
    final double seconds = (System.nanoTime() - start) / 1e9;
    final long cpuEnd = processCpuNanos();
    // A compiler thread that ended during the run takes its time with it: never below zero.
    final double jit = Math.max(0, jitCpuNanos() - jitStart) / 1e3 / items;
    return new Run(items / seconds, cpuStart < 0 || cpuEnd < 0 ? -1 : (cpuEnd - cpuStart) / 1e3 / items - jit, jit);
  }

  /**
   * Waits for the application to run.
   *
   * @param streams the application
   * @param group its id, for the message
   * @param deadline {@link System#nanoTime()} to give up at
   * @throws IllegalStateException if it fails or the deadline passes first
   */
  static void awaitRunning(final KafkaStreams streams, final String group, final long deadline) {
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(group + " did not start: " + streams.state());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /**
   * Waits for the application's committed offsets to reach the end of the input and of its own
   * repartition topics, and for {@code done} to say so too.
   *
   * @param streams the application, running
   * @param admin a client of its broker
   * @param group its id, which is its consumer group's
   * @param inputTopic the topic it reads, of {@link Topics#NEWS_ITEMS}'s partitions
   * @param done what else must hold
   * @param deadline {@link System#nanoTime()} to give up at
   * @param log where progress goes
   * @throws IllegalStateException if it fails or the deadline passes first
   */
  static void awaitCaughtUp(
      final KafkaStreams streams,
      final Admin admin,
      final String group,
      final String inputTopic,
      final BooleanSupplier done,
      final long deadline,
      final PrintWriter log) {
    final List<TopicPartition> input = new ArrayList<>();
    for (int p = 0; p < Topics.NEWS_ITEMS.partitions(); p++) {
      input.add(new TopicPartition(inputTopic, p));
    }
    long total = -1;
    long lastReport = System.nanoTime();
    while (true) {
      // The repartition topics exist once the application runs; they are listed again each time
      // all the same, so that one made later is never missed. Their partitions are read after the
      // input's, in the same request: a repartition's end is read after the input offsets that
      // account for everything written to it were committed.
      final List<TopicPartition> watched = new ArrayList<>(input);
      watched.addAll(repartitions(admin, group));
      // The backlog is published without transactions, so the high watermark and the last stable
      // offset are the same offset; the high watermark is said here because "caught up" means
      // "committed past every record published", whatever a later change to the publisher does.
      // The repartition topics are written in transactions under exactly-once: Kafka Streams
      // commits past the commit markers of what it has read, so their lag reaches 0 too (and so
      // it does on an input a replay wrote in transactions).
      final ConsumerGroupLag lag = ConsumerGroupLag.read(admin, group, watched, LogEnd.HIGH_WATERMARK, Duration.ofSeconds(30));
      final long inputLeft = left(lag.partitions(), inputTopic);
      final long left = left(lag.partitions(), null);
      if (total < 0) {
        total = lag.partitions().stream().filter(p -> p.partition().topic().equals(inputTopic)).mapToLong(ConsumerGroupLag.Partition::end).sum();
      }
      if (left == 0 && done.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
        log.println(
            String.format(
                Locale.ROOT, "  %s: %,d of %,d, %,d record(s) left in its repartition topics", group, total - inputLeft, total, left - inputLeft));
        log.flush();
        lastReport = System.nanoTime();
      }
      if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException(group + " did not catch up: " + streams.state());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** @return CPU time of this process so far, in nanoseconds, or -1 when the JVM cannot tell */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : -1;
  }

  /**
   * @return the CPU time the JIT's compiler threads have used, in nanoseconds: on Linux read from
   *     each thread's {@code /proc/self/task/<tid>/stat} (in clock ticks of 10 ms, Linux's
   *     USER_HZ); elsewhere the JVM's own compilation time, which is the threads' elapsed time
   *     and on a busy machine more than their CPU time, capped at the process's CPU time so far;
   *     0 when neither can tell
   */
  static long jitCpuNanos() {
    final long fromProc = compilerThreadTicks();
    if (fromProc >= 0) {
      return fromProc * TICK_NANOS;
    }
    final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return 0;
    }
    final long elapsed = TimeUnit.MILLISECONDS.toNanos(jit.getTotalCompilationTime());
    final long cpu = processCpuNanos();
    return cpu < 0 ? elapsed : Math.min(elapsed, cpu);
  }

  /** Linux's USER_HZ, the unit of a thread's times in {@code /proc}: 100 ticks a second. */
  private static final long TICK_NANOS = 10_000_000L;

  /** @return the user and system clock ticks of this JVM's C1 and C2 compiler threads, or -1 without {@code /proc} */
  private static long compilerThreadTicks() {
    final Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = 0;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (final Path thread : threads) {
        try {
          final String name = Files.readString(thread.resolve("comm")).strip();
          if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
            continue;
          }
          // After the name in brackets: state (field 3), ..., utime (14), stime (15).
          final String stat = Files.readString(thread.resolve("stat"));
          final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (final IOException | RuntimeException e) {
          // The thread ended while it was read, or its stat is not as Linux writes it: skip it.
        }
      }
    } catch (final IOException e) {
      return -1;
    }
    return ticks;
  }

  private static String describe(final Run run) {
    return String.format(
        Locale.ROOT, "%,.0f items/s, %,.0f µs of CPU per item and %,.0f µs of JIT compiling", run.perSecond(), run.cpuMicrosPerItem(), run.jitMicrosPerItem());
  }

  /**
   * @param partitions the lag of some partitions
   * @param topic the topic to count, or null for all
   * @return records not yet committed in them; a partition not committed yet is behind by all of it
   */
  static long left(final Collection<ConsumerGroupLag.Partition> partitions, final String topic) {
    long left = 0;
    for (final ConsumerGroupLag.Partition p : partitions) {
      if (topic == null || p.partition().topic().equals(topic)) {
        left += p.lag().orElse(p.end());
      }
    }
    return left;
  }

  /**
   * @param topics topic names
   * @param applicationId an application's id
   * @return the names of that application's repartition topics among them, sorted
   */
  static List<String> repartitionTopics(final Collection<String> topics, final String applicationId) {
    return topics.stream().filter(n -> n.startsWith(applicationId + "-") && n.endsWith("-repartition")).sorted().toList();
  }

  /** The partitions of the application's own repartition topics, such as the story step's. */
  private static List<TopicPartition> repartitions(final Admin admin, final String applicationId) {
    try {
      final List<String> names = repartitionTopics(admin.listTopics().names().get(30, TimeUnit.SECONDS), applicationId);
      final List<TopicPartition> partitions = new ArrayList<>();
      if (!names.isEmpty()) {
        admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS)
            .forEach((name, d) -> d.partitions().forEach(p -> partitions.add(new TopicPartition(name, p.partition()))));
      }
      return partitions;
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot list the repartition topics of " + applicationId + ": " + e.getMessage(), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing the repartition topics of " + applicationId, e);
    }
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
