package dev.outpost.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.ClientsException;
import dev.outpost.ops.lag.GroupLag;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.PartitionLag;
import dev.outpost.ops.lag.StatusRules;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
      "records (transaction markers are not records) and in seconds since the first unread record",
      "arrived, and a status (OK, WARNING, STALL, STOP, REWIND, ERROR) judged over a sliding window of",
      "samples, with the rule that set it. With --watch, samples again every --interval until Ctrl-C,",
      "with each group's drain rate and time to catch up; groups empty for --empty-age, or whose topics",
      "were deleted, leave the report."
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

  @Option(
      names = "--empty-age",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "With --watch, a group without members or commits for this long leaves the report. Default: ${DEFAULT-VALUE}.")
  private String emptyAge;

  @Override
  public Integer call() throws Exception {
    final Duration every = Durations.parse("--interval", interval);
    final StatusRules rules;
    try {
      rules = new StatusRules(window, minSamples, Durations.parse("--empty-age", emptyAge));
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --window/--min-samples/--empty-age: " + e.getMessage(), e);
    }
    final ResolvedConfig config = cluster.resolve(root.env());
    Reachability.requireKafka(config);
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final ObjectMapper mapper = new ObjectMapper();
    // As every command that runs until a signal: the monitor is closed before the JVM ends, and
    // the hook goes with the command (also when it returns early).
    try (SignalStop stop = SignalStop.install("outpost-lag-stop", "the lag monitor");
        LagMonitor monitor = new LagMonitor(config.kafkaProperties(), rules, root.clock())) {
      final CountDownLatch stopped = stop.latch();
      boolean first = true;
      do {
        final List<GroupLag> lags;
        try {
          lags = monitor.sample(groups);
        } catch (final ClientsException e) {
          // Out of reach or refused: one line, and on the first sample the end of the command.
          err.println("outpost: " + e.getMessage());
          err.flush();
          if (first) {
            return Outpost.EXIT_FAILURE;
          }
          continue;
        }
        first = false;
        for (final GroupLag g : lags) {
          if (json) {
            out.println(mapper.writeValueAsString(g));
          } else {
            print(out, g);
          }
        }
        if (!json) {
          if (lags.isEmpty()) {
            out.println("No consumer groups" + (groups.isEmpty() ? "" : " named " + groups));
          }
          for (final Map.Entry<String, String> gone : monitor.agedOut().entrySet()) {
            out.printf(Locale.ROOT, "%s  aged out: %s%n", gone.getKey(), gone.getValue());
          }
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
    out.printf(Locale.ROOT, "  why: %s%n", g.reason());
    if (g.trend().size() > 1) {
      final String direction = g.drainRate() > 0 ? "shrinking" : g.drainRate() < 0 ? "growing" : "steady";
      out.printf(
          Locale.ROOT,
          "  trend: lag %s, %.1f records/s over %d samples%s%n",
          direction,
          Math.abs(g.drainRate()),
          g.trend().size(),
          g.lagRecords() == 0 || g.catchUpSeconds() == null ? "" : ", caught up in about " + seconds(g.catchUpSeconds()));
    }
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

  /** Seconds as people say them: {@code 45s}, {@code 12m}, {@code 3h}. */
  private static String seconds(final double s) {
    if (s < 120) {
      return Math.round(s) + "s";
    }
    if (s < 7_200) {
      return Math.round(s / 60) + "m";
    }
    return Math.round(s / 3_600) + "h";
  }
}
