package dev.outpost.clients;

import dev.outpost.clients.internal.AdminFutures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Administers the pipeline's Kafka Streams applications on a cluster, and is the one place that
 * decides which topics are an application's internal ones. Two operations rest on that rule:
 * {@link #planReset} and {@link #reset} make an application reprocess its input from a point in
 * time (its input offsets moved, its internal topics and local state deleted), and {@link
 * #deleteNamespace} removes a namespace (its topics, its application's internal topics, consumer
 * group and local state, and its record in a position topic). Both refuse, before changing
 * anything, an application whose consumer group still has members.
 *
 * <p><b>Internal topics.</b> Kafka Streams names a store's changelog {@code
 * <application.id>-<store>-changelog} and a repartition topic {@code
 * <application.id>-<name>-repartition}. The id alone cannot say whose such a topic is: {@code
 * outpost-pipeline-v2-item-ids-seen-changelog} is the changelog of store {@code v2-item-ids-seen}
 * of {@code outpost-pipeline} as much as that of store {@code item-ids-seen} of {@code
 * outpost-pipeline-v2}, and namespaces, whose applications are {@code <application.id>.NAME}, share
 * prefixes the same way ({@code sept} and {@code sept-2025}). So the rule also takes the names the
 * application's topology gives its stores and repartitions, and a topic is internal only when one
 * of those names stands exactly between the id and the suffix.
 *
 * <p>Every admin call waits at most the timeout given; failures are {@link ClientsException}s with
 * Kafka's exception as the cause.
 *
 * @see ConsumerGroupLag
 */
public final class PipelineAdmin {

  private static final String CHANGELOG = "-changelog";
  private static final String REPARTITION = "-repartition";

  /**
   * A Kafka Streams application, as the cluster and this machine hold it.
   *
   * @param id its {@code application.id}: its consumer group, and the prefix of its internal topics
   * @param internalNames the names its topology gives its state stores and repartitions
   * @param stateDirectory the {@code state.dir} of its instances on this machine
   */
  public record Application(String id, Set<String> internalNames, Path stateDirectory) {

    /**
     * @param id its {@code application.id}
     * @param internalNames the names its topology gives its state stores and repartitions
     * @param stateDirectory the {@code state.dir} of its instances on this machine
     */
    public Application {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(stateDirectory, "stateDirectory");
      internalNames = Set.copyOf(internalNames);
    }

    /** @return its local state: the directory Kafka Streams keeps under {@code state.dir}, named by the id */
    public Path localState() {
      return stateDirectory.resolve(id);
    }

    /**
     * @param topics topic names, such as all of a cluster's
     * @return those that are this application's internal topics, sorted
     * @see PipelineAdmin#isInternalTopic
     */
    public List<String> internalTopicsAmong(final Collection<String> topics) {
      return topics.stream().filter(t -> isInternalTopic(id, internalNames, t)).sorted().toList();
    }
  }

  /**
   * One input partition of a reset.
   *
   * @param partition the partition
   * @param committed the application's committed offset now, empty when it has none
   * @param target the offset the reset commits: the first record at or after the time, or the end
   *     when there is none
   */
  public record OffsetMove(TopicPartition partition, OptionalLong committed, long target) {}

  /**
   * What a reset changes, found before anything is changed so that it can be shown first.
   *
   * @param application the application
   * @param inputTopic the topic it reprocesses
   * @param to the time it reprocesses from
   * @param offsets each input partition, in partition order
   * @param internalTopics its internal topics on the cluster, to delete, sorted
   * @param runningMembers members its group had when planned: 0, unless planned for a dry run of
   *     a running application, which cannot be reset until they stop
   */
  public record ResetPlan(
      Application application, String inputTopic, Instant to, List<OffsetMove> offsets, List<String> internalTopics, int runningMembers) {

    /**
     * @param application the application
     * @param inputTopic the topic it reprocesses
     * @param to the time it reprocesses from
     * @param offsets each input partition
     * @param internalTopics its internal topics on the cluster
     */
    public ResetPlan {
      offsets = List.copyOf(offsets);
      internalTopics = List.copyOf(internalTopics);
    }

    /** @return whether the application's local state exists on this machine */
    public boolean localStateExists() {
      return Files.exists(application.localState());
    }
  }

  private final Admin admin;
  private final Map<String, Object> producerProperties;
  private final Duration timeout;

  /**
   * @param admin an admin client of the cluster; the caller closes it
   * @param kafkaProperties client properties of the same cluster, for the producer that writes a
   *     deleted namespace's tombstone, with the {@link ProducerSettings}
   * @param timeout how long each call to the cluster may take
   * @throws IllegalArgumentException when the properties ask for less than the {@link
   *     ProducerSettings}: refused before anything is deleted, not at the tombstone
   */
  public PipelineAdmin(final Admin admin, final Map<String, Object> kafkaProperties, final Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.producerProperties = Map.copyOf(ProducerSettings.safe(kafkaProperties));
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /**
   * The one rule for an application's internal topics.
   *
   * @param applicationId the application's id
   * @param internalNames the names its topology gives its state stores and repartitions
   * @param topic a topic name
   * @return whether the topic is {@code <applicationId>-<name>-changelog} or {@code
   *     <applicationId>-<name>-repartition} for one of the names; a topic of another application
   *     whose id starts with this one's is not
   */
  public static boolean isInternalTopic(final String applicationId, final Collection<String> internalNames, final String topic) {
    for (final String name : internalNames) {
      final String base = applicationId + "-" + name;
      if (topic.equals(base + CHANGELOG) || topic.equals(base + REPARTITION)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Finds what a reset of the application to a time would change, and changes nothing.
   *
   * @param application the application
   * @param inputTopic the topic it reads
   * @param to the time to reprocess from
   * @return the plan; empty when no application of that id has run on this cluster (it has no
   *     consumer group)
   * @throws ApplicationRunningException when its group has members
   * @throws ClientsException when the cluster refused or did not answer in time
   */
  public Optional<ResetPlan> planReset(final Application application, final String inputTopic, final Instant to) {
    return planReset(application, inputTopic, to, false);
  }

  /**
   * {@link #planReset(Application, String, Instant)}, also of a running application when asked:
   * a dry run shows what a reset would change before the application is stopped.
   *
   * @param application the application
   * @param inputTopic the topic it reads
   * @param to the time to reprocess from
   * @param evenIfRunning whether to plan while its group has members; the plan says how many
   * @return the plan; empty when no application of that id has run on this cluster
   * @throws ApplicationRunningException when its group has members and {@code evenIfRunning} is
   *     false
   * @throws ClientsException when the cluster refused or did not answer in time
   */
  public Optional<ResetPlan> planReset(final Application application, final String inputTopic, final Instant to, final boolean evenIfRunning) {
    final Optional<ConsumerGroupDescription> group = describe(application.id());
    if (group.isEmpty()) {
      return Optional.empty();
    }
    if (!evenIfRunning) {
      requireStopped(group.get());
    }
    final int members = group.get().members().size();
    final int partitions =
        await(admin.describeTopics(List.of(inputTopic)).allTopicNames(), "describe topic " + inputTopic).get(inputTopic).partitions().size();
    final Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      atTime.put(new TopicPartition(inputTopic, p), OffsetSpec.forTimestamp(to.toEpochMilli()));
    }
    final Map<TopicPartition, ListOffsetsResultInfo> found =
        await(admin.listOffsets(atTime).all(), "find the offsets of " + inputTopic + " at " + to);
    // The end is the high watermark, at the same isolation level as the time lookup above
    // (read_uncommitted): the end is the target only when no record at all, an open
    // transaction's included, is at or after the time, so every record below the high watermark
    // is older than the time and none of them is to be reprocessed.
    final ConsumerGroupLag lag = ConsumerGroupLag.read(admin, application.id(), atTime.keySet(), LogEnd.HIGH_WATERMARK, timeout);
    final List<OffsetMove> moves = new ArrayList<>();
    for (final ConsumerGroupLag.Partition p : lag.partitions()) {
      final long offset = found.get(p.partition()).offset();
      moves.add(new OffsetMove(p.partition(), p.committed(), offset >= 0 ? offset : p.end()));
    }
    final List<String> internal = application.internalTopicsAmong(await(admin.listTopics().names(), "list the topics"));
    return Optional.of(new ResetPlan(application, inputTopic, to, moves, internal, members));
  }

  /**
   * Carries a plan out: commits the target offsets for the application's group, deletes its
   * internal topics, then its local state.
   *
   * @param plan what {@link #planReset} found
   * @throws ClientsException when the cluster refused (as when an instance started since the plan)
   *     or did not answer in time
   * @throws UncheckedIOException when the local state cannot be deleted
   */
  public void reset(final ResetPlan plan) {
    if (plan.runningMembers() > 0) {
      throw new ApplicationRunningException(plan.application().id(), plan.runningMembers());
    }
    final String id = plan.application().id();
    final Map<TopicPartition, OffsetAndMetadata> target = new HashMap<>();
    plan.offsets().forEach(m -> target.put(m.partition(), new OffsetAndMetadata(m.target())));
    await(admin.alterConsumerGroupOffsets(id, target).all(), "commit the new offsets of group " + id);
    if (!plan.internalTopics().isEmpty()) {
      await(admin.deleteTopics(plan.internalTopics()).all(), "delete the internal topics " + plan.internalTopics());
    }
    deleteTree(plan.application().localState());
  }

  /**
   * Deletes a namespace: its topics and its application's internal topics, the application's
   * consumer group, the namespace's record in the position topic (a tombstone) and the
   * application's local state. What is already gone is skipped, so a deletion that stopped half
   * way can be run again.
   *
   * @param namespace the namespace's name, the key of its record in the position topic
   * @param application the application that runs in the namespace
   * @param topics the namespace's topics, as the caller's catalog names them
   * @param positionTopic a compacted topic that keeps one record per namespace, keyed by its name
   * @return the topics deleted, sorted
   * @throws ApplicationRunningException when the application's group has members; nothing is
   *     deleted then
   * @throws ClientsException when the cluster refused or did not answer in time
   * @throws UncheckedIOException when the local state cannot be deleted
   */
  public List<String> deleteNamespace(
      final String namespace, final Application application, final Collection<String> topics, final String positionTopic) {
    describe(application.id()).ifPresent(PipelineAdmin::requireStopped);
    final Set<String> existing = await(admin.listTopics().names(), "list the topics");
    final Set<String> doomed = new TreeSet<>(application.internalTopicsAmong(existing));
    topics.stream().filter(existing::contains).forEach(doomed::add);
    final List<String> deleted = List.copyOf(doomed);
    if (!deleted.isEmpty()) {
      await(admin.deleteTopics(deleted).all(), "delete the topics " + deleted);
    }
    try {
      await(admin.deleteConsumerGroups(List.of(application.id())).all(), "delete consumer group " + application.id());
    } catch (final ClientsException e) {
      if (e.getCause() instanceof GroupNotEmptyException) {
        // An instance joined since the check above.
        throw new ApplicationRunningException(application.id(), 1);
      }
      if (!(e.getCause() instanceof GroupIdNotFoundException)) {
        throw e;
      }
      // No group: nothing was ever committed in this namespace.
    }
    if (existing.contains(positionTopic)) {
      tombstone(positionTopic, namespace);
    }
    deleteTree(application.localState());
    return deleted;
  }

  /** The group's description; empty when it does not exist. */
  private Optional<ConsumerGroupDescription> describe(final String group) {
    try {
      final ConsumerGroupDescription d =
          await(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group), "describe consumer group " + group);
      // Older brokers describe a group that does not exist as DEAD rather than failing.
      return d.groupState() == GroupState.DEAD ? Optional.empty() : Optional.of(d);
    } catch (final ClientsException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static void requireStopped(final ConsumerGroupDescription group) {
    if (!group.members().isEmpty()) {
      throw new ApplicationRunningException(group.groupId(), group.members().size());
    }
  }

  private void tombstone(final String topic, final String key) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, null)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final ExecutionException e) {
      throw new ClientsException("Could not write the tombstone of " + key + " to " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (final TimeoutException e) {
      throw new ClientsException("Could not write the tombstone of " + key + " to " + topic + ": Kafka did not answer within " + DurationText.format(timeout), e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientsException("Interrupted while writing the tombstone of " + key + " to " + topic, e);
    }
  }

  private <T> T await(final KafkaFuture<T> future, final String what) {
    return AdminFutures.get(future, System.nanoTime() + timeout.toNanos(), timeout, what);
  }

  private static void deleteTree(final Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (final IOException e) {
      throw new UncheckedIOException("Cannot delete the local state " + dir, e);
    }
  }
}
