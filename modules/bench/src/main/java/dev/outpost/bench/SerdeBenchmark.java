package dev.outpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.EvidenceSpan;
import dev.outpost.model.Label;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.serde.EncodedRecord;
import dev.outpost.registry.serde.SpecificAvroDeserializer;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Records per second the pipeline's output serializer writes on one thread: the {@link
 * ClassifiedItem} of a 1–3 KB news item (written once per item to news.classified.v1) and the
 * {@link Alert} of one of its labels. Each is measured against a baseline in the same fork: a
 * plain {@link SpecificDatumWriter} into one reused encoder and buffer, with the bytes copied out,
 * which is the least any Avro serializer that hands Kafka a {@code byte[]} can do. The serializer's
 * cost is read as its ratio to that baseline.
 *
 * <p>{@code serializeClassifiedSpliced} writes the same classified items as the pipeline does,
 * with each item's body copied from the input record it was read from (see {@link
 * SpecificAvroSerializer#serialize(String, org.apache.avro.specific.SpecificRecord,
 * EncodedRecord)}): the items are read from their wire format once, at setup, and the classified
 * items of every benchmark hold those items.
 *
 * <p>The serializer runs on the pipeline's own registry client, {@link HttpSchemaRegistryClient},
 * against a stand-in registry on 127.0.0.1 that answers the one registration each schema needs;
 * after that the client's cache answers, as in a running pipeline.
 *
 * <p>Run from the repository root: {@code java -jar modules/bench/target/benchmarks.jar Serde}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SerdeBenchmark {

  private static final String CLASSIFIED_TOPIC = "news.classified.v1";
  private static final String ALERT_TOPIC = "alerts.military-exercise.v1";
  private static final String INPUT_TOPIC = "news.items.v1";

  /** The labelled set the items' text is taken from. */
  @Param({"modules/classifier/devset/tune.jsonl"})
  public String devset;

  private List<ClassifiedItem> classified;
  private List<EncodedRecord<NewsItem>> inputs;
  private SpecificAvroSerializer<NewsItem> inputSerializer;
  private SpecificAvroDeserializer<NewsItem> inputDeserializer;
  private List<Alert> alerts;
  private int next;

  private HttpServer registryServer;
  private HttpSchemaRegistryClient registry;
  private SpecificAvroSerializer<ClassifiedItem> classifiedSerializer;
  private SpecificAvroSerializer<Alert> alertSerializer;

  private final ByteArrayOutputStream baselineOut = new ByteArrayOutputStream(8192);
  private BinaryEncoder baselineEncoder;
  private SpecificDatumWriter<ClassifiedItem> classifiedWriter;
  private SpecificDatumWriter<Alert> alertWriter;

  /** Builds items of 1 to 3 KB from real excerpts, and their classified records and alerts. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    final ObjectMapper json = new ObjectMapper();
    final List<String> lines = Files.readAllLines(Path.of(devset), StandardCharsets.UTF_8);
    classified = new ArrayList<>();
    alerts = new ArrayList<>();
    inputs = new ArrayList<>();
    final InMemorySchemaRegistryClient inputRegistry = new InMemorySchemaRegistryClient();
    inputSerializer = new SpecificAvroSerializer<>(inputRegistry);
    inputDeserializer = new SpecificAvroDeserializer<>(inputRegistry, NewsItem.class);
    String title = null;
    StringBuilder body = new StringBuilder();
    int target = 1024;
    for (final String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      final JsonNode node = json.readTree(line);
      if (title == null) {
        title = node.path("title").asText("");
      }
      body.append(node.path("text").asText("")).append("\n\n");
      if (body.length() >= target) {
        add(title, body.toString());
        title = null;
        body = new StringBuilder();
        target = 1024 + (classified.size() % 3) * 1024;
      }
    }
    if (classified.isEmpty()) {
      throw new IllegalStateException("No items could be built from " + devset);
    }
    registryServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registryServer.createContext(
        "/subjects/",
        exchange -> {
          final byte[] answer =
              ("{\"id\":" + (exchange.getRequestURI().getPath().contains("alerts") ? 2 : 1) + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream response = exchange.getResponseBody()) {
            response.write(answer);
          }
        });
    registryServer.start();
    registry =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.fromProperties(
                Map.of(
                    RegistryClientConfig.URL_CONFIG,
                    "http://127.0.0.1:" + registryServer.getAddress().getPort())));
    classifiedSerializer = new SpecificAvroSerializer<>(registry);
    alertSerializer = new SpecificAvroSerializer<>(registry);
    classifiedWriter =
        new SpecificDatumWriter<>(
            ClassifiedItem.getClassSchema(), SpecificData.getForClass(ClassifiedItem.class));
    alertWriter =
        new SpecificDatumWriter<>(Alert.getClassSchema(), SpecificData.getForClass(Alert.class));
  }

  /** Closes the registry client and stops the stand-in registry. */
  @TearDown(Level.Trial)
  public void tearDown() {
    registry.close();
    registryServer.stop(0);
  }

  private void add(final String title, final String body) {
    final int n = classified.size();
    final String id = "bench-" + n;
    final Instant published = Instant.ofEpochMilli(1_700_000_000_000L + n * 60_000L);
    final NewsItem built =
        NewsItem.newBuilder()
            .setId(id)
            .setSource("feed-" + (n % 7))
            .setUrl("https://news.example.org/" + n)
            .setTitle(title)
            .setBody(body)
            .setLanguage("en")
            .setPublishedAt(published)
            .setIngestedAt(published.plusSeconds(30))
            .build();
    final EncodedRecord<NewsItem> input =
        inputDeserializer.deserializeEncoded(INPUT_TOPIC, inputSerializer.serialize(INPUT_TOPIC, built));
    inputs.add(input);
    final NewsItem item = input.value();
    final int cut = Math.min(24, title.length());
    final EvidenceSpan span =
        EvidenceSpan.newBuilder()
            .setField("title")
            .setStart(0)
            .setEnd(cut)
            .setText(title.substring(0, cut))
            .setRuleId("military.exercise.v1")
            .setStates(List.of("FRA"))
            .setTargets(List.of())
            .build();
    final Label label =
        Label.newBuilder()
            .setCategory(Category.MILITARY_EXERCISE)
            .setConfidence(0.875)
            .setEvidence(List.of(span, span))
            .build();
    final Instant classifiedAt = published.plusSeconds(31);
    classified.add(
        ClassifiedItem.newBuilder()
            .setItem(item)
            .setLabels(List.of(label))
            .setActors(List.of("FRA", "DEU"))
            .setClassifiedAt(classifiedAt)
            .setClassifierVersion("bench")
            .setLanguage("en")
            .setLanguageSupported(true)
            .build());
    alerts.add(
        Alert.newBuilder()
            .setAlertId(id + "/MILITARY_EXERCISE")
            .setItemId(id)
            .setCategory(Category.MILITARY_EXERCISE)
            .setConfidence(0.875)
            .setActors(List.of("FRA", "DEU"))
            .setEvidence(List.of(span, span))
            .setTitle(title)
            .setUrl(item.getUrl())
            .setSource(item.getSource())
            .setPublishedAt(published)
            .setClassifiedAt(classifiedAt)
            .setClassifierVersion("bench")
            .setLanguage("en")
            .build());
  }

  private int nextIndex() {
    final int index = next;
    next = next + 1 == classified.size() ? 0 : next + 1;
    return index;
  }

  /**
   * @return the next classified item in the wire format, by the pipeline's serializer
   */
  @Benchmark
  public byte[] serializeClassified() {
    return classifiedSerializer.serialize(CLASSIFIED_TOPIC, classified.get(nextIndex()));
  }

  /**
   * @return the next classified item in the wire format, by the pipeline's serializer, with its
   *     item's body copied from the input it was read from
   */
  @Benchmark
  public byte[] serializeClassifiedSpliced() {
    final int index = nextIndex();
    return classifiedSerializer.serialize(CLASSIFIED_TOPIC, classified.get(index), inputs.get(index));
  }

  /**
   * @return the next classified item's Avro encoding, by a plain writer into a reused encoder
   */
  @Benchmark
  public byte[] baselineClassified() throws IOException {
    baselineOut.reset();
    baselineEncoder = EncoderFactory.get().binaryEncoder(baselineOut, baselineEncoder);
    classifiedWriter.write(classified.get(nextIndex()), baselineEncoder);
    baselineEncoder.flush();
    return baselineOut.toByteArray();
  }

  /**
   * @return the next alert in the wire format, by the pipeline's serializer
   */
  @Benchmark
  public byte[] serializeAlert() {
    return alertSerializer.serialize(ALERT_TOPIC, alerts.get(nextIndex()));
  }

  /**
   * @return the next alert's Avro encoding, by a plain writer into a reused encoder
   */
  @Benchmark
  public byte[] baselineAlert() throws IOException {
    baselineOut.reset();
    baselineEncoder = EncoderFactory.get().binaryEncoder(baselineOut, baselineEncoder);
    alertWriter.write(alerts.get(nextIndex()), baselineEncoder);
    baselineEncoder.flush();
    return baselineOut.toByteArray();
  }
}
