package dev.outpost.clients;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Checks, before any work starts, that the cluster can be reached and has the topics the work
 * needs, and creates those it may create, so the user gets one clear sentence instead of a client
 * blocking for a minute. Every call waits at most {@link #REACH_TIMEOUT_MS}; a cluster out of
 * reach, refusing the credentials or the principal, missing a topic or refusing to create one is
 * a {@link ClusterAccessException} that says what to change.
 */
public final class TopicAdmin {

  /**
   * How long a client waits for the cluster to answer before it gives up: one value for the
   * commands' checks and the clients they then run, so a command that just found the cluster is
   * not told sooner that it is gone.
   */
  public static final long REACH_TIMEOUT_MS = 15_000;

  private TopicAdmin() {}

  /**
   * A topic to create when it is missing.
   *
   * @param name the topic's name
   * @param partitions how many partitions it is created with
   * @param configs the settings it is created with, as Kafka names them ({@code cleanup.policy},
   *     {@code retention.ms})
   */
  public record Topic(String name, int partitions, Map<String, String> configs) {

    /**
     * @param name the topic's name
     * @param partitions how many partitions it is created with, at least 1
     * @param configs the settings it is created with
     */
    public Topic {
      Objects.requireNonNull(name, "name");
      if (partitions < 1) {
        throw new IllegalArgumentException("Topic " + name + " needs at least one partition, got " + partitions);
      }
      configs = Map.copyOf(configs);
    }
  }

  /**
   * Work done with an admin client; may throw what the admin client's futures throw.
   *
   * @param <T> what the work returns
   */
  @FunctionalInterface
  public interface AdminWork<T> {
    /**
     * @param admin a connected admin client
     * @param servers the bootstrap servers, for messages
     * @return what the work found
     * @throws ExecutionException when an admin call failed
     * @throws InterruptedException when interrupted
     * @throws TimeoutException when the cluster did not answer in time
     */
    T run(Admin admin, Object servers) throws ExecutionException, InterruptedException, TimeoutException;
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the names of the topics that must exist
   * @throws ClusterAccessException naming the cluster and each missing topic, or when the cluster
   *     cannot be reached
   */
  public static void requireTopics(final Map<String, Object> kafkaProperties, final Collection<String> topics) {
    withAdmin(
        kafkaProperties,
        (admin, servers) -> {
          requireTopics(admin, servers, topics);
          return null;
        });
  }

  static void requireTopics(final Admin admin, final Object servers, final Collection<String> topics)
      throws ExecutionException, InterruptedException, TimeoutException {
    final Set<String> missing = new TreeSet<>(topics);
    missing.removeAll(topicNames(admin));
    if (!missing.isEmpty()) {
      throw new ClusterAccessException(
          "Kafka at "
              + servers
              + " has no topic "
              + String.join(", ", missing)
              + ": run 'outpost demo' for a local stack that has them, or create them on your cluster");
    }
  }

  /**
   * Creates the topics that do not exist yet, with their partitions and settings.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the topics that must exist
   * @param replicationFactor replicas of each topic created; {@code min.insync.replicas} is
   *     min(2, replicationFactor)
   * @return the names of the topics created, empty when all existed
   * @throws ClusterAccessException when the cluster cannot be reached or refuses to create a topic
   */
  public static List<String> createMissingTopics(
      final Map<String, Object> kafkaProperties, final Collection<Topic> topics, final int replicationFactor) {
    return createMissingTopics(kafkaProperties, topics, replicationFactor, Map.of());
  }

  /**
   * Creates the topics that do not exist yet, as {@link #createMissingTopics(Map, Collection,
   * int)} does, with more topic settings.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the topics that must exist
   * @param replicationFactor replicas of each topic created
   * @param topicConfigs more settings of each topic created, such as {@code retention.ms}; a
   *     topic's own settings win
   * @return the names of the topics created, empty when all existed
   * @throws ClusterAccessException when the cluster cannot be reached or refuses to create a topic
   */
  public static List<String> createMissingTopics(
      final Map<String, Object> kafkaProperties,
      final Collection<Topic> topics,
      final int replicationFactor,
      final Map<String, String> topicConfigs) {
    return withAdmin(kafkaProperties, (admin, servers) -> createMissingTopics(admin, servers, topics, replicationFactor, topicConfigs));
  }

  static List<String> createMissingTopics(
      final Admin admin,
      final Object servers,
      final Collection<Topic> topics,
      final int replicationFactor,
      final Map<String, String> topicConfigs)
      throws ExecutionException, InterruptedException, TimeoutException {
    final Set<String> existing = topicNames(admin);
    final List<NewTopic> missing = new ArrayList<>();
    for (final Topic topic : topics) {
      if (!existing.contains(topic.name())) {
        missing.add(
            new NewTopic(topic.name(), topic.partitions(), (short) replicationFactor)
                .configs(topicConfigs(topic, replicationFactor, topicConfigs)));
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    try {
      admin.createTopics(missing).all().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (final ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ClusterAccessException(
            "Kafka at "
                + servers
                + " refused to create "
                + missing.stream().map(NewTopic::name).toList()
                + " with replication factor "
                + replicationFactor
                + ": "
                + e.getCause().getMessage()
                + " (is --replication-factor at most the number of brokers?)",
            e.getCause());
      }
    }
    return missing.stream().map(NewTopic::name).toList();
  }

  private static Map<String, String> topicConfigs(final Topic topic, final int replicationFactor, final Map<String, String> more) {
    final Map<String, String> configs = new HashMap<>(more);
    configs.putAll(topic.configs());
    configs.put("min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
    return configs;
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return 3 replicas on a cluster of three or more brokers, else one per broker
   * @throws ClusterAccessException when the cluster cannot be reached
   */
  public static int sensibleReplication(final Map<String, Object> kafkaProperties) {
    return withAdmin(
        kafkaProperties,
        (admin, servers) -> Math.min(3, admin.describeCluster().nodes().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS).size()));
  }

  /**
   * Asks the cluster to describe itself and waits at most {@code timeout} for the answer: the check
   * a command makes before any work, so that a cluster out of reach is said at once, after a wait
   * the user chose, rather than by a client that retries for minutes or for ever.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param timeout how long to wait for an answer
   * @return whether the cluster answered in time; false also when no bootstrap address resolves
   * @throws ClusterAccessException when the cluster answered and refused these credentials or this
   *     principal
   * @throws ClientsException when it answered with another error
   */
  public static boolean answers(final Map<String, Object> kafkaProperties, final Duration timeout) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    final int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
    final Object servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    final Admin admin;
    try {
      admin = Admin.create(props);
    } catch (final KafkaException e) {
      if (unresolvable(e)) {
        return false;
      }
      throw e;
    }
    try {
      // The call's own timeout ends it; the wait on the future is only a backstop.
      admin.describeCluster().nodes().get(millis + 1_000L, TimeUnit.MILLISECONDS);
      return true;
    } catch (final TimeoutException e) {
      return false;
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        return false;
      }
      return withAdmin(admin, servers, (a, s) -> {
        throw e;
      });
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientsException("Interrupted while checking Kafka at " + servers, e);
    } finally {
      // Nothing is left to wait for: a call still pending was given up on.
      admin.close(Duration.ZERO);
    }
  }

  /** Whether an admin client could not be made because no bootstrap address resolves. */
  private static boolean unresolvable(final KafkaException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConfigException && c.getMessage() != null && c.getMessage().contains("resolvable")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs admin work with an admin client whose calls wait {@link #REACH_TIMEOUT_MS}, and says
   * plainly when the cluster is out of reach or refuses.
   *
   * @param <T> what the work returns
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param work what to do
   * @return what the work returned
   * @throws ClusterAccessException when the cluster cannot be reached, refuses the credentials or
   *     does not allow the principal the work; one the work throws is passed on as it is
   * @throws ClientsException when the cluster refused the work for another reason, or the thread
   *     was interrupted
   */
  public static <T> T withAdmin(final Map<String, Object> kafkaProperties, final AdminWork<T> work) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
    final Object servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(props)) {
      return withAdmin(admin, servers, work);
    }
  }

  /**
   * {@link #withAdmin(Map, AdminWork)} with an admin client the caller made and keeps, such as a
   * monitor's that samples again and again; the caller sets its timeouts and closes it.
   *
   * @param <T> what the work returns
   * @param admin the admin client
   * @param servers the bootstrap servers, for messages
   * @param work what to do
   * @return what the work returned
   * @throws ClusterAccessException when the cluster cannot be reached, refuses the credentials or
   *     does not allow the principal the work
   * @throws ClientsException when the cluster refused the work for another reason
   */
  public static <T> T withAdmin(final Admin admin, final Object servers, final AdminWork<T> work) {
    try {
      return work.run(admin, servers);
    } catch (final TimeoutException e) {
      throw unreachable(servers, e);
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(servers, e);
      }
      if (e.getCause() instanceof AuthenticationException) {
        throw refusedCredentials(servers, e.getCause());
      }
      if (e.getCause() instanceof AuthorizationException) {
        throw new ClusterAccessException(
            "Kafka at " + servers + " did not allow it: " + e.getCause().getMessage()
                + " (the principal these settings authenticate as lacks an ACL; deploy/README.md lists what each needs)",
            e.getCause());
      }
      throw new ClientsException("Kafka at " + servers + " refused: " + e.getCause().getMessage(), e.getCause());
    } catch (final ClusterAccessException e) {
      // Already says what to change, such as a topic the work could not create.
      throw e;
    } catch (final ClientsException e) {
      // This module's other classes wait for the same futures and pass Kafka's failure on as the
      // cause: say the same plain sentences for it.
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException || e.getCause() instanceof TimeoutException) {
        throw unreachable(servers, e);
      }
      if (e.getCause() instanceof AuthenticationException) {
        throw refusedCredentials(servers, e.getCause());
      }
      throw e;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientsException("Interrupted while checking Kafka at " + servers, e);
    }
  }

  private static Set<String> topicNames(final Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
    return admin.listTopics(new ListTopicsOptions().timeoutMs((int) REACH_TIMEOUT_MS)).names().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * @param servers the bootstrap servers, or how to name the cluster
   * @param cause what the client reported
   * @return a message that says the cluster answered and refused, and which settings decide it
   */
  public static ClusterAccessException refusedCredentials(final Object servers, final Throwable cause) {
    return new ClusterAccessException(
        "Kafka at " + servers + " refused to authenticate this client: " + cause.getMessage()
            + " (check security.protocol, sasl.mechanism and sasl.jaas.config, or the ssl.keystore.* and"
            + " ssl.truststore.* settings, in --config or OUTPOST_* variables)",
        cause);
  }

  private static ClusterAccessException unreachable(final Object servers, final Exception e) {
    return ClusterAccessException.unreachable(
        "Cannot reach Kafka at "
            + servers
            + " within "
            + DurationText.format(Duration.ofMillis(REACH_TIMEOUT_MS))
            + ": start 'outpost demo', or point --bootstrap-servers at a running cluster",
        e);
  }

  /**
   * @param kafkaProperties a client's properties
   * @return a copy in which the client's API calls wait {@link #REACH_TIMEOUT_MS} for the cluster,
   *     unless the properties set their own
   */
  public static Map<String, Object> withReachTimeout(final Map<String, Object> kafkaProperties) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
    return props;
  }
}
