package dev.outpost.cli;

import dev.outpost.bench.pipeline.BenchmarkCorpus;
import dev.outpost.bench.pipeline.BenchmarkDirectory;
import dev.outpost.bench.pipeline.BenchmarkItems;
import dev.outpost.bench.pipeline.PipelineBenchmark;
import dev.outpost.bench.pipeline.ReplayBenchmark;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.internal.DemoFeed;
import dev.outpost.cli.internal.LocalStack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code outpost bench}: pipeline throughput without and with stories against a passthrough
 * baseline, and publish-to-alert latency at a fixed rate, on the embedded broker. The last line is
 * {@code pipeline/baseline 0.xx}, the pipeline with stories; the line before it, {@code stories
 * on/off 0.xx}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the pipeline on an embedded broker and registry.",
      "",
      "Publishes --items items of the --corpus and counts the share the classifier labels: only"
          + " those reach the story step. After an untimed warm-up on half as many other items"
          + " (1,000 to 50,000), times, --rounds times, a passthrough topology with the same Avro"
          + " serdes and guarantee (the baseline), and the Outpost topology over the same items"
          + " without and with its story step, in alternating order; an Outpost run is done when"
          + " its alerts are out of the story step. Then times publish-to-alert latency at a fixed"
          + " --rate, stories on.",
      "",
      "Prints the throughputs and the process's CPU time per item, JIT compiling left out (means"
          + " over the rounds), each round's, latency p50/p99/max, 'stories on/off 0.xx' and, last,"
          + " 'pipeline/baseline 0.xx' (stories on); each ratio is the mean of the rounds' ratios."
          + " Takes a few minutes at the defaults.",
      "",
      "With --threads 1,2,4: times, --rounds times for each count of stream threads, the baseline"
          + " and the pipeline with stories, both with that many threads, each timed from its start"
          + " (joining its group included, so use enough --items); prints a line per count"
          + " with both throughputs, their ratio and the pipeline's speed-up over the first count,"
          + " and, last, 'pipeline/baseline' at each count.",
      "",
      "With --replay: writes an archive of --items items of the --corpus as"
          + " daily Avro files and times replaying it into a namespace (send only), then, after an"
          + " untimed warm-up replaying half as many other items (1,000 to 50,000) into a namespace"
          + " of their own, classified, the replay into another namespace whose pipeline classifies"
          + " it into that namespace's alerts as it arrives: timed from the pipeline running (its"
          + " start-up is printed apart) until its committed offsets reach the end of its input and"
          + " repartition topics; against one producer publishing the same items, before and after"
          + " the replays. The last lines are 'replay/produce 0.xx' (send only) and, last,"
          + " 'classified replay/produce 0.xx'."
    })
public final class BenchCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--items", paramLabel = "N", description = "Items for the throughput and replay runs. Default: 1000000 with the feeds corpus, 200000 with the samples.")
  private Integer itemsGiven;

  @Option(
      names = "--corpus",
      paramLabel = "CORPUS",
      defaultValue = "feeds",
      description = {
        "feeds: whole items of real general-news feeds of many outlets and languages, every item"
            + " kept, so as few are labelled as in a subscriber's feeds (a few percent).",
        "samples: 1-3 KB items assembled from the bundled samples, nearly all labelled, several"
            + " times over: the story step's worst case.",
        "Default: ${DEFAULT-VALUE}."
      })
  private String corpusName;

  @Option(names = "--replay", description = "Measure replaying an archive instead of the pipeline.")
  private boolean replay;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "2",
      description = "Rounds of baseline, pipeline without and with stories, the order alternating. Default: ${DEFAULT-VALUE}.")
  private int rounds;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "2000", description = "Items per second during the latency run. Default: ${DEFAULT-VALUE}.")
  private int rate;

  @Option(
      names = "--latency-duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How long to publish during the latency run. Default: ${DEFAULT-VALUE}.")
  private String latencyDuration;

  @Option(names = "--num-stream-threads", paramLabel = "N", description = "Stream threads of each topology. Default: 1.")
  private Integer streamThreadsGiven;

  @Option(
      names = "--threads",
      paramLabel = "N[,N...]",
      description = "Measure the pipeline's scaling: for each count of stream threads (1 to 6, the input topic's partitions), such as 1,2,4, the baseline and the pipeline with stories, both with that many threads. No latency run.")
  private String threadCounts;

  @Option(
      names = "--processing-guarantee",
      paramLabel = "GUARANTEE",
      defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 or at_least_once, for every topology; at_least_once runs the Outpost topology without deduplication. Default: ${DEFAULT-VALUE}.")
  private String guarantee;

  @Option(
      names = "--dedupe-window",
      paramLabel = "DURATION",
      description = "The pipeline's dedupe window, as the run command's --dedupe-window (12h, 7d); 0 runs the pipeline without its dedupe step, to see what that step costs. Default: 7d, or 0 with at_least_once.")
  private String dedupeWindowGiven;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the broker keeps its data; deleted afterwards. Default: a new temporary directory.")
  private Path dataDir;

  /**
   * @param corpus the corpus's name
   * @return the items a run takes unless --items says otherwise: the samples, each labelled several
   *     times over, cost several times what feed items do, in the pipeline's runs as in a classified
   *     replay
   */
  static int defaultItems(final String corpus) {
    return corpus.equals("feeds") ? 1_000_000 : 200_000;
  }

  /**
   * @return the dedupe window of the pipeline's runs: the one given, else the pipeline's default
   *     under exactly-once and none under at-least-once
   * @throws UserException for a window that is not a duration, one given with --replay, or one
   *     other than 0 with at_least_once
   */
  private Duration dedupeWindow() {
    if (dedupeWindowGiven == null) {
      return PipelineBenchmark.Options.defaultDedupeWindow(guarantee);
    }
    if (replay) {
      throw new UserException("--dedupe-window sets the pipeline's runs, not the replay's: leave it out with --replay");
    }
    final Duration window = dedupeWindowGiven.trim().equals("0") ? Duration.ZERO : Durations.parse("--dedupe-window", dedupeWindowGiven);
    if (guarantee.equals("at_least_once") && !window.isZero()) {
      throw new UserException(
          "Invalid --dedupe-window " + dedupeWindowGiven + " with at_least_once: only exactly_once_v2 deduplicates; give 0 or leave it out");
    }
    return window;
  }

  @Override
  public Integer call() throws Exception {
    LocalStack.requireInstalled("bench");
    final int items = itemsGiven != null ? itemsGiven : defaultItems(corpusName);
    if (items < 1000) {
      throw new UserException("Invalid --items " + items + ": use at least 1000 for a meaningful figure");
    }
    if (rounds < 1 || rounds > 20) {
      throw new UserException("Invalid --rounds " + rounds + ": use 1 to 20");
    }
    if (rate < 1 || rate > 100_000) {
      throw new UserException("Invalid --rate " + rate + ": use 1 to 100000 items per second");
    }
    final int streamThreads = streamThreadsGiven != null ? streamThreadsGiven : 1;
    if (streamThreads < 1 || streamThreads > 64) {
      throw new UserException("Invalid --num-stream-threads " + streamThreads + ": use 1 to 64");
    }
    List<Integer> threads = null;
    if (threadCounts != null) {
      if (replay || streamThreadsGiven != null) {
        throw new UserException("--threads measures the pipeline with each count of threads it gives: leave out " + (replay ? "--replay" : "--num-stream-threads"));
      }
      try {
        threads = PipelineBenchmark.parseThreadCounts(threadCounts);
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid --threads '" + threadCounts + "': " + e.getMessage());
      }
    }
    if (!guarantee.equals("exactly_once_v2") && !guarantee.equals("at_least_once")) {
      throw new UserException("Invalid --processing-guarantee '" + guarantee + "': use exactly_once_v2 or at_least_once");
    }
    if (!BenchmarkCorpus.NAMES.contains(corpusName)) {
      throw new UserException("Invalid --corpus '" + corpusName + "': use feeds or samples");
    }
    final Duration dedupeWindow = dedupeWindow();
    final Duration latency = Durations.parse("--latency-duration", latencyDuration);
    if (latency.toSeconds() < 1) {
      throw new UserException("Invalid --latency-duration " + latencyDuration + ": use at least 1s");
    }
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final List<String[]> excerpts = BenchmarkItems.excerpts(BenchCommand.class.getClassLoader(), DemoFeed.FEED_SAMPLE);
    try (BenchmarkDirectory directory = BenchmarkDirectory.of(dataDir)) {
      final Path dir = directory.path();
      final BenchmarkCorpus corpus = BenchmarkCorpus.named(corpusName, BenchCommand.class.getClassLoader(), excerpts);
      if (replay) {
        new ReplayBenchmark(new ReplayBenchmark.Options(items, dir), corpus, err).run().print(out, items, corpus.describe());
        return Outpost.EXIT_OK;
      }
      final PipelineBenchmark.Options options =
          new PipelineBenchmark.Options(items, rate, latency, streamThreads, guarantee, dir, rounds, dedupeWindow);
      final PipelineBenchmark benchmark = new PipelineBenchmark(options, corpus, err);
      if (threads != null) {
        benchmark.scale(threads).print(out, items, corpus.describe(), options.describeGuarantee(), rounds);
        return Outpost.EXIT_OK;
      }
      final PipelineBenchmark.Result r = benchmark.run();
      r.print(out, items, corpus.describe(), options.describeGuarantee(), streamThreads, rate);
      return Outpost.EXIT_OK;
    }
  }
}
