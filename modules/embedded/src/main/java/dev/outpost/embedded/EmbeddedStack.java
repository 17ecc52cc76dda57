package dev.outpost.embedded;

import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.server.KafkaSchemaStore;
import dev.outpost.registry.server.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything Outpost needs to run on one machine: a Kafka cluster from {@link
 * EmbeddedKafkaCluster}, a schema registry that keeps its schemas in the cluster's {@link
 * Topics#REGISTRY_SCHEMAS} topic (so ids survive a restart, as with Confluent's registry), and the
 * catalog's pipeline topics. All of it listens on 127.0.0.1 only.
 *
 * <p>Start it, use {@link #bootstrapServers()} and {@link #registryUrl()}, close it. With a data
 * directory the broker's log and so the registry's schemas persist across restarts.
 */
public final class EmbeddedStack implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

  private final Builder options;
  private final Object lock = new Object();
  private EmbeddedKafkaCluster cluster;
  private KafkaSchemaStore store;
  private RegistryServer registry;
  private boolean closed;

  private EmbeddedStack(final Builder options) {
    this.options = options;
  }

  /**
   * @return a builder for a one-node stack with a temporary data directory
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the cluster, creates the registry's and the pipeline's topics, and starts the
   * registry. Returns when all of it answers.
   *
   * @return this stack
   */
  public EmbeddedStack start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("This stack was closed; build a new one");
      }
      final long began = System.nanoTime();
      try {
        final EmbeddedKafkaCluster.Builder clusterBuilder =
            EmbeddedKafkaCluster.builder()
                .brokers(options.brokers)
                .controllerMode(
                    options.brokers == 1
                        ? EmbeddedKafkaCluster.ControllerMode.COMBINED
                        : EmbeddedKafkaCluster.ControllerMode.DEDICATED)
                .preferredPort(options.kafkaPort);
        if (options.dataDir != null) {
          clusterBuilder.persistentDataDirectory(options.dataDir.resolve("kafka"));
        }
        cluster = clusterBuilder.build().start();
        final short replication = (short) Math.min(3, options.brokers);
        final List<TopicSpec<?, ?>> topics = new ArrayList<>();
        topics.add(Topics.REGISTRY_SCHEMAS);
        topics.addAll(Topics.PIPELINE);
        topics.addAll(Topics.DELIVERY);
        cluster.createTopics(topics, replication);
        store =
            new KafkaSchemaStore(
                cluster.bootstrapServers(), Topics.REGISTRY_SCHEMAS.name(), replication, Map.of());
        registry = startRegistry(store);
        log.info(
            "Embedded stack up in {} ms: Kafka at {}, schema registry at {}",
            (System.nanoTime() - began) / 1_000_000,
            cluster.bootstrapServers(),
            registry.url());
        return this;
      } catch (final RuntimeException e) {
        closeQuietly();
        throw e;
      }
    }
  }

  private RegistryServer startRegistry(final KafkaSchemaStore schemaStore) {
    final RegistryServer preferred =
        RegistryServer.builder().port(options.registryPort).store(schemaStore).build();
    try {
      preferred.start();
      return preferred;
    } catch (final UncheckedIOException e) {
      if (!(e.getCause() instanceof BindException) || options.registryPort == 0) {
        throw e;
      }
      log.info("Port {} is taken; the schema registry takes a free one", options.registryPort);
      final RegistryServer any = RegistryServer.builder().port(0).store(schemaStore).build();
      any.start();
      return any;
    }
  }

  /**
   * @return the cluster's bootstrap servers, {@code 127.0.0.1:PORT}
   */
  public String bootstrapServers() {
    return running().cluster.bootstrapServers();
  }

  /**
   * @return the registry's base URL, {@code http://127.0.0.1:PORT}
   */
  public String registryUrl() {
    return running().registry.url();
  }

  /**
   * @return properties for a Kafka client of this stack
   */
  public Map<String, Object> kafkaProperties() {
    return Map.of("bootstrap.servers", bootstrapServers());
  }

  /**
   * @return the Kafka cluster, to stop brokers or create more topics
   */
  public EmbeddedKafkaCluster cluster() {
    return running().cluster;
  }

  /**
   * @return the registry server
   */
  public RegistryServer registry() {
    return running().registry;
  }

  private EmbeddedStack running() {
    synchronized (lock) {
      if (registry == null || closed) {
        throw new IllegalStateException("The embedded stack is not running");
      }
      return this;
    }
  }

  /** Stops the registry, then the cluster. Safe to call twice and from a shutdown hook. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly();
    }
  }

  private void closeQuietly() {
    if (registry != null) {
      registry.close();
    }
    if (store != null) {
      store.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Options of an {@link EmbeddedStack}. */
  public static final class Builder {
    private Path dataDir;
    private int kafkaPort;
    private int registryPort;
    private int brokers = 1;

    private Builder() {}

    /**
     * @param directory where the broker keeps its data between runs; created if missing
     * @return this builder
     */
    public Builder dataDir(final Path directory) {
      Objects.requireNonNull(directory, "directory");
      try {
        Files.createDirectories(directory);
      } catch (final IOException e) {
        throw new UncheckedIOException("Cannot create the data directory " + directory, e);
      }
      this.dataDir = directory;
      return this;
    }

    /**
     * @param port Kafka's port if free, else a free one; 0 for any
     * @return this builder
     */
    public Builder kafkaPort(final int port) {
      this.kafkaPort = port;
      return this;
    }

    /**
     * @param port the registry's port if free, else a free one; 0 for any
     * @return this builder
     */
    public Builder registryPort(final int port) {
      this.registryPort = port;
      return this;
    }

    /**
     * @param count brokers; with more than one, a dedicated controller is added
     * @return this builder
     */
    public Builder brokers(final int count) {
      if (count < 1) {
        throw new IllegalArgumentException("A stack needs at least one broker, got " + count);
      }
      this.brokers = count;
      return this;
    }

    /**
     * @return a stack, not yet started
     */
    public EmbeddedStack build() {
      return new EmbeddedStack(this);
    }
  }
}
