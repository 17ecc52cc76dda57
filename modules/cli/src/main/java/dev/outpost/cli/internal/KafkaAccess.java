package dev.outpost.cli.internal;

import dev.outpost.cli.UserException;
import dev.outpost.clients.ClientsException;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicReader;
import dev.outpost.model.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Checks, before any work starts, that the cluster can be reached and has the topics a command
 * needs, so the user gets one clear sentence instead of a client blocking for a minute.
 */
public final class KafkaAccess {

  /** How long a command waits for the cluster to answer before it gives up. */
  public static final long REACH_TIMEOUT_MS = 15_000;

  private KafkaAccess() {}

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the topics that must exist
   * @throws UserException naming the cluster and each missing topic
   */
  public static void requireTopics(
      final Map<String, Object> kafkaProperties, final Collection<TopicSpec<?, ?>> topics) {
    withAdmin(
        kafkaProperties,
        (admin, servers) -> {
          final Set<String> existing = topicNames(admin);
          final Set<String> missing = new TreeSet<>();
          for (final TopicSpec<?, ?> topic : topics) {
            if (!existing.contains(topic.name())) {
              missing.add(topic.name());
            }
          }
          if (!missing.isEmpty()) {
            throw new UserException(
                "Kafka at "
                    + servers
                    + " has no topic "
                    + String.join(", ", missing)
                    + ": run 'outpost demo' for a local stack that has them, or create them on your cluster");
          }
          return null;
        });
  }

  /**
   * Creates the topics that do not exist yet, with their catalog partitions, cleanup policy and retention.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the topics that must exist
   * @param replicationFactor replicas of each topic created; {@code min.insync.replicas} is
   *     min(2, replicationFactor)
   * @return the names of the topics created, empty when all existed
   * @throws UserException when the cluster cannot be reached or refuses to create a topic
   */
  public static List<String> createMissingTopics(
      final Map<String, Object> kafkaProperties,
      final Collection<TopicSpec<?, ?>> topics,
      final int replicationFactor) {
    return createMissingTopics(kafkaProperties, topics, replicationFactor, Map.of());
  }

  /**
   * Creates the topics that do not exist yet, as {@link #createMissingTopics(Map, Collection,
   * int)} does, with more topic settings.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topics the topics that must exist
   * @param replicationFactor replicas of each topic created
   * @param topicConfigs more settings of each topic created, such as {@code retention.ms}
   * @return the names of the topics created, empty when all existed
   * @throws UserException when the cluster cannot be reached or refuses to create a topic
   */
  public static List<String> createMissingTopics(
      final Map<String, Object> kafkaProperties,
      final Collection<TopicSpec<?, ?>> topics,
      final int replicationFactor,
      final Map<String, String> topicConfigs) {
    return withAdmin(
        kafkaProperties,
        (admin, servers) -> {
          final Set<String> existing = topicNames(admin);
          final List<NewTopic> missing = new ArrayList<>();
          for (final TopicSpec<?, ?> topic : topics) {
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
              throw new UserException(
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
        });
  }

  private static Map<String, String> topicConfigs(
      final TopicSpec<?, ?> topic, final int replicationFactor, final Map<String, String> more) {
    final Map<String, String> configs = new HashMap<>(more);
    configs.putAll(topic.configs());
    configs.put("min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
    return configs;
  }

  /**
   * Reads a compacted topic from its beginning to its current end, read committed (the state
   * topics are written by transactions and idempotent producers; an open transaction's records are
   * not state yet). The whole read has {@link #REACH_TIMEOUT_MS}: these topics hold one small
   * record per key, so a read that takes longer is stuck, not slow.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topic a topic of string keys and values
   * @return the latest value of each key that has one; a tombstone removes its key
   * @throws dev.outpost.clients.TopicReadTimeoutException naming the partitions still behind when
   *     the end is not reached in time
   */
  public static Map<String, String> readLatest(final Map<String, Object> kafkaProperties, final String topic) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (TopicReader<String, String> reader =
        TopicReader.create(props, IsolationLevel.READ_COMMITTED, new StringDeserializer(), new StringDeserializer())) {
      return reader.readLatest(ReadRequest.fromBeginning(topic, Duration.ofMillis(REACH_TIMEOUT_MS)));
    }
  }

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return 3 replicas on a cluster of three or more brokers, else one per broker
   */
  public static int sensibleReplication(final Map<String, Object> kafkaProperties) {
    return withAdmin(
        kafkaProperties,
        (admin, servers) ->
            Math.min(3, admin.describeCluster().nodes().get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS).size()));
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
   * Runs admin work with the command's timeouts, and says plainly when the cluster is out of reach.
   *
   * @param <T> what the work returns
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param work what to do
   * @return what the work returned
   * @throws UserException when the cluster cannot be reached
   */
  public static <T> T withAdmin(final Map<String, Object> kafkaProperties, final AdminWork<T> work) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
    final Object servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(props)) {
      return work.run(admin, servers);
    } catch (final TimeoutException e) {
      throw unreachable(servers, e);
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(servers, e);
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException) {
        throw refusedCredentials(servers, e.getCause());
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
        throw new UserException(
            "Kafka at " + servers + " did not allow it: " + e.getCause().getMessage()
                + " (the principal these settings authenticate as lacks an ACL; deploy/README.md lists what each needs)",
            e.getCause());
      }
      throw new IllegalStateException("Kafka at " + servers + " refused: " + e.getCause().getMessage(), e.getCause());
    } catch (final ClientsException e) {
      // The clients module waits for the same futures and passes Kafka's failure on as the cause:
      // say the same plain sentences for it.
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException || e.getCause() instanceof TimeoutException) {
        throw unreachable(servers, e);
      }
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException) {
        throw refusedCredentials(servers, e.getCause());
      }
      throw e;
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka at " + servers, e);
    }
  }

  private static Set<String> topicNames(final Admin admin)
      throws ExecutionException, InterruptedException, TimeoutException {
    return admin
        .listTopics(new ListTopicsOptions().timeoutMs((int) REACH_TIMEOUT_MS))
        .names()
        .get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * @param servers the bootstrap servers
   * @param cause what the client reported
   * @return a message that says the cluster answered and refused, and which settings decide it
   */
  public static UserException refusedCredentials(final Object servers, final Throwable cause) {
    return new UserException(
        "Kafka at " + servers + " refused to authenticate this client: " + cause.getMessage()
            + " (check security.protocol, sasl.mechanism and sasl.jaas.config, or the ssl.keystore.* and"
            + " ssl.truststore.* settings, in --config or OUTPOST_* variables)",
        cause);
  }

  private static UserException unreachable(final Object servers, final Exception e) {
    return new UserException(
        "Cannot reach Kafka at "
            + servers
            + " within "
            + REACH_TIMEOUT_MS / 1000
            + " s: start 'outpost demo', or point --bootstrap-servers at a running cluster",
        e);
  }

  /**
   * @param topics topic specs
   * @return their names
   */
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

  public static List<String> names(final Collection<TopicSpec<?, ?>> topics) {
    return topics.stream().map(TopicSpec::name).toList();
  }
}
