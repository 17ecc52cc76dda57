package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.KafkaAccess;
import dev.outpost.cli.internal.NewsFileReader;
import dev.outpost.cli.internal.NewsPublisher;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code outpost publish}: reads news items from a file and publishes them to news.items.v1. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish news items from a file to news.items.v1.",
      "Items go out as Avro through the schema registry.",
      "JSON Lines: one object per line with title (required), body, id, source, url, language,",
      "publishedAt. Plain text: one article, title on the first line (or a 'Title:' header).",
      "The whole file is checked first; if any line is bad, nothing is published."
    })
public final class PublishCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE",
      description = "The file to publish.")
  private Path input;

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "FORMAT",
      description = "auto, jsonl or text. Default: ${DEFAULT-VALUE} (from the file name, then the content).")
  private NewsFileReader.Format format;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "Source of items that don't name one. Default: the file name.")
  private String source;

  @Override
  public Integer call() {
    final List<NewsItem> items =
        new NewsFileReader(root.clock())
            .read(input, format, source != null ? source : input.getFileName().toString());
    final ResolvedConfig config = cluster.resolve(root.env());
    KafkaAccess.requireTopics(config.kafkaProperties(), List.of(Topics.NEWS_ITEMS));
    final var err = spec.commandLine().getErr();
    final int every = Math.max(1, items.size() / 10);
    try (SchemaRegistryClient registry = config.newRegistryClient();
        NewsPublisher publisher = new NewsPublisher(config.kafkaProperties(), registry)) {
      publisher.publish(
          items,
          done -> {
            if (items.size() > 20 && (done % every == 0 || done == items.size())) {
              err.printf("published %d/%d%n", done, items.size());
              err.flush();
            }
          });
    }
    spec.commandLine()
        .getOut()
        .printf("Published %d item(s) from %s to %s%n", items.size(), input, Topics.NEWS_ITEMS.name());
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }
}
