package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.AlertSubscriber;
import dev.outpost.subscribers.AlertText;
import dev.outpost.subscribers.AvroJson;
import dev.outpost.subscribers.Position;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost subscribe}: prints the alerts that match a filter, as JSON or text, in its own
 * consumer group; offsets are committed only after the alerts are printed, which means flushed to
 * an output that reported no error. When the output fails (its reader closed the pipe), the run
 * stops with {@value #EXIT_OUTPUT_CLOSED} and the alert it could not print stays uncommitted.
 */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
      "Print the alerts that match a filter, as they arrive.",
      "Reads only the alert topics the filter needs, in its own consumer group, and commits only",
      "what it has printed: run it again with the same --group and it resumes where it stopped.",
      "When the output is closed (say, piped to 'head -1'), it stops quietly with exit status 141,",
      "and an alert it could not print is left for the next run."
    })
public final class SubscribeCommand implements Callable<Integer> {

  /**
   * The exit status when whoever reads the output stops reading: 128 + SIGPIPE's number, the
   * status a shell shows for a tool the closed pipe stopped.
   */
  static final int EXIT_OUTPUT_CLOSED = 141;

  /** The output cannot be written any more; the alert being printed was not. */
  private static final class OutputClosed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutputClosed() {
      super("the output was closed", null, false, false);
    }
  }

  /** The output formats. */
  enum Format {
    json,
    text
  }

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Mixin private FilterOptions filterOptions;

  @Option(
      names = "--from",
      paramLabel = "earliest|latest|TIME",
      description = {
        "Where to start: earliest, latest, or an ISO-8601 time (2026-11-28T09:00:00Z), the first",
        "alerts classified at or after it, whenever their news happened (a replay's alerts of",
        "old news are found by when they were classified).",
        "Default: where the group stopped; the latest alerts for a new group."
      })
  private String from;

  @Option(
      names = "--format",
      paramLabel = "json|text",
      defaultValue = "json",
      description = "One JSON object per line, or text for people. Default: ${DEFAULT-VALUE}.")
  private Format format;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      defaultValue = "outpost-subscribe",
      description = "Consumer group; the same group resumes where it stopped. Default: ${DEFAULT-VALUE}.")
  private String group;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Read the alerts a replay wrote into namespace NAME (NAME.alerts.*.v1) instead of the live ones.")
  private String namespace;

  @Option(names = {"-n", "--max-alerts"}, paramLabel = "N", description = "Exit after printing N alerts.")
  private Long maxAlerts;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Exit when no alert has arrived for this long (10s, 1m). Default: run until Ctrl-C.")
  private String idleTimeout;

  @Override
  public Integer call() {
    final AlertFilter filter = filterOptions.filter();
    final Position position;
    try {
      position = from == null ? Position.COMMITTED : Position.parse(from);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid --from: " + e.getMessage(), e);
    }
    if (namespace != null) {
      try {
        Topics.requireNamespace(namespace);
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid --namespace: " + e.getMessage(), e);
      }
    }
    if (group.isBlank()) {
      throw new UserException("Invalid --group: give a consumer group name");
    }
    if (maxAlerts != null && maxAlerts < 1) {
      throw new UserException("Invalid --max-alerts " + maxAlerts + ": use 1 or more");
    }
    final Duration idle = idleTimeout == null ? null : Durations.parse("--idle-timeout", idleTimeout);
    final ResolvedConfig config = cluster.resolve(root.env());
    Reachability.requireKafkaAndRegistry(config);
    final PrintWriter out = spec.commandLine().getOut();
    // A signal stops the loop between polls; what was printed is then committed, and the hook
    // waits for that.
    final SignalStop stop = SignalStop.install("outpost-subscribe-stop", "the subscriber");
    try (SchemaRegistryClient registry = config.newRegistryClient();
        AlertSubscriber subscriber =
            new AlertSubscriber(config.kafkaProperties(), registry, group, filter, position, namespace)) {
      subscriber.run(
          alert -> {
            out.println(format == Format.json ? AvroJson.toJsonLine(alert) : AlertText.format(alert));
            // A PrintWriter keeps write errors to itself: a reader that went away (a closed pipe,
            // 'subscribe | head -1') shows only here. checkError() flushes first, so an alert
            // that passes was handed to the reader; one that fails is not committed.
            if (out.checkError()) {
              throw new OutputClosed();
            }
          },
          maxAlerts == null ? 0 : maxAlerts,
          idle,
          stop::signalled);
      return Outpost.EXIT_OK;
    } catch (final OutputClosed e) {
      // Expected whenever the reader has had enough: no message, as a shell tool would.
      return EXIT_OUTPUT_CLOSED;
    } finally {
      stop.close();
    }
  }
}
