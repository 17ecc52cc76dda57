package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
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
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost subscribe}: prints the alerts that match a filter, as JSON or text, in its own
 * consumer group; offsets are committed only after the alerts are printed.
 */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
      "Print the alerts that match a filter, as they arrive.",
      "Reads only the alert topics the filter needs, in its own consumer group, and commits only",
      "what it has printed: run it again with the same --group and it resumes where it stopped."
    })
public final class SubscribeCommand implements Callable<Integer> {

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
        "alerts timed at or after it (alerts are timed by their item's publication).",
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
    final PrintWriter out = spec.commandLine().getOut();
    final AtomicBoolean stopped = new AtomicBoolean();
    final Thread hook = new Thread(() -> stopped.set(true), "outpost-subscribe-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (SchemaRegistryClient registry = config.newRegistryClient();
        AlertSubscriber subscriber =
            new AlertSubscriber(config.kafkaProperties(), registry, group, filter, position, namespace)) {
      subscriber.run(
          alert -> {
            out.println(format == Format.json ? AvroJson.toJsonLine(alert) : AlertText.format(alert));
            out.flush();
          },
          maxAlerts == null ? 0 : maxAlerts,
          idle,
          stopped::get);
      return Outpost.EXIT_OK;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (final IllegalStateException e) {
        // Shutting down already.
      }
    }
  }
}
