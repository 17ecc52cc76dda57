package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.ItemSizeLimit;
import dev.outpost.ingest.NewsFileReader;
import dev.outpost.ingest.NewsPublisher;
import dev.outpost.ingest.ParsedItems;
import dev.outpost.ingest.feed.FeedFetcher;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.model.net.Urls;
import dev.outpost.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost publish}: reads news items from a file or URL (JSON Lines, a plain-text article,
 * RSS or Atom) and publishes them to news.items.v1.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish news items from a file or an http(s) URL to news.items.v1, as Avro through the",
      "schema registry, with an idempotent, zstd-compressed producer.",
      "JSON Lines: one object per line with title (required), body, id, source, url, language,",
      "publishedAt. Plain text: one article, title on the first line (or a 'Title:' header).",
      "RSS or Atom: one item per entry, its id from the GUID or link, publishedAt from the feed.",
      "Bad entries are reported with their position and skipped; with --strict, any bad entry",
      "stops everything before anything is published. An item whose record would be too large",
      "for the producer's max.request.size or the topics' max.message.bytes (less 64 KiB kept for",
      "what the pipeline adds) is a bad entry too.",
      "A file or URL body over --max-input-bytes is refused before it is read."
    })
public final class PublishCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private OutboundOptions outbound;
  @Mixin private InputOptions inputOptions;

  @Option(
      names = {"-i", "--input"},
      required = true,
      paramLabel = "FILE|URL",
      description = "The file, or http(s) URL, to publish. A URL at an internal address, or redirecting to one, is refused unless --outbound-allow names it.")
  private String input;

  @Option(
      names = "--format",
      defaultValue = "auto",
      paramLabel = "FORMAT",
      description = "auto, jsonl, text or feed (RSS or Atom). Default: ${DEFAULT-VALUE} (from the name, then the content).")
  private NewsFileReader.Format format;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "Source of items that don't name one. Default: the feed's title, else the file name.")
  private String source;

  @Option(names = "--strict", description = "Publish nothing if any entry is bad.")
  private boolean strict;

  @Override
  public Integer call() {
    final ResolvedConfig config = cluster.resolve(root.env(), inputOptions.flags(), outbound.flags());
    final InputLimit limit = InputOptions.limit(config);
    final boolean remote = input.startsWith("http://") || input.startsWith("https://");
    // A URL may carry credentials or a token: it is shown, and becomes items' source, without them.
    final String shown = remote ? Urls.redact(input) : input;
    final String name = remote ? shown : Path.of(input).getFileName().toString();
    final ParsedItems parsed;
    if (remote) {
      final FeedFetcher.Response response = FeedFetcher.getOk(input, OutboundOptions.policy(config), limit);
      parsed =
          new NewsFileReader(root.clock())
              .parseAll(shown, response.body(), response.contentType(), format, source != null ? source : name);
    } else {
      parsed =
          new NewsFileReader(root.clock())
              .parseAll(shown, NewsFileReader.readBytes(Path.of(input), limit), null, format, source != null ? source : name);
    }
    final var err = spec.commandLine().getErr();
    if (strict && !parsed.problems().isEmpty()) {
      throw new UserException(NewsFileReader.report(shown, parsed.problems(), ", nothing was published (--strict)"));
    }
    final List<String> problems = new ArrayList<>(parsed.problems());
    final List<NewsItem> items = new ArrayList<>();
    if (!parsed.items().isEmpty()) {
      Reachability.requireKafkaAndRegistry(config);
      TopicAdmin.requireTopics(config.kafkaProperties(), List.of(Topics.NEWS_ITEMS.name()));
      // An item too large for Kafka or for the pipeline is a bad entry like any other: named,
      // left out, and the rest goes on.
      final ItemSizeLimit sizeLimit = InputOptions.itemSizeLimit(config.kafkaProperties());
      for (final NewsItem item : parsed.items()) {
        final String refusal = sizeLimit.refusal(item);
        if (refusal == null) {
          items.add(item);
        } else {
          problems.add(refusal);
        }
      }
    }
    if (!problems.isEmpty()) {
      if (strict) {
        throw new UserException(NewsFileReader.report(shown, problems, ", nothing was published (--strict)"));
      }
      err.println("outpost: " + NewsFileReader.report(shown, problems, ", skipped"));
      err.flush();
    }
    if (!items.isEmpty()) {
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
    }
    spec.commandLine()
        .getOut()
        .printf(
            "Published %d item(s) from %s to %s; skipped %d repeat(s); %d bad%n",
            items.size(),
            shown,
            Topics.NEWS_ITEMS.name(),
            parsed.repeats(),
            problems.size());
    spec.commandLine().getOut().flush();
    return Outpost.EXIT_OK;
  }
}
