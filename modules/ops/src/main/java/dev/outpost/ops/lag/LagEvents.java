package dev.outpost.ops.lag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.clients.ClientsException;
import dev.outpost.clients.ProducerSettings;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each {@link StatusChange} of a {@link LagMonitor} to {@link Topics#OPS_EVENTS} as one JSON
 * object, keyed by the group, so the dispatcher delivers it to the subscriptions that ask for ops
 * events (a webhook that pages someone, say):
 *
 * <pre>{@code
 * {"eventId":"lag:dispatch:1718000000000","kind":"lag-status","group":"dispatch",
 *  "from":"OK","to":"STALL","reason":"alerts.parade.v1-0: the committed offset has not moved ...",
 *  "lagRecords":12,"lagSeconds":31.5,"at":"2024-06-10T06:13:20Z"}
 * }</pre>
 *
 * <p>{@code kind} is {@code lag-status} for a change of status ({@code from} is null the first
 * time a group is seen with a status other than OK), and {@code lag-aged-out} when the group left
 * the report ({@code to} is null). {@code eventId} is the same for the same change however often
 * it is written, so receivers can drop repeats.
 *
 * <p>Other ops events go the same way through {@link #publish}: a surge of dead letters
 * ({@code DeadLetterSurges}), say. Every event is a JSON object with an {@code eventId} and a
 * {@code kind}.
 *
 * <p>The topic is created when missing, before the first event is written (not when this is made,
 * so a process starts while the cluster is away). Writing never holds up the monitor: events are
 * written in order on a thread of their own, and one that cannot be written is logged and dropped.
 */
public final class LagEvents implements Consumer<StatusChange>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LagEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code kind} of a status change. */
  public static final String KIND_STATUS = "lag-status";

  /** The {@code kind} of a group that aged out of the report. */
  public static final String KIND_AGED_OUT = "lag-aged-out";

  private final Map<String, Object> kafkaProperties;
  private final KafkaProducer<String, String> producer;
  private final String topic = Topics.OPS_EVENTS.name();
  private boolean topicChecked;
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> {
            final Thread t = new Thread(r, "outpost-lag-events");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   */
  public LagEvents(final Map<String, Object> kafkaProperties) {
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.producer = new KafkaProducer<>(ProducerSettings.safe(kafkaProperties), new StringSerializer(), new StringSerializer());
  }

  /** Creates the topic once, when missing; a failure is logged and tried again next time. */
  private synchronized boolean topicReady() {
    if (!topicChecked) {
      final TopicSpec<String, String> spec = Topics.OPS_EVENTS;
      try {
        TopicAdmin.createMissingTopics(
            kafkaProperties,
            List.of(new TopicAdmin.Topic(spec.name(), spec.partitions(), spec.configs())),
            TopicAdmin.sensibleReplication(kafkaProperties));
        topicChecked = true;
      } catch (final ClientsException e) {
        LOG.warn("Cannot create {} for ops events: {}", spec.name(), e.getMessage());
      }
    }
    return topicChecked;
  }

  /**
   * @param change a status change or a group that aged out
   * @return it as the JSON object written
   */
  public static ObjectNode toJson(final StatusChange change) {
    final ObjectNode node = JSON.createObjectNode();
    node.put("eventId", "lag:" + change.group() + ":" + change.atMs());
    node.put("kind", change.agedOut() ? KIND_AGED_OUT : KIND_STATUS);
    node.put("group", change.group());
    node.put("from", change.from() == null ? null : change.from().name());
    node.put("to", change.to() == null ? null : change.to().name());
    node.put("reason", change.reason());
    node.put("lagRecords", change.lagRecords());
    node.put("lagSeconds", change.lagSeconds());
    node.put("at", Instant.ofEpochMilli(change.atMs()).toString());
    return node;
  }

  @Override
  public void accept(final StatusChange change) {
    publish(change.group(), toJson(change));
  }

  /**
   * Writes an ops event, in order with the others, on the writer's thread: the caller never waits,
   * and an event that cannot be written is logged and dropped.
   *
   * @param key what the event is about, such as a group; the record's key
   * @param event the JSON object, with an {@code eventId} and a {@code kind}
   */
  public void publish(final String key, final ObjectNode event) {
    try {
      // The writer reports its own failures; nothing waits for it.
      final Future<?> unused = writer.submit(() -> write(key, event));
    } catch (final RejectedExecutionException e) {
      LOG.warn("Dropping the {} event of {}: closing", event.path("kind").asText(), key);
    }
  }

  private void write(final String key, final ObjectNode event) {
    final String kind = event.path("kind").asText();
    if (!topicReady()) {
      LOG.warn("Dropping the {} event of {}: {}", kind, key, event);
      return;
    }
    final String value;
    try {
      value = JSON.writeValueAsString(event);
    } catch (final JsonProcessingException e) {
      throw new ClientsException("Cannot write " + event + " as JSON", e);
    }
    // The callback reports the outcome; the caller does not wait for it.
    final Future<RecordMetadata> unused =
        producer.send(
            new ProducerRecord<>(topic, key, value),
            (meta, error) -> {
              if (error != null) {
                LOG.warn("Could not write the {} event of {} to {}: {}", kind, key, topic, error.getMessage());
              }
            });
  }

  /** Writes what was handed over already, for two seconds at most, then closes the producer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(2, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (final InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(2));
  }
}
