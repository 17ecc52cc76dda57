package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.clients.ConsumerGroupLag;
import dev.outpost.clients.LogEnd;
import dev.outpost.cli.config.Settings;
import dev.outpost.model.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost reset}: makes the pipeline reprocess its input from a point in time. With the
 * pipeline stopped, it moves the application's committed input offsets to the first records at or
 * after the time, deletes its internal topics (the dedupe store's changelog, so reprocessed items
 * are not dropped as repeats) and its local state. {@code --dry-run} shows all of it and changes
 * nothing.
 */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Reprocess the pipeline's input from a point in time. Stop every 'outpost run' of the",
      "application first. Moves the input offsets of --application-id to the first records written",
      "at or after --to-datetime, deletes its internal topics and its local state in --state-dir.",
      "With --dry-run, shows what would change and changes nothing."
    })
public final class ResetCommand implements Callable<Integer> {

  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private PipelineOptions pipelineOptions;

  @Option(names = "--to-datetime", required = true, paramLabel = "TIME", description = "An ISO-8601 time such as 2026-11-28T09:00:00Z.")
  private String toDatetime;

  @Option(names = "--dry-run", description = "Show what would change; change nothing.")
  private boolean dryRun;

  @Override
  public Integer call() throws Exception {
    final Instant to;
    try {
      to = Instant.parse(toDatetime);
    } catch (final DateTimeParseException e) {
      throw new UserException("Invalid --to-datetime '" + toDatetime + "': use an ISO-8601 time such as 2026-11-28T09:00:00Z", e);
    }
    final ResolvedConfig config = cluster.resolve(root.env(), pipelineOptions.flags());
    final String app = config.get(Settings.APPLICATION_ID);
    final Path state = Path.of(config.get(Settings.STATE_DIR)).resolve(app);
    final PrintWriter out = spec.commandLine().getOut();
    try (Admin admin = Admin.create(config.kafkaProperties())) {
      final ConsumerGroupDescription group;
      try {
        group = admin.describeConsumerGroups(List.of(app)).all().get(15, TimeUnit.SECONDS).get(app);
      } catch (final java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof GroupIdNotFoundException) {
          throw new UserException("No application '" + app + "' has run on this cluster: nothing to reset");
        }
        throw e;
      }
      if (!group.members().isEmpty()) {
        throw new UserException(
            "Application '" + app + "' is running (" + group.members().size() + " member(s)): stop every 'outpost run' of it, then reset");
      }
      final String input = Topics.NEWS_ITEMS.name();
      final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      admin.describeTopics(List.of(input)).allTopicNames().get(15, TimeUnit.SECONDS).get(input).partitions()
          .forEach(p -> request.put(new TopicPartition(input, p.partition()), OffsetSpec.forTimestamp(to.toEpochMilli())));
      final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> atTime = admin.listOffsets(request).all().get(15, TimeUnit.SECONDS);
      // The end is the high watermark, as it always was here, and at the same isolation level as
      // the time lookup above (read_uncommitted): the end is the target only when no record at all,
      // an open transaction's included, is at or after the time, so every record below the high
      // watermark is older than the time and none of them is to be reprocessed.
      final ConsumerGroupLag lag = ConsumerGroupLag.read(admin, app, request.keySet(), LogEnd.HIGH_WATERMARK, TIMEOUT);
      final Map<TopicPartition, Long> end = new HashMap<>();
      final Map<TopicPartition, OptionalLong> current = new HashMap<>();
      for (final ConsumerGroupLag.Partition p : lag.partitions()) {
        end.put(p.partition(), p.end());
        current.put(p.partition(), p.committed());
      }
      final Map<TopicPartition, OffsetAndMetadata> target = new TreeMap<>(Comparator.comparing(TopicPartition::toString));
      for (final TopicPartition tp : request.keySet()) {
        final long offset = atTime.get(tp).offset() >= 0 ? atTime.get(tp).offset() : end.get(tp);
        target.put(tp, new OffsetAndMetadata(offset));
      }
      final Set<String> all = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      final List<String> internal = new ArrayList<>();
      for (final String topic : all) {
        if (topic.startsWith(app + "-") && (topic.endsWith("-changelog") || topic.endsWith("-repartition"))) {
          internal.add(topic);
        }
      }
      internal.sort(String::compareTo);
      out.printf("%s application %s to %s%n", dryRun ? "Would reset" : "Resetting", app, to);
      for (final Map.Entry<TopicPartition, OffsetAndMetadata> e : target.entrySet()) {
        final OptionalLong now = current.get(e.getKey());
        out.printf("  %s: offset %s -> %d%n", e.getKey(), now.isEmpty() ? "none" : Long.toString(now.getAsLong()), e.getValue().offset());
      }
      out.printf("  internal topics to delete: %s%n", internal.isEmpty() ? "none" : String.join(", ", internal));
      out.printf("  local state to delete: %s%s%n", state.toAbsolutePath(), Files.exists(state) ? "" : " (absent)");
      if (dryRun) {
        out.println("Dry run: nothing changed.");
        out.flush();
        return Outpost.EXIT_OK;
      }
      admin.alterConsumerGroupOffsets(app, target).all().get(15, TimeUnit.SECONDS);
      if (!internal.isEmpty()) {
        admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
      }
      deleteTree(state);
      out.printf("Reset %s: the next 'outpost run' reprocesses %s from %s%n", app, input, to);
      out.flush();
    }
    return Outpost.EXIT_OK;
  }

  private static void deleteTree(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot delete the local state in " + dir, e);
    }
  }
}
