package dev.outpost.cli.internal;

import dev.outpost.model.Topics;
import dev.outpost.ops.OpsEndpoints;
import dev.outpost.ops.OpsServer;
import dev.outpost.ops.OpsWiring;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertStream;
import dev.outpost.subscribers.RecentAlerts;
import dev.outpost.topology.DeadLetters;
import dev.outpost.topology.Pipeline;
import dev.outpost.topology.PipelineMeters;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A running pipeline on the ops server, for {@code run} and {@code demo}. It needs the ops server,
 * the topology's meters and the subscribers' alert stream together, and only the cli sees all
 * three: ops must not depend on the topology, nor the topology or subscribers on each other.
 */
public final class PipelineOps {

  /** Alert stream clients served at once. */
  private static final int MAX_ALERT_STREAMS = 64;

  private PipelineOps() {}

  /**
   * Puts a running pipeline on the ops server: the alert stream and the recent alerts, dead
   * letters counted from their topics, Prometheus metrics (the pipeline's
   * counts, classification time, Kafka Streams' own metrics, consumer lag), lag as JSON, the
   * dashboard's summary, and health, ready while Kafka Streams is running.
   *
   * @param server the ops server
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param schemaRegistry where the alert schema is
   * @param pipeline the running pipeline
   * @param clock the time lag and alert rates are sampled at
   * @param opsEvents whether to write lag status changes and dead-letter surges as ops events: the
   *     demo does, as the one ops server of its stack; {@code run} does not, since every instance
   *     would write the same events ({@code outpost ops} writes them for a cluster)
   * @return what to close when the process stops; the server itself is the caller's
   */
  public static OpsWiring install(
      final OpsServer server,
      final Map<String, Object> kafkaProperties,
      final SchemaRegistryClient schemaRegistry,
      final Pipeline pipeline,
      final Clock clock,
      final boolean opsEvents) {
    server.route(AlertStream.PATH, new AlertStream(kafkaProperties, schemaRegistry, MAX_ALERT_STREAMS));
    server.route(RecentAlerts.PATH, new RecentAlerts(kafkaProperties, schemaRegistry, clock));
    final PipelineMeters meters = new PipelineMeters(pipeline, clock);
    final OpsWiring.Builder wiring = OpsWiring.on(server, kafkaProperties, clock);
    if (opsEvents) {
      wiring.opsEvents();
    }
    return wiring
        .meters(meters)
        .deadLetters(Topics.NEWS_ITEMS_DLQ.name(), DeadLetters.REASON)
        .readiness(
            () -> {
              final KafkaStreams.State state = pipeline.streams().state();
              return new OpsEndpoints.Readiness(state == KafkaStreams.State.RUNNING, "kafka streams " + state);
            })
        .summary(meters::summary)
        .closing(meters)
        .install();
  }
}
