package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicResults;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sentences a command says when the cluster cannot be used as its settings ask: a missing
 * topic, a topic the cluster will not create, a cluster out of reach, refusing the credentials or
 * the principal; and the topics created with the settings they need. On an admin client that
 * answers from what the test gives it; {@code TopicAdminIT} in testkit does the same on a broker.
 */
class TopicAdminTest {

  private static final String SERVERS = "kafka-1:9092";

  /** An admin client that lists the given topics, and records and answers creations. */
  private static final class Cluster {
    final Set<String> topics;
    final List<NewTopic> created = new ArrayList<>();
    Throwable createFailure;

    Cluster(final String... topics) {
      this.topics = Set.of(topics);
    }

    Admin admin() {
      final InvocationHandler handler =
          (proxy, method, args) -> {
            if ("listTopics".equals(method.getName())) {
              return TopicResults.listing(topics);
            }
            if ("createTopics".equals(method.getName())) {
              final List<NewTopic> asked = ((Collection<?>) args[0]).stream().map(NewTopic.class::cast).toList();
              created.addAll(asked);
              return TopicResults.created(asked, createFailure);
            }
            throw new UnsupportedOperationException("The test's admin does not answer " + method.getName());
          };
      return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, handler);
    }
  }

  private static TopicAdmin.Topic topic(final String name) {
    return new TopicAdmin.Topic(name, 6, Map.of("cleanup.policy", "compact"));
  }

  @Test
  void aMissingTopicIsNamedWithTheClusterAndWhatToDo() {
    final Cluster cluster = new Cluster("news.items.v1");

    assertThatThrownBy(
            () ->
                TopicAdmin.withAdmin(
                    cluster.admin(),
                    SERVERS,
                    (admin, servers) -> {
                      TopicAdmin.requireTopics(admin, servers, List.of("news.items.v1", "news.zeta.v1", "news.alpha.v1"));
                      return null;
                    }))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kafka at kafka-1:9092 has no topic news.alpha.v1, news.zeta.v1: run 'outpost demo' for a local stack that has"
                + " them, or create them on your cluster");
  }

  @Test
  void topicsThatExistAreRequiredSilently() throws Exception {
    final Cluster cluster = new Cluster("news.items.v1", "news.classified.v1");

    TopicAdmin.requireTopics(cluster.admin(), SERVERS, List.of("news.items.v1", "news.classified.v1"));

    assertThat(cluster.created).isEmpty();
  }

  @Test
  void onlyTheMissingTopicsAreCreatedWithTheirPartitionsSettingsAndMinInsyncReplicas() throws Exception {
    // given a cluster that has one of the two topics
    final Cluster cluster = new Cluster("news.items.v1");

    // when both are asked for with three replicas, and a retention for every topic created
    final List<String> created =
        TopicAdmin.createMissingTopics(
            cluster.admin(),
            SERVERS,
            List.of(topic("news.items.v1"), topic("outpost.state.v1")),
            3,
            Map.of("retention.ms", "-1", "cleanup.policy", "delete"));

    // then only the missing one is created, its own cleanup policy winning over the extra one
    assertThat(created).containsExactly("outpost.state.v1");
    assertThat(cluster.created).hasSize(1);
    final NewTopic made = cluster.created.get(0);
    assertThat(made.name()).isEqualTo("outpost.state.v1");
    assertThat(made.numPartitions()).isEqualTo(6);
    assertThat(made.replicationFactor()).isEqualTo((short) 3);
    assertThat(made.configs())
        .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "compact", "retention.ms", "-1", "min.insync.replicas", "2"));
  }

  @Test
  void oneReplicaNeedsOneInsync() throws Exception {
    final Cluster cluster = new Cluster();

    TopicAdmin.createMissingTopics(cluster.admin(), SERVERS, List.of(topic("outpost.state.v1")), 1, Map.of());

    assertThat(cluster.created.get(0).configs()).containsEntry("min.insync.replicas", "1");
  }

  @Test
  void nothingIsCreatedWhenEveryTopicExists() throws Exception {
    final Cluster cluster = new Cluster("outpost.state.v1");

    assertThat(TopicAdmin.createMissingTopics(cluster.admin(), SERVERS, List.of(topic("outpost.state.v1")), 1, Map.of())).isEmpty();
    assertThat(cluster.created).isEmpty();
  }

  @Test
  void aTopicAnotherClientCreatedMeanwhileCountsAsCreated() throws Exception {
    final Cluster cluster = new Cluster();
    cluster.createFailure = new TopicExistsException("Topic 'outpost.state.v1' already exists.");

    assertThat(TopicAdmin.createMissingTopics(cluster.admin(), SERVERS, List.of(topic("outpost.state.v1")), 1, Map.of()))
        .containsExactly("outpost.state.v1");
  }

  @Test
  void aRefusedCreationSaysWhichTopicsAndReplicationAndKeepsKafkasReason() {
    // given a cluster of fewer brokers than the replicas asked for
    final Cluster cluster = new Cluster();
    final InvalidReplicationFactorException reason =
        new InvalidReplicationFactorException("Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 1 broker(s) are registered.");
    cluster.createFailure = reason;

    // then the sentence names the topic and the flag to check, through withAdmin unchanged
    assertThatThrownBy(
            () ->
                TopicAdmin.withAdmin(
                    cluster.admin(),
                    SERVERS,
                    (admin, servers) -> TopicAdmin.createMissingTopics(admin, servers, List.of(topic("outpost.state.v1")), 3, Map.of())))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kafka at kafka-1:9092 refused to create [outpost.state.v1] with replication factor 3: "
                + reason.getMessage()
                + " (is --replication-factor at most the number of brokers?)")
        .hasCause(reason);
  }

  @Test
  void aSentenceTheWorkAlreadySaidIsPassedOnEvenWhenItsCauseIsARefusal() {
    final ClusterAccessException said =
        new ClusterAccessException("Kafka at kafka-1:9092 refused to create [t]", new SaslAuthenticationException("bad password"));

    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> { throw said; })).isSameAs(said);
  }

  static Stream<Exception> outOfReach() {
    final org.apache.kafka.common.errors.TimeoutException kafka =
        new org.apache.kafka.common.errors.TimeoutException("Timed out waiting for a node assignment. Call: listTopics");
    return Stream.of(
        new TimeoutException(),
        new ExecutionException(kafka),
        new ClientsException("Could not list the topics: " + kafka.getMessage(), kafka),
        new ClientsException("Could not list the topics: Kafka did not answer within 15s", new TimeoutException()));
  }

  @ParameterizedTest
  @MethodSource("outOfReach")
  void aClusterThatDoesNotAnswerIsOutOfReach(final Exception failure) {
    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(failure)))
        .isInstanceOfSatisfying(ClusterAccessException.class, e -> assertThat(e.isUnreachable()).isTrue())
        .hasMessage("Cannot reach Kafka at kafka-1:9092 within 15s: start 'outpost demo', or point --bootstrap-servers at a running cluster");
  }

  @Test
  void aClosedPortDoesNotAnswerAndIsToldWithinTheTimeout() throws Exception {
    // given a port on this machine that nothing listens on
    final int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    final Duration timeout = Duration.ofSeconds(1);

    // when
    final long start = System.nanoTime();
    final boolean answered = TopicAdmin.answers(Map.of("bootstrap.servers", "127.0.0.1:" + closed), timeout);
    final Duration took = Duration.ofNanos(System.nanoTime() - start);

    // then: no answer, and no longer than the timeout and the backstop's second, with slack for a
    // slow machine, but far short of the clients' own timeouts (15s, 60s)
    assertThat(answered).isFalse();
    assertThat(took).isLessThan(timeout.plusSeconds(6));
  }

  @Test
  void aHostThatDoesNotResolveDoesNotAnswer() {
    assertThat(TopicAdmin.answers(Map.of("bootstrap.servers", "no-such-host.invalid:9092"), Duration.ofSeconds(1))).isFalse();
  }

  @Test
  void aClusterThatAnswersWithoutAnUnreachableFlagIsNotUnreachable() {
    final ClusterAccessException refused = TopicAdmin.refusedCredentials(SERVERS, new SaslAuthenticationException("bad password"));

    assertThat(refused.isUnreachable()).isFalse();
  }

  static Stream<Exception> refusedCredentials() {
    final SaslAuthenticationException refused = new SaslAuthenticationException("Authentication failed: Invalid username or password");
    return Stream.of(new ExecutionException(refused), new ClientsException("Could not list the topics: " + refused.getMessage(), refused));
  }

  @ParameterizedTest
  @MethodSource("refusedCredentials")
  void refusedCredentialsNameTheSettingsThatDecideThem(final Exception failure) {
    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(failure)))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kafka at kafka-1:9092 refused to authenticate this client: Authentication failed: Invalid username or password"
                + " (check security.protocol, sasl.mechanism and sasl.jaas.config, or the ssl.keystore.* and"
                + " ssl.truststore.* settings, in --config or OUTPOST_* variables)")
        .hasCauseInstanceOf(SaslAuthenticationException.class);
  }

  @Test
  void aMissingAclPointsAtTheDeployGuide() {
    final TopicAuthorizationException denied = new TopicAuthorizationException(Set.of("news.items.v1"));

    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(new ExecutionException(denied))))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessage(
            "Kafka at kafka-1:9092 did not allow it: "
                + denied.getMessage()
                + " (the principal these settings authenticate as lacks an ACL; deploy/README.md lists what each needs)")
        .hasCause(denied);
  }

  @Test
  void anotherRefusalIsAFailureOfTheWorkNotOfTheSettings() {
    final IllegalStateException odd = new IllegalStateException("broker says no");

    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(new ExecutionException(odd))))
        .isExactlyInstanceOf(ClientsException.class)
        .hasMessage("Kafka at kafka-1:9092 refused: broker says no")
        .hasCause(odd);
  }

  @Test
  void aClientsFailureOfAnotherKindIsPassedOnAsItIs() {
    final ClientsException other = new ClientsException("Could not delete consumer group g: group is not empty");

    assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(other))).isSameAs(other);
  }

  @Test
  void anInterruptedCheckKeepsTheInterrupt() {
    try {
      assertThatThrownBy(() -> TopicAdmin.withAdmin(new Cluster().admin(), SERVERS, (admin, servers) -> fail(new InterruptedException())))
          .isExactlyInstanceOf(ClientsException.class)
          .hasMessage("Interrupted while checking Kafka at kafka-1:9092");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theReachTimeoutIsADefaultTheCallerMayOverride() {
    assertThat(TopicAdmin.withReachTimeout(Map.of("bootstrap.servers", SERVERS)))
        .containsEntry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000)
        .containsEntry("bootstrap.servers", SERVERS);
    assertThat(TopicAdmin.withReachTimeout(Map.of(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000)))
        .containsEntry(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
  }

  @Test
  void aTopicNeedsAPartition() {
    assertThatThrownBy(() -> new TopicAdmin.Topic("t", 0, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Topic t needs at least one partition, got 0");
  }

  /** Work that fails as an admin call can, checked exceptions included. */
  private static Object fail(final Exception failure) throws ExecutionException, InterruptedException, TimeoutException {
    if (failure instanceof ExecutionException e) {
      throw e;
    }
    if (failure instanceof InterruptedException e) {
      throw e;
    }
    if (failure instanceof TimeoutException e) {
      throw e;
    }
    throw (RuntimeException) failure;
  }
}
