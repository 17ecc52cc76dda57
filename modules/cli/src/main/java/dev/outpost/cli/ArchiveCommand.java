package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.ArchiveJob;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost archive}: writes a topic to Avro container files, one per day of event time, so
 * history outlives the topic's retention. Each run appends what arrived since the last one, every
 * record exactly once: {@link ArchiveJob} commits the files and the offsets they cover
 * together, in batches, and a run after a crash first cuts the files back to the last commit. A
 * record whose schema the registry cannot give now stops the run (exit 1) rather than being
 * skipped.
 */
@Command(
    name = "archive",
    mixinStandardHelpOptions = true,
    description = {
      "Write a topic (news.items.v1 by default) to Avro container files under --out, one per day of",
      "event time (publishedAt, else the record's timestamp), with the schema embedded and deflate",
      "compression. Reads what is there when it starts and exits. Every record lands once: the files",
      "and the offsets they cover are committed together (DIR/<topic>/.archive-position), and a run",
      "after a crash or a kill first cuts the files back to the last commit. If the schema registry",
      "does not answer, it stops (exit 1) with what it archived so far kept; run it again later."
    })
public final class ArchiveCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "news.items.v1", description = "The topic to archive. Default: ${DEFAULT-VALUE}.")
  private String topic;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the files go: DIR/<topic>/<yyyy-mm-dd>.avro.")
  private Path out;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "outpost-archive", description = "Consumer group the progress is also committed to (for lag), and read from when DIR has no position yet. Default: ${DEFAULT-VALUE}.")
  private String group;

  @Override
  public Integer call() throws IOException {
    final TopicSpec<?, ?> spec0 =
        Topics.byName(topic)
            .orElseThrow(() -> new UserException("Unknown topic '" + topic + "'; archive one of the catalog's: " + CatalogTopics.names(Topics.PIPELINE)));
    if (spec0.valueType() == byte[].class) {
      throw new UserException("Topic '" + topic + "' holds raw bytes, not Avro records; archive one of " + CatalogTopics.names(Topics.PIPELINE.stream().filter(t -> t.valueType() != byte[].class).toList()));
    }
    final ResolvedConfig config = cluster.resolve(root.env());
    Reachability.requireKafkaAndRegistry(config);
    TopicAdmin.requireTopics(config.kafkaProperties(), List.of(spec0.name()));
    final PrintWriter err = spec.commandLine().getErr();
    final ArchiveJob job =
        new ArchiveJob(
            spec0,
            out,
            line -> {
              err.println("outpost: " + line);
              err.flush();
            });
    // A signal stops the run after the current poll, with what it archived committed; the hook
    // waits for that, and a stop that takes too long is cut short as a kill would, which the next
    // run repairs by cutting the files back to the last commit.
    final SignalStop stop = SignalStop.install("outpost-archive-stop", "the archive");
    try {
      final long total;
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        total =
            job.run(
                config.kafkaProperties(),
                group,
                registry,
                stop.latch(),
                archived -> {
                  err.printf("archived %,d record(s)%n", archived);
                  err.flush();
                });
      }
      spec.commandLine()
          .getOut()
          .printf(
              "%s %d record(s) of %s to %s%s%n",
              stop.signalled() ? "Stopped after archiving" : "Archived",
              total,
              topic,
              job.directory(),
              stop.signalled() ? "; run the same command again to go on" : "");
      spec.commandLine().getOut().flush();
      return Outpost.EXIT_OK;
    } finally {
      stop.close();
    }
  }
}
