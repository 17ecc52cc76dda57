package dev.outpost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.cli.internal.NewsFileReader;
import dev.outpost.cli.internal.NewsPublisher;
import dev.outpost.cli.internal.TopicTailer;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.NewsItem;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost demo}: the whole job on one machine. Starts an embedded Kafka broker and schema
 * registry, creates the catalog's topics, publishes the bundled sample articles to news.items.v1,
 * reads them back and prints them, then keeps the stack up for other tools until Ctrl-C.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run Outpost on an embedded Kafka broker and schema registry.",
      "Everything listens on 127.0.0.1 only.",
      "Publishes the bundled sample news to news.items.v1, reads it back and prints it, then",
      "keeps running so other Kafka tools can connect, until Ctrl-C. Data persists in --data-dir."
    })
public final class DemoCommand implements Callable<Integer> {

  static final String SEED_SAMPLE = "samples/seed-article.txt";
  static final String FEED_SAMPLE = "samples/sample-feed.jsonl";

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;

  @Option(
      names = "--once",
      description = "Exit after printing the samples instead of running until Ctrl-C.")
  private boolean once;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_DEMO_KAFKA_PORT:-9092}",
      description = "Port for Kafka, if free; else a free one. Variable OUTPOST_DEMO_KAFKA_PORT. Default: ${DEFAULT-VALUE}.")
  private int kafkaPort;

  @Option(
      names = "--registry-port",
      paramLabel = "PORT",
      defaultValue = "${env:OUTPOST_DEMO_REGISTRY_PORT:-8081}",
      description = "Port for the schema registry, if free; else a free one. Variable OUTPOST_DEMO_REGISTRY_PORT. Default: ${DEFAULT-VALUE}.")
  private int registryPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "${env:OUTPOST_DEMO_DATA_DIR:-.outpost/demo}",
      description = "Where the broker keeps its data between runs. Variable OUTPOST_DEMO_DATA_DIR. Default: ${DEFAULT-VALUE}.")
  private Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    checkPort("--kafka-port", kafkaPort);
    checkPort("--registry-port", registryPort);
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();

    final List<NewsItem> items = loadSamples();
    err.printf("Starting embedded Kafka and schema registry (data in %s) ...%n", dataDir.toAbsolutePath());
    err.flush();
    final EmbeddedStack stack =
        EmbeddedStack.builder()
            .dataDir(dataDir)
            .kafkaPort(kafkaPort)
            .registryPort(registryPort)
            .build();
    final CountDownLatch stopped = new CountDownLatch(1);
    final Thread shutdown =
        new Thread(
            () -> {
              err.println("Stopping the embedded stack ...");
              err.flush();
              stack.close();
              stopped.countDown();
            },
            "outpost-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      stack.start();
      out.printf("Kafka broker     %s%n", stack.bootstrapServers());
      out.printf("Schema registry  %s%n", stack.registryUrl());
      out.flush();

      try (SchemaRegistryClient registry =
              new HttpSchemaRegistryClient(
                  RegistryClientConfig.fromProperties(
                      Map.of("schema.registry.url", stack.registryUrl())));
          TopicTailer tailer =
              new TopicTailer(
                  Topics.NEWS_ITEMS,
                  stack.kafkaProperties(),
                  registry,
                  TopicTailer.Start.END,
                  Map.of());
          NewsPublisher publisher = new NewsPublisher(stack.kafkaProperties(), registry)) {
        publisher.publish(items, done -> { });
        out.printf("Published %d sample item(s) to %s; reading them back:%n", items.size(), Topics.NEWS_ITEMS.name());
        out.flush();
        final List<JsonNode> read = new ArrayList<>();
        tailer.run(
            items.size(),
            Duration.ofSeconds(30),
            json -> {
              read.add(json);
              out.println(json);
              out.flush();
            },
            message -> {
              err.println("outpost: " + message);
              err.flush();
            });
        if (read.size() < items.size()) {
          throw new IllegalStateException(
              "Read back only " + read.size() + " of " + items.size() + " published items within 30 s");
        }
      }

      if (once) {
        return Outpost.EXIT_OK;
      }
      out.printf(
          "%nThe stack keeps running. Try, in another terminal:%n  bin/outpost tail %s --from-beginning%nPress Ctrl-C to stop.%n",
          Topics.NEWS_ITEMS.name());
      out.flush();
      stopped.await();
      return Outpost.EXIT_OK;
    } finally {
      if (stopped.getCount() > 0) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdown);
          stack.close();
        } catch (final IllegalStateException e) {
          // The JVM is shutting down (Ctrl-C): the hook closes the stack.
        }
      }
    }
  }

  private static void checkPort(final String option, final int port) {
    if (port < 0 || port > 65_535) {
      throw new UserException("Invalid " + option + " " + port + ": use a port from 1 to 65535, or 0 for any free port");
    }
  }

  List<NewsItem> loadSamples() {
    final NewsFileReader reader = new NewsFileReader(root.clock());
    final List<NewsItem> items = new ArrayList<>();
    items.addAll(reader.parse(SEED_SAMPLE, resource(SEED_SAMPLE), NewsFileReader.Format.TEXT, "outpost-sample"));
    items.addAll(reader.parse(FEED_SAMPLE, resource(FEED_SAMPLE), NewsFileReader.Format.JSONL, "outpost-sample"));
    return items;
  }

  private static String resource(final String name) {
    try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("The bundled sample " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot read the bundled sample " + name, e);
    }
  }
}
