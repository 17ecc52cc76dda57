package dev.outpost.testkit;

import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A real in-process KRaft cluster, its data in a temporary directory. On a static field it runs
 * for the whole test class; on an instance field, a fresh one for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
 *
 * @BeforeAll
 * static void topics() {
 *   KAFKA.createTopics(Topics.NEWS_ITEMS);
 * }
 * }</pre>
 *
 * @see StackExtension for the cluster with the schema registry beside it
 */
public final class KafkaClusterExtension extends Fixture<EmbeddedKafkaCluster> {

  private KafkaClusterExtension(final UnaryOperator<EmbeddedKafkaCluster.Builder> settings) {
    super("The embedded Kafka cluster", () -> settings.apply(EmbeddedKafkaCluster.builder()).build().start());
  }

  /**
   * @return one combined broker and controller, as most tests need
   */
  public static KafkaClusterExtension singleBroker() {
    return new KafkaClusterExtension(UnaryOperator.identity());
  }

  /**
   * @param settings adds to the builder (brokers, listeners, broker properties)
   * @return a cluster built with those settings
   */
  public static KafkaClusterExtension with(final UnaryOperator<EmbeddedKafkaCluster.Builder> settings) {
    return new KafkaClusterExtension(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * @return the running cluster
   * @throws IllegalStateException outside the test class's (or test's) lifetime
   */
  public EmbeddedKafkaCluster cluster() {
    return running();
  }

  /**
   * @return the cluster's bootstrap servers
   */
  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }

  /**
   * @return fresh, mutable settings any client of the cluster starts from: the bootstrap servers
   *     and the cluster's timeouts, without a client id, so that clients made from them do not
   *     share one
   */
  public Map<String, Object> clientConfig() {
    final Map<String, Object> config = cluster().adminConfig();
    config.remove(CommonClientConfigs.CLIENT_ID_CONFIG);
    return config;
  }

  /**
   * Creates topics with one replica each, and waits until they have leaders.
   *
   * @param specs the topics
   */
  public void createTopics(final TopicSpec<?, ?>... specs) {
    cluster().createTopics(List.of(specs), (short) 1);
  }
}
