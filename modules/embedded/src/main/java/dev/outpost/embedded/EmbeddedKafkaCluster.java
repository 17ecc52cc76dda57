package dev.outpost.embedded;

import dev.outpost.model.TopicSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode, running inside this JVM from the Kafka jars.
 *
 * <p>Each node's storage is formatted with Kafka's own {@link Formatter} (what {@code
 * kafka-storage.sh format} runs) and the node is then started as a {@link KafkaRaftServer}, the
 * class {@code kafka.Kafka} starts. Every listener binds 127.0.0.1 and is advertised as 127.0.0.1:
 * nothing is reachable from another machine.
 *
 * <p>Two layouts are supported:
 *
 * <ul>
 *   <li>{@link ControllerMode#COMBINED}: node 0 is broker and controller at once (the demo's single
 *       node); any further brokers are plain brokers.
 *   <li>{@link ControllerMode#DEDICATED}: brokers 0..N-1 and one controller-only node, {@value
 *       #DEDICATED_CONTROLLER_ID}, so any broker can be stopped (the tests).
 * </ul>
 *
 * <p>With a {@linkplain Builder#persistentDataDirectory(Path) persistent data directory} the
 * cluster keeps its data, and its cluster id, across restarts; otherwise it runs in a temporary
 * directory deleted on {@link #close()}. The layout (broker count, controller mode) must not
 * change between two runs on the same directory.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.builder().brokers(3)
 *     .controllerMode(ControllerMode.DEDICATED).build().start()) {
 *   kafka.createTopics(Topics.PIPELINE, (short) 3);
 *   ... kafka.bootstrapServers() ...
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  /** Where the controller runs. */
  public enum ControllerMode {
    /** Node 0 is both broker and the only controller. */
    COMBINED,
    /** A separate controller-only node, {@value EmbeddedKafkaCluster#DEDICATED_CONTROLLER_ID}. */
    DEDICATED
  }

  /** Node id of the controller in {@link ControllerMode#DEDICATED} mode. */
  public static final int DEDICATED_CONTROLLER_ID = 1000;

  /** Name of the listener clients and other brokers use. */
  public static final String BROKER_LISTENER = "BROKER";

  /** Name of the listener of the KRaft controller quorum. */
  public static final String CONTROLLER_LISTENER = "CONTROLLER";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
  private static final String HOST = LoopbackPorts.LOOPBACK_HOST;
  private static final String META_PROPERTIES = "meta.properties";
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Broker settings the cluster owns. Overriding them could open a listener on another interface
   * or desynchronise a node from its formatted storage, so {@link Builder#brokerProperty} refuses
   * them.
   */
  private static final Set<String> RESERVED_PROPERTIES =
      Set.of(
          "node.id",
          "broker.id",
          "process.roles",
          "listeners",
          "advertised.listeners",
          "listener.security.protocol.map",
          "inter.broker.listener.name",
          "controller.listener.names",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "log.dirs",
          "log.dir",
          "metadata.log.dir");

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  private final int brokerCount;
  private final ControllerMode controllerMode;
  private final Path persistentDirectory;
  private final int preferredPort;
  private final Map<String, String> extraProperties;
  private final Map<String, String> extraListeners;
  private final Duration startupTimeout;
  private final Duration shutdownTimeout;

  private final Map<Integer, KafkaConfig> configs = new TreeMap<>();
  // Written by start(), read by any thread: concurrent collections and volatile fields.
  private final Map<Integer, Integer> brokerPorts = new ConcurrentSkipListMap<>();
  private final Map<String, Map<Integer, Integer>> listenerPorts = new ConcurrentHashMap<>();
  private final Map<Integer, KafkaRaftServer> running = new ConcurrentHashMap<>();
  private volatile State state = State.NEW;
  /** Nodes that did not stop cleanly within the shutdown timeout, with what went wrong. */
  private final Map<Integer, String> uncleanShutdowns = new ConcurrentHashMap<>();
  private volatile Path dataDirectory;
  private volatile int controllerPort;
  private volatile String clusterId;

  private EmbeddedKafkaCluster(final Builder builder) {
    this.brokerCount = builder.brokers;
    this.controllerMode = builder.controllerMode;
    this.persistentDirectory = builder.dataDirectory;
    this.preferredPort = builder.preferredPort;
    this.extraProperties = Map.copyOf(builder.brokerProperties);
    this.extraListeners = new LinkedHashMap<>(builder.listeners);
    this.startupTimeout = builder.startupTimeout;
    this.shutdownTimeout = builder.shutdownTimeout;
  }

  /**
   * @return a builder for a one-node combined cluster in a temporary directory, to be adjusted
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Formats storage where needed, starts every node and waits until every broker is registered,
   * unfenced and answering clients.
   *
   * @return this cluster, started
   * @throws IllegalStateException if the cluster was already started or closed, or could not start
   *     within the startup timeout (what was started is then shut down again)
   */
  public synchronized EmbeddedKafkaCluster start() {
    if (state != State.NEW) {
      throw new IllegalStateException("An embedded Kafka cluster can be started once; it is " + state);
    }
    state = State.STARTED;
    final long startNanos = System.nanoTime();
    try {
      prepareDataDirectory();
      choosePorts();
      clusterId = resolveClusterId();
      for (final int nodeId : nodeIds()) {
        final Path nodeDirectory = nodeDirectory(nodeId);
        configs.put(nodeId, nodeConfig(nodeId, nodeDirectory));
        formatIfNeeded(nodeId, nodeDirectory);
      }
      if (controllerMode == ControllerMode.DEDICATED) {
        // A controller-only node's startup returns at once; the brokers then wait for it.
        startNode(DEDICATED_CONTROLLER_ID);
      }
      // Each broker's startup blocks until the controller unfences it, so they start together.
      runInParallel("start", brokerIds(), this::startNode, startupTimeout.plusSeconds(5));
      awaitLiveBrokers(brokerIds());
    } catch (final RuntimeException e) {
      LOG.error("Embedded Kafka cluster failed to start; shutting down what did start", e);
      close();
      throw new IllegalStateException(
          "Embedded Kafka cluster failed to start: " + rootMessage(e), e);
    }
    final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    LOG.info(
        "Embedded Kafka cluster {} started in {} ms: {} broker(s), {} controller, bootstrap {},"
            + " data in {}",
        clusterId,
        elapsedMs,
        brokerCount,
        controllerMode.name().toLowerCase(Locale.ROOT),
        bootstrapServers(),
        dataDirectory);
    return this;
  }

  /**
   * @return {@code host:port} of every broker of the cluster, running or not, comma-separated
   */
  public String bootstrapServers() {
    requireStarted();
    return brokerPorts.values().stream()
        .map(port -> HOST + ":" + port)
        .collect(Collectors.joining(","));
  }

  /**
   * @param listener the name of a listener added with {@link Builder#listener}
   * @return {@code host:port} of every broker on that listener, comma-separated
   * @throws IllegalArgumentException when the cluster has no such listener
   */
  public String bootstrapServers(final String listener) {
    requireStarted();
    final Map<Integer, Integer> ports = listenerPorts.get(listener);
    if (ports == null) {
      throw new IllegalArgumentException("No listener '" + listener + "'; the cluster has " + extraListeners.keySet());
    }
    return ports.values().stream().map(port -> HOST + ":" + port).collect(Collectors.joining(","));
  }

  /**
   * @return the number of brokers the cluster was built with, running or not
   */
  public int brokerCount() {
    return brokerCount;
  }

  /**
   * @return node ids of all brokers, 0 to {@code brokerCount() - 1}
   */
  public SortedSet<Integer> brokerIds() {
    final SortedSet<Integer> ids = new TreeSet<>();
    for (int id = 0; id < brokerCount; id++) {
      ids.add(id);
    }
    return ids;
  }

  /**
   * @return node ids of the brokers currently running
   */
  public SortedSet<Integer> runningBrokerIds() {
    final SortedSet<Integer> ids = new TreeSet<>(running.keySet());
    ids.retainAll(brokerIds());
    return ids;
  }

  /**
   * @return the node id of the controller: 0 in combined mode, {@value #DEDICATED_CONTROLLER_ID}
   *     otherwise
   */
  public int controllerId() {
    return controllerMode == ControllerMode.COMBINED ? 0 : DEDICATED_CONTROLLER_ID;
  }

  /**
   * @param nodeId a broker's node id
   * @return the port of that broker's client listener on 127.0.0.1
   */
  public int brokerPort(final int nodeId) {
    requireStarted();
    final Integer port = brokerPorts.get(nodeId);
    if (port == null) {
      throw new IllegalArgumentException("No broker with node id " + nodeId + "; brokers are "
          + brokerIds());
    }
    return port;
  }

  /**
   * @return the port of the controller listener on 127.0.0.1
   */
  public int controllerPort() {
    requireStarted();
    return controllerPort;
  }

  /**
   * @return every port the cluster listens on (brokers and controller), all on 127.0.0.1
   */
  public SortedSet<Integer> listenerPorts() {
    requireStarted();
    final SortedSet<Integer> ports = new TreeSet<>(brokerPorts.values());
    ports.add(controllerPort);
    return ports;
  }

  /**
   * @return the KRaft cluster id, the same across restarts on a persistent directory
   */
  public String clusterId() {
    requireStarted();
    return clusterId;
  }

  /**
   * @return the directory holding every node's storage
   */
  public Path dataDirectory() {
    requireStarted();
    return dataDirectory;
  }

  /**
   * @return a fresh, mutable configuration for an {@link Admin} client of this cluster (bootstrap
   *     servers and timeouts), to which callers may add their own settings
   * @throws IllegalStateException if the cluster is not started
   */
  public Map<String, Object> adminConfig() {
    final Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "outpost-embedded-admin");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return config;
  }

  /**
   * @return a new admin client of this cluster, to be closed by the caller
   */
  public Admin createAdmin() {
    return Admin.create(adminConfig());
  }

  /**
   * Creates topics of the catalog, and waits until every running broker knows every one of them
   * with a leader for each partition. Topics that exist already are left as they are.
   *
   * <p>Each topic gets its spec's partition count, cleanup policy and retention, and {@code
   * min.insync.replicas} = min(2, replication factor), so {@code acks=all} survives one broker down
   * when the replication factor is 3.
   *
   * @param specs the topics, e.g. {@code Topics.PIPELINE}
   * @param replicationFactor replicas per partition, at most the number of running brokers (e.g. 1
   *     for the demo's single node, 3 on three brokers)
   * @throws IllegalStateException if a topic cannot be created or does not propagate in time
   */
  public void createTopics(
      final Collection<? extends TopicSpec<?, ?>> specs, final short replicationFactor) {
    requireStarted();
    Objects.requireNonNull(specs, "specs");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "Replication factor must be at least 1, got " + replicationFactor);
    }
    if (specs.isEmpty()) {
      return;
    }
    final String minInsyncReplicas = Integer.toString(Math.min(2, replicationFactor));
    final List<NewTopic> newTopics = new ArrayList<>();
    for (final TopicSpec<?, ?> spec : specs) {
      final Map<String, String> configs = new java.util.HashMap<>(spec.configs());
      configs.put("min.insync.replicas", minInsyncReplicas);
      newTopics.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs));
    }
    try (Admin admin = liveAdmin()) {
      final Map<String, KafkaFuture<Void>> results =
          admin.createTopics(newTopics).values();
      for (final Map.Entry<String, KafkaFuture<Void>> result :
          results.entrySet()) {
        try {
          result.getValue().get(startupTimeout.toMillis(), TimeUnit.MILLISECONDS);
          LOG.debug("Created topic {}", result.getKey());
        } catch (final ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) {
            LOG.debug("Topic {} exists already", result.getKey());
          } else {
            throw new IllegalStateException(
                "Could not create topic " + result.getKey() + ": " + rootMessage(e), e.getCause());
          }
        } catch (final TimeoutException e) {
          throw new IllegalStateException(
              "Creating topic " + result.getKey() + " took longer than " + startupTimeout, e);
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted creating topic " + result.getKey(), e);
        }
      }
    }
    final List<String> names = newTopics.stream().map(NewTopic::name).toList();
    awaitCondition(
        "topics " + names + " with a leader for every partition on brokers " + runningBrokerIds(),
        startupTimeout,
        () -> topicsPropagated(names));
    LOG.info("Topics ready on brokers {}: {}", runningBrokerIds(), names);
  }

  /**
   * Stops one broker (a controlled shutdown: its partition leaderships move first) and waits until
   * the controller no longer lists it.
   *
   * @param nodeId the broker to stop
   * @throws IllegalArgumentException if the node is not a broker, or also runs the only controller
   * @throws IllegalStateException if the broker is not running
   */
  public synchronized void stopBroker(final int nodeId) {
    requireStarted();
    requireStoppableBroker(nodeId);
    final KafkaRaftServer server = running.remove(nodeId);
    if (server == null) {
      throw new IllegalStateException("Broker " + nodeId + " is not running");
    }
    final long startNanos = System.nanoTime();
    shutdownInParallel("broker " + nodeId, Map.of(nodeId, server));
    awaitLiveBrokers(runningBrokerIds());
    LOG.info("Stopped broker {} in {} ms", nodeId,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /**
   * Starts again a broker stopped by {@link #stopBroker(int)}, on the same port and storage, and
   * waits until it is registered and unfenced.
   *
   * @param nodeId the broker to start
   * @throws IllegalStateException if the broker is running already or cannot start in time
   */
  public synchronized void startBroker(final int nodeId) {
    requireStarted();
    requireStoppableBroker(nodeId);
    if (running.containsKey(nodeId)) {
      throw new IllegalStateException("Broker " + nodeId + " is running already");
    }
    final long startNanos = System.nanoTime();
    runInParallel("start", List.of(nodeId), this::startNode, startupTimeout.plusSeconds(5));
    awaitLiveBrokers(runningBrokerIds());
    LOG.info("Started broker {} again in {} ms", nodeId,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /**
   * Nodes that did not stop cleanly, by {@link #stopBroker} or {@link #close}: each node id with
   * what went wrong (it outlived the shutdown timeout, or its shutdown threw). Stopping nodes in
   * the wrong order shows up here, since a broker whose controller is gone cannot finish its
   * controlled shutdown.
   *
   * @return node id to problem; empty when every stop was clean
   */
  public Map<Integer, String> uncleanShutdowns() {
    return Map.copyOf(uncleanShutdowns);
  }

  /**
   * Shuts the cluster down, all brokers in parallel and then the controller (stopping nodes one by
   * one would lose the quorum while brokers still wait on it), each phase bounded by the shutdown
   * timeout. A temporary data directory is deleted; a persistent one is kept. Calling it again does
   * nothing.
   */
  @Override
  public synchronized void close() {
    final State previous = state;
    state = State.CLOSED;
    if (previous != State.STARTED) {
      return;
    }
    final long startNanos = System.nanoTime();
    final Map<Integer, KafkaRaftServer> brokersOnly = new TreeMap<>(running);
    final Map<Integer, KafkaRaftServer> controllers = new TreeMap<>();
    final KafkaRaftServer controller = brokersOnly.remove(controllerId());
    if (controller != null) {
      controllers.put(controllerId(), controller);
    }
    shutdownInParallel("brokers", brokersOnly);
    shutdownInParallel("controller", controllers);
    running.clear();
    if (persistentDirectory == null && dataDirectory != null) {
      try {
        Utils.delete(dataDirectory.toFile());
      } catch (final IOException e) {
        LOG.warn("Could not delete the temporary Kafka data directory {}", dataDirectory, e);
      }
    }
    LOG.info("Embedded Kafka cluster {} closed in {} ms", clusterId,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  // ---------------------------------------------------------------------------------------------
  // Startup

  private void prepareDataDirectory() {
    try {
      if (persistentDirectory != null) {
        dataDirectory = Files.createDirectories(persistentDirectory.toAbsolutePath());
      } else {
        dataDirectory = Files.createTempDirectory("outpost-kafka-");
      }
    } catch (final IOException e) {
      throw new IllegalStateException("Cannot create the Kafka data directory "
          + (persistentDirectory != null ? persistentDirectory : "in " + System.getProperty(
              "java.io.tmpdir")) + ": " + e.getMessage(), e);
    }
  }

  private void choosePorts() {
    // Brokers first, so the preferred port goes to broker 0; the controller's comes last.
    final List<Integer> ports = LoopbackPorts.choose(preferredPort, brokerCount + 1 + brokerCount * extraListeners.size());
    for (int id = 0; id < brokerCount; id++) {
      brokerPorts.put(id, ports.get(id));
    }
    controllerPort = ports.get(brokerCount);
    int next = brokerCount + 1;
    for (final String listener : extraListeners.keySet()) {
      final Map<Integer, Integer> byBroker = new ConcurrentSkipListMap<>();
      for (int id = 0; id < brokerCount; id++) {
        byBroker.put(id, ports.get(next++));
      }
      listenerPorts.put(listener, byBroker);
    }
  }

  private SortedSet<Integer> nodeIds() {
    final SortedSet<Integer> ids = brokerIds();
    ids.add(controllerId());
    return ids;
  }

  private Path nodeDirectory(final int nodeId) {
    return dataDirectory.resolve("node-" + nodeId);
  }

  /** The cluster id already on disk, if any node was formatted before, or a new one. */
  private String resolveClusterId() {
    final Set<String> found = new TreeSet<>();
    for (final int nodeId : nodeIds()) {
      final Path directory = nodeDirectory(nodeId);
      if (Files.exists(directory.resolve(META_PROPERTIES))) {
        try {
          final MetaPropertiesEnsemble ensemble =
              new MetaPropertiesEnsemble.Loader().addLogDirs(List.of(directory.toString())).load();
          ensemble.clusterId().ifPresent(found::add);
        } catch (final IOException e) {
          throw new IllegalStateException(
              "Cannot read " + directory.resolve(META_PROPERTIES) + ": " + e.getMessage(), e);
        }
      }
    }
    if (found.size() > 1) {
      throw new IllegalStateException(
          "The nodes in " + dataDirectory + " belong to different clusters " + found
              + "; delete the directory to start afresh");
    }
    if (found.isEmpty()) {
      return Uuid.randomUuid().toString();
    }
    final String existing = found.iterator().next();
    LOG.info("Reusing Kafka cluster id {} from {}", existing, dataDirectory);
    return existing;
  }

  private KafkaConfig nodeConfig(final int nodeId, final Path nodeDirectory) {
    final boolean broker = nodeId < brokerCount;
    final boolean controller = nodeId == controllerId();
    final int replication = Math.min(3, brokerCount);
    final int minInsync = Math.min(2, brokerCount);

    final Map<String, Object> props = new LinkedHashMap<>();
    props.put("node.id", Integer.toString(nodeId));
    final List<String> roles = new ArrayList<>();
    final List<String> listeners = new ArrayList<>();
    if (broker) {
      roles.add("broker");
      listeners.add(BROKER_LISTENER + "://" + HOST + ":" + brokerPorts.get(nodeId));
      extraListeners.keySet().forEach(name -> listeners.add(name + "://" + HOST + ":" + listenerPorts.get(name).get(nodeId)));
    }
    if (controller) {
      roles.add("controller");
      listeners.add(CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    }
    props.put("process.roles", String.join(",", roles));
    props.put("listeners", String.join(",", listeners));
    // Advertised explicitly too: Kafka would otherwise derive them, and must never pick a
    // hostname or wildcard that resolves off this machine.
    props.put("advertised.listeners", String.join(",", listeners));
    final StringBuilder protocols = new StringBuilder(BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    extraListeners.forEach((name, protocol) -> protocols.append(',').append(name).append(':').append(protocol));
    props.put("listener.security.protocol.map", protocols.toString());
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    // A static quorum of one voter: its address lives in configuration, not in the metadata
    // log, so the controller may come back on a different port after a restart.
    props.put("controller.quorum.voters", controllerId() + "@" + HOST + ":" + controllerPort);
    props.put("log.dirs", nodeDirectory.toString());
    props.put("metadata.log.dir", nodeDirectory.toString());
    props.put("server.max.startup.time.ms", Long.toString(startupTimeout.toMillis()));

    // Small-machine settings: few threads, small segments, no waiting for group members.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("num.replica.fetchers", "1");
    props.put("group.coordinator.threads", "1");
    props.put("share.coordinator.threads", "1");
    props.put("log.cleaner.threads", "1");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    props.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
    props.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
    props.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.num.partitions", "10");
    props.put("share.coordinator.state.topic.num.partitions", "10");

    // Internal state topics replicate as widely as the cluster allows.
    props.put("offsets.topic.replication.factor", Integer.toString(replication));
    props.put("transaction.state.log.replication.factor", Integer.toString(replication));
    props.put("transaction.state.log.min.isr", Integer.toString(minInsync));
    props.put("share.coordinator.state.topic.replication.factor", Integer.toString(replication));
    props.put("share.coordinator.state.topic.min.isr", Integer.toString(minInsync));
    props.put("min.insync.replicas", Integer.toString(minInsync));
    if (controller) {
      // Topics are created by the controller in KRaft; brokers warn if they are given this.
      props.put("default.replication.factor", Integer.toString(replication));
    }

    // Controlled shutdown advances one heartbeat at a time: 500 ms instead of 2 s makes stopping
    // a broker, and close(), several times quicker. The session timeout keeps its 9 s default.
    props.put("broker.heartbeat.interval.ms", "500");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");

    props.putAll(extraProperties);
    // doLog=false: Kafka would otherwise print every one of its ~400 settings per node.
    return new KafkaConfig(props, false);
  }

  private void formatIfNeeded(final int nodeId, final Path nodeDirectory) {
    if (Files.exists(nodeDirectory.resolve(META_PROPERTIES))) {
      LOG.debug("Node {} storage in {} is formatted already", nodeId, nodeDirectory);
      return;
    }
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      Files.createDirectories(nodeDirectory);
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setDirectories(List.of(nodeDirectory.toString()))
          .setMetadataLogDirectory(nodeDirectory.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (final Exception e) {
      throw new IllegalStateException(
          "Cannot format storage of node " + nodeId + " in " + nodeDirectory + ": "
              + rootMessage(e), e);
    }
    LOG.debug("Formatted node {}: {}", nodeId, output.toString(StandardCharsets.UTF_8).trim());
  }

  private void startNode(final int nodeId) {
    final KafkaRaftServer server = new KafkaRaftServer(configs.get(nodeId), Time.SYSTEM);
    running.put(nodeId, server);
    server.startup();
  }

  /** Waits until the controller lists exactly these brokers as registered and unfenced. */
  private void awaitLiveBrokers(final Set<Integer> expected) {
    awaitCondition("brokers " + expected + " to be the live brokers", startupTimeout, () -> {
      if (expected.isEmpty()) {
        return true;
      }
      try (Admin admin = liveAdmin()) {
        final Set<Integer> live =
            admin.describeCluster().nodes().get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .stream()
                .map(Node::id)
                .collect(Collectors.toCollection(TreeSet::new));
        return live.equals(expected);
      }
    });
  }

  /** Whether every running broker, asked directly, has all partitions of these topics led. */
  private boolean topicsPropagated(final List<String> topics) throws IOException {
    final Map<String, Integer> partitionCounts = new HashMap<>();
    for (final int brokerId : runningBrokerIds()) {
      final MetadataResponse response =
          BrokerMetadataProbe.fetch(HOST, brokerPorts.get(brokerId), topics, PROBE_TIMEOUT);
      if (response.topicMetadata().size() != topics.size()) {
        return false;
      }
      for (final MetadataResponse.TopicMetadata topic : response.topicMetadata()) {
        if (topic.error() != Errors.NONE || topic.partitionMetadata().isEmpty()) {
          LOG.debug("Broker {} reports topic {}: {}", brokerId, topic.topic(), topic.error());
          return false;
        }
        for (final MetadataResponse.PartitionMetadata partition : topic.partitionMetadata()) {
          final Optional<Integer> leader = partition.leaderId;
          if (leader.isEmpty() || leader.get() < 0) {
            LOG.debug("Broker {} knows no leader for {}", brokerId, partition.topicPartition);
            return false;
          }
        }
        final Integer previous =
            partitionCounts.putIfAbsent(topic.topic(), topic.partitionMetadata().size());
        if (previous != null && previous != topic.partitionMetadata().size()) {
          return false;
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  private void shutdownInParallel(final String what, final Map<Integer, KafkaRaftServer> servers) {
    if (servers.isEmpty()) {
      return;
    }
    final long startNanos = System.nanoTime();
    final ExecutorService executor =
        Executors.newFixedThreadPool(servers.size(), daemonThreads("embedded-kafka-stop"));
    try {
      final List<Callable<Void>> tasks = new ArrayList<>();
      servers.forEach(
          (nodeId, server) ->
              tasks.add(
                  () -> {
                    server.shutdown();
                    server.awaitShutdown();
                    return null;
                  }));
      final List<Future<Void>> futures =
          executor.invokeAll(tasks, shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
      int index = 0;
      for (final int nodeId : servers.keySet()) {
        final Future<Void> future = futures.get(index++);
        if (future.isCancelled()) {
          LOG.warn("Node {} did not shut down within {}; abandoning it", nodeId, shutdownTimeout);
          uncleanShutdowns.put(nodeId, "did not shut down within " + shutdownTimeout);
        } else {
          try {
            future.get();
          } catch (final ExecutionException e) {
            LOG.warn("Node {} failed to shut down cleanly", nodeId, e.getCause());
            uncleanShutdowns.put(nodeId, "failed to shut down: " + e.getCause());
          }
        }
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("Interrupted while shutting down {}", what);
    } finally {
      executor.shutdownNow();
    }
    LOG.debug("Shut down {} {} in {} ms", what, servers.keySet(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private interface NodeAction {
    void run(int nodeId);
  }

  private static void runInParallel(
      final String what,
      final Collection<Integer> nodeIds,
      final NodeAction action,
      final Duration timeout) {
    final ExecutorService executor =
        Executors.newFixedThreadPool(nodeIds.size(), daemonThreads("embedded-kafka-" + what));
    try {
      final Map<Integer, Future<?>> futures = new TreeMap<>();
      for (final int nodeId : nodeIds) {
        futures.put(nodeId, executor.submit(() -> action.run(nodeId)));
      }
      final long deadline = System.nanoTime() + timeout.toNanos();
      for (final Map.Entry<Integer, Future<?>> entry : futures.entrySet()) {
        try {
          entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (final ExecutionException e) {
          throw new IllegalStateException(
              "Node " + entry.getKey() + " failed to " + what + ": " + rootMessage(e), e.getCause());
        } catch (final TimeoutException e) {
          throw new IllegalStateException(
              "Node " + entry.getKey() + " did not " + what + " within " + timeout, e);
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted waiting for node " + entry.getKey(), e);
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }

  /**
   * Polls a condition until it holds. Exceptions from the condition count as "not yet" and the
   * last one is reported if time runs out.
   */
  private static void awaitCondition(
      final String what, final Duration timeout, final Callable<Boolean> condition) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return;
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + what, e);
      } catch (final Exception e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Timed out after " + timeout + " waiting for " + what
                + (last == null ? "" : "; last error: " + rootMessage(last)),
            last);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted waiting for " + what, e);
      }
    }
  }

  /** An admin client bootstrapped from running brokers only, so it never waits on a dead one. */
  private Admin liveAdmin() {
    final Map<String, Object> config = adminConfig();
    final String live =
        runningBrokerIds().stream()
            .map(id -> HOST + ":" + brokerPorts.get(id))
            .collect(Collectors.joining(","));
    if (!live.isEmpty()) {
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, live);
    }
    return Admin.create(config);
  }

  private void requireStarted() {
    if (state != State.STARTED) {
      throw new IllegalStateException("The embedded Kafka cluster is " + state + ", not started");
    }
  }

  private void requireStoppableBroker(final int nodeId) {
    if (nodeId < 0 || nodeId >= brokerCount) {
      throw new IllegalArgumentException(
          "No broker with node id " + nodeId + "; brokers are " + brokerIds());
    }
    if (nodeId == controllerId()) {
      throw new IllegalArgumentException(
          "Node " + nodeId + " also runs the only controller; stopping it would stop the cluster."
              + " Use ControllerMode.DEDICATED to stop brokers individually");
    }
  }

  private static ThreadFactory daemonThreads(final String prefix) {
    final AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      final Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static String rootMessage(final Throwable throwable) {
    Throwable root = throwable;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** Builds an {@link EmbeddedKafkaCluster}. Every setting has a small-machine default. */
  public static final class Builder {
    private int brokers = 1;
    private ControllerMode controllerMode = ControllerMode.COMBINED;
    private Path dataDirectory;
    private int preferredPort;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private final Map<String, String> listeners = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * @param count number of brokers, 1 by default
     * @return this builder
     */
    public Builder brokers(final int count) {
      if (count < 1 || count >= DEDICATED_CONTROLLER_ID) {
        throw new IllegalArgumentException(
            "Broker count must be between 1 and " + (DEDICATED_CONTROLLER_ID - 1) + ", got "
                + count);
      }
      this.brokers = count;
      return this;
    }

    /**
     * @param mode where the controller runs, {@link ControllerMode#COMBINED} by default
     * @return this builder
     */
    public Builder controllerMode(final ControllerMode mode) {
      this.controllerMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Keeps the cluster's data in this directory, across restarts. Nodes found formatted there are
     * reused with their cluster id; the rest are formatted. Without this the cluster runs in a
     * temporary directory deleted on close.
     *
     * @param directory the data directory, created if missing
     * @return this builder
     */
    public Builder persistentDataDirectory(final Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param port the port broker 0 should listen on (e.g. 9092); if it is taken a free port is
     *     used instead. 0, the default, means any free port
     * @return this builder
     */
    public Builder preferredPort(final int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("Not a TCP port: " + port);
      }
      this.preferredPort = port;
      return this;
    }

    /**
     * Adds a listener on every broker beside the cluster's own plaintext one, which brokers and
     * the cluster's admin keep using: clients then connect to it with {@link
     * #bootstrapServers(String)}. Its settings go in as broker properties prefixed {@code
     * listener.name.<name lower case>.}, such as the key store of an SSL listener.
     *
     * @param name the listener's name, upper case
     * @param securityProtocol PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
     * @return this builder
     */
    public Builder listener(final String name, final String securityProtocol) {
      if (name == null || !name.matches("[A-Z][A-Z0-9_]*") || name.equals(BROKER_LISTENER) || name.equals(CONTROLLER_LISTENER)) {
        throw new IllegalArgumentException("A listener name is upper case, and not " + BROKER_LISTENER + " or " + CONTROLLER_LISTENER + ": " + name);
      }
      if (!List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL").contains(securityProtocol)) {
        throw new IllegalArgumentException("Unknown security protocol " + securityProtocol);
      }
      listeners.put(name, securityProtocol);
      return this;
    }

    /**
     * Adds or overrides one setting on every node. Listener, quorum, node id and directory settings
     * belong to the cluster and are refused.
     *
     * @param key a Kafka server setting
     * @param value its value
     * @return this builder
     */
    public Builder brokerProperty(final String key, final String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (RESERVED_PROPERTIES.contains(key.trim())) {
        throw new IllegalArgumentException(
            "'" + key + "' is managed by the embedded cluster and cannot be overridden");
      }
      brokerProperties.put(key.trim(), value);
      return this;
    }

    /**
     * @param properties settings to add, as with {@link #brokerProperty(String, String)}
     * @return this builder
     */
    public Builder brokerProperties(final Map<String, String> properties) {
      properties.forEach(this::brokerProperty);
      return this;
    }

    /**
     * @param timeout how long starting the cluster, a broker, or topic propagation may take (60 s
     *     by default)
     * @return this builder
     */
    public Builder startupTimeout(final Duration timeout) {
      this.startupTimeout = requirePositive(timeout);
      return this;
    }

    /**
     * @param timeout how long each shutdown phase (brokers, then controller) may take before the
     *     nodes are abandoned (30 s by default)
     * @return this builder
     */
    public Builder shutdownTimeout(final Duration timeout) {
      this.shutdownTimeout = requirePositive(timeout);
      return this;
    }

    /**
     * @return a cluster with these settings, not started yet
     */
    public EmbeddedKafkaCluster build() {
      return new EmbeddedKafkaCluster(this);
    }

    private static Duration requirePositive(final Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("Timeout must be positive, got " + timeout);
      }
      return timeout;
    }
  }
}
