package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.TopicTailer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code outpost tail}: prints a topic's records as JSON, one per line. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print the records of a topic as JSON, one per line, until Ctrl-C.",
      "Avro values are decoded through the schema registry; the dead-letter topic shows",
      "headers and Base64 bytes; subscriptions, no secret and no URL credentials or query.",
      "Reads without a consumer group and commits nothing."
    })
public final class TailCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "A topic of the catalog, e.g. news.items.v1.")
  private String topicName;

  @Option(
      names = "--from-beginning",
      description = "Start from the oldest record instead of waiting for new ones.")
  private boolean fromBeginning;

  @Option(
      names = {"-n", "--max-messages"},
      paramLabel = "N",
      description = "Exit after N records.")
  private long maxMessages;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      description = "Exit when no record arrived for this long, e.g. 10s or 1m.")
  private String idleTimeout;

  @Override
  public Integer call() {
    final TopicSpec<?, ?> topic =
        Topics.byName(topicName)
            .orElseThrow(
                () ->
                    new UserException(
                        "Unknown topic '"
                            + topicName
                            + "': tail one of "
                            + String.join(", ", CatalogTopics.names(Topics.PIPELINE))));
    if (maxMessages < 0) {
      throw new UserException("--max-messages must be 0 or more, got " + maxMessages);
    }
    final Duration idle = idleTimeout == null ? null : Durations.parse("--idle-timeout", idleTimeout);
    final ResolvedConfig config = cluster.resolve(root.env());
    // Records of raw bytes (the dead letters) are shown without the registry.
    if (topic.valueType() == byte[].class) {
      Reachability.requireKafka(config);
    } else {
      Reachability.requireKafkaAndRegistry(config);
    }
    TopicAdmin.requireTopics(config.kafkaProperties(), List.of(topic.name()));
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    try (SchemaRegistryClient registry = config.newRegistryClient();
        TopicTailer tailer =
            new TopicTailer(
                topic,
                TopicAdmin.withReachTimeout(config.kafkaProperties()),
                registry,
                fromBeginning ? TopicTailer.Start.BEGINNING : TopicTailer.Start.END,
                Map.of())) {
      final Thread stopOnSignal = new Thread(tailer::stop, "outpost-tail-shutdown");
      Runtime.getRuntime().addShutdownHook(stopOnSignal);
      try {
        tailer.run(
            maxMessages,
            idle,
            json -> {
              out.println(json);
              out.flush();
            },
            message -> {
              err.println("outpost: " + message);
              err.flush();
            });
      } finally {
        removeHook(stopOnSignal);
      }
    }
    return Outpost.EXIT_OK;
  }

  private static void removeHook(final Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (final IllegalStateException e) {
      // The JVM is already shutting down; the hook is running or has run.
    }
  }
}
