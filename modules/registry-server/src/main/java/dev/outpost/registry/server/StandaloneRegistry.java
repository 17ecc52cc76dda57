package dev.outpost.registry.server;

import java.util.Map;
import java.util.Objects;

/**
 * A registry run on its own against a Kafka cluster, as {@code outpost registry} runs it: a {@link
 * KafkaSchemaStore} on the cluster's schemas topic (created when missing) behind a {@link
 * RegistryServer}. Closing it stops the server, then closes the store.
 *
 * <pre>{@code
 * try (StandaloneRegistry registry =
 *     StandaloneRegistry.start(kafkaProps, "_schemas", (short) 3, RegistryServer.builder().port(8081))) {
 *   String url = registry.url();
 * }
 * }</pre>
 */
public final class StandaloneRegistry implements AutoCloseable {

  private final KafkaSchemaStore store;
  private final RegistryServer server;

  private StandaloneRegistry(final KafkaSchemaStore store, final RegistryServer server) {
    this.store = store;
    this.server = server;
  }

  /**
   * Opens the store, replays the topic and starts serving.
   *
   * @param kafkaProperties the Kafka clients' settings, {@code bootstrap.servers} and any security
   *     settings
   * @param topic the schemas topic ({@code _schemas} in Confluent's and Outpost's default)
   * @param replicationFactor replicas of the topic, if it must be created
   * @param server the server's options; its store is set here
   * @return the running registry
   * @throws SchemaStoreException if the topic cannot be read
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public static StandaloneRegistry start(
      final Map<String, Object> kafkaProperties,
      final String topic,
      final short replicationFactor,
      final RegistryServer.Builder server) {
    final Object bootstrap =
        Objects.requireNonNull(kafkaProperties.get("bootstrap.servers"), "bootstrap.servers");
    final KafkaSchemaStore store =
        new KafkaSchemaStore(bootstrap.toString(), topic, replicationFactor, kafkaProperties);
    try {
      final RegistryServer running = server.store(store).build();
      try {
        running.start();
      } catch (final RuntimeException e) {
        running.close();
        throw e;
      }
      return new StandaloneRegistry(store, running);
    } catch (final RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * @return the server's base URL, {@code http(s)://HOST:PORT}
   */
  public String url() {
    return server.url();
  }

  /**
   * @return the server
   */
  public RegistryServer server() {
    return server;
  }

  /** Stops serving, then closes the store. Idempotent. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      store.close();
    }
  }
}
