package dev.outpost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.ops.lag.GroupLag;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.PartitionLag;
import dev.outpost.ops.lag.StatusRules;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code outpost lag}: how far behind each consumer group is, in records and seconds, and its status. */
@Command(
    name = "lag",
    mixinStandardHelpOptions = true,
    description = {
      "Show consumer lag per group, topic and partition: committed offset, log-end offset, lag in",
      "records and in seconds, and a status (OK, WARNING, STALL, STOP, REWIND, ERROR) judged over a",
      "sliding window of samples. With --watch, samples again every --interval until Ctrl-C."
    })
public final class LagCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(names = "--group", paramLabel = "GROUP", description = "Only this group; repeatable. Default: every consumer group.")
  private List<String> groups = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per group and sample.")
  private boolean json;

  @Option(names = "--watch", description = "Keep sampling and printing until Ctrl-C.")
  private boolean watch;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", description = "Time between samples with --watch. Default: ${DEFAULT-VALUE}.")
  private String interval;

  @Option(names = "--window", paramLabel = "N", defaultValue = "10", description = "Samples the status is judged over. Default: ${DEFAULT-VALUE}.")
  private int window;

  @Option(names = "--min-samples", paramLabel = "N", defaultValue = "3", description = "Samples needed to call a trend (WARNING, STALL). Default: ${DEFAULT-VALUE}.")
  private int minSamples;

  @Override
  public Integer call() throws Exception {
    final StatusRules rules;
    try {
      rules = new StatusRules(window, minSamples);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --window/--min-samples: " + e.getMessage(), e);
    }
    final Duration every = Durations.parse("--interval", interval);
    final ResolvedConfig config = cluster.resolve(root.env());
    final PrintWriter out = spec.commandLine().getOut();
    final ObjectMapper mapper = new ObjectMapper();
    final CountDownLatch stopped = new CountDownLatch(1);
    final Thread hook = new Thread(stopped::countDown, "outpost-lag-stop");
    if (watch) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try (LagMonitor monitor = new LagMonitor(config.kafkaProperties(), rules, root.clock())) {
      do {
        final List<GroupLag> lags;
        try {
          lags = monitor.sample(groups);
        } catch (final IllegalStateException e) {
          throw new UserException(e.getMessage() + ": is Kafka at " + config.kafkaProperties().get("bootstrap.servers") + " running?", e);
        }
        for (final GroupLag g : lags) {
          if (json) {
            out.println(mapper.writeValueAsString(g));
          } else {
            print(out, g);
          }
        }
        if (lags.isEmpty() && !json) {
          out.println("No consumer groups" + (groups.isEmpty() ? "" : " named " + groups));
        }
        out.flush();
      } while (watch && !stopped.await(every.toMillis(), TimeUnit.MILLISECONDS));
    }
    return Outpost.EXIT_OK;
  }

  private static void print(final PrintWriter out, final GroupLag g) {
    out.printf(
        Locale.ROOT,
        "%s  %s  %s, %d member(s), lag %,d records, %.1f s%n",
        g.group(),
        g.status(),
        g.state(),
        g.members(),
        g.lagRecords(),
        g.lagSeconds());
    out.printf(Locale.ROOT, "  %-36s %5s %12s %12s %10s %9s  %s%n", "TOPIC", "PART", "COMMITTED", "END", "LAG", "LAG_S", "STATUS");
    for (final PartitionLag p : g.partitions()) {
      out.printf(
          Locale.ROOT,
          "  %-36s %5d %12s %12d %10d %9.1f  %s%n",
          p.topic(),
          p.partition(),
          p.committed() < 0 ? "-" : Long.toString(p.committed()),
          p.end(),
          p.lagRecords(),
          p.lagSeconds(),
          p.status());
    }
  }
}
