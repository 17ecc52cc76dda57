package dev.outpost.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: deleting a namespace removes its topics, its application's changelog, group,
 * position and local state, and nothing of a namespace whose name it prefixes nor of the live
 * pipeline; an application with a member is neither deleted nor reset, and nothing changes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineAdminIT {

  private static final Set<String> NAMES = Set.of("item-ids-seen");
  private static final String POSITIONS = "it.positions.v1";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

  @TempDir Path state;

  private static Map<String, Object> props() {
    return KAFKA.clientConfig();
  }

  private static void create(final Admin admin, final String... topics) throws Exception {
    final List<NewTopic> all = java.util.Arrays.stream(topics).map(t -> new NewTopic(t, 1, (short) 1)).toList();
    admin.createTopics(all).all().get(30, TimeUnit.SECONDS);
  }

  private static Set<String> topics(final Admin admin) throws Exception {
    return admin.listTopics().names().get(30, TimeUnit.SECONDS);
  }

  private static Set<String> groups(final Admin admin) throws Exception {
    return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream().map(GroupListing::groupId).collect(java.util.stream.Collectors.toSet());
  }

  private static void commit(final Admin admin, final String group, final String topic) {
    // A topic just created may not be known to the group coordinator yet: it answers
    // UnknownTopicOrPartition until its metadata arrives, so commit once it takes it.
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0))).all().get(30, TimeUnit.SECONDS);
              return true;
            });
  }

  private Path localState(final String applicationId) throws Exception {
    final Path dir = Files.createDirectories(state.resolve(applicationId).resolve("0_0"));
    Files.writeString(dir.resolve("store"), "state");
    return state.resolve(applicationId);
  }

  @Test
  void deletingANamespaceLeavesTheNamespaceItsNamePrefixesAndTheLivePipeline() throws Exception {
    try (Admin admin = KAFKA.cluster().createAdmin();
        KafkaProducer<String, String> producer = new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer())) {
      // given namespaces "sept" and "sept-2025", each with its topic, changelog, group, position
      // and local state, beside the live pipeline's changelog
      create(
          admin,
          "sept.news.items.v1",
          "outpost-pipeline.sept-item-ids-seen-changelog",
          "sept-2025.news.items.v1",
          "outpost-pipeline.sept-2025-item-ids-seen-changelog",
          "outpost-pipeline-item-ids-seen-changelog",
          POSITIONS);
      commit(admin, "outpost-pipeline.sept", "sept.news.items.v1");
      commit(admin, "outpost-pipeline.sept-2025", "sept-2025.news.items.v1");
      producer.send(new ProducerRecord<>(POSITIONS, "sept", "{}")).get();
      producer.send(new ProducerRecord<>(POSITIONS, "sept-2025", "{}")).get();
      final Path septState = localState("outpost-pipeline.sept");
      final Path laterState = localState("outpost-pipeline.sept-2025");
      final PipelineAdmin.Application sept = new PipelineAdmin.Application("outpost-pipeline.sept", NAMES, state);

      // when "sept" is deleted
      final List<String> deleted =
          new PipelineAdmin(admin, props(), TIMEOUT).deleteNamespace("sept", sept, List.of("sept.news.items.v1", "sept.alerts.parade.v1"), POSITIONS);

      // then all of it is gone, and nothing else
      assertThat(deleted).containsExactly("outpost-pipeline.sept-item-ids-seen-changelog", "sept.news.items.v1");
      await()
          .alias("the deleted topics gone from the listing")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(topics(admin))
                      .doesNotContain("sept.news.items.v1", "outpost-pipeline.sept-item-ids-seen-changelog")
                      .contains(
                          "sept-2025.news.items.v1", "outpost-pipeline.sept-2025-item-ids-seen-changelog", "outpost-pipeline-item-ids-seen-changelog"));
      assertThat(groups(admin)).doesNotContain("outpost-pipeline.sept").contains("outpost-pipeline.sept-2025");
      assertThat(Files.exists(septState)).isFalse();
      assertThat(Files.exists(laterState)).isTrue();
      final Map<String, String> positions;
      try (TopicReader<String, String> reader = TopicReader.create(props(), IsolationLevel.READ_UNCOMMITTED, new StringDeserializer(), new StringDeserializer())) {
        positions = reader.readLatest(ReadRequest.fromBeginning(POSITIONS, TIMEOUT));
      }
      assertThat(positions).containsOnlyKeys("sept-2025");

      // and a second deletion, with nothing left, deletes nothing and fails on nothing
      assertThat(new PipelineAdmin(admin, props(), TIMEOUT).deleteNamespace("sept", sept, List.of("sept.news.items.v1"), POSITIONS)).isEmpty();
    }
  }

  @Test
  void anApplicationWithAMemberIsNeitherDeletedNorResetAndNothingChanges() throws Exception {
    final String app = "outpost-pipeline.busy";
    try (Admin admin = KAFKA.cluster().createAdmin()) {
      create(admin, "busy.news.items.v1", app + "-item-ids-seen-changelog");
      final Path local = localState(app);
      final Map<String, Object> consumerProps = props();
      consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, app);
      try (KafkaConsumer<String, String> member = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
        // given a member in the application's group
        member.subscribe(List.of("busy.news.items.v1"));
        await()
            .alias("the member has its partition")
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  member.poll(Duration.ofMillis(100));
                  return !member.assignment().isEmpty();
                });
        final PipelineAdmin pipelines = new PipelineAdmin(admin, props(), TIMEOUT);
        final PipelineAdmin.Application busy = new PipelineAdmin.Application(app, NAMES, state);

        // when it is deleted or reset, then each is refused, naming the application and its members
        assertThatThrownBy(() -> pipelines.deleteNamespace("busy", busy, List.of("busy.news.items.v1"), POSITIONS))
            .isInstanceOfSatisfying(
                ApplicationRunningException.class, e -> assertThat(List.of(e.applicationId(), e.members())).isEqualTo(List.of(app, 1)));
        assertThatThrownBy(() -> pipelines.planReset(busy, "busy.news.items.v1", Instant.EPOCH))
            .isInstanceOf(ApplicationRunningException.class)
            .hasMessage("Application '" + app + "' is running (1 member(s))");
      }

      // and nothing was deleted
      assertThat(topics(admin)).contains("busy.news.items.v1", app + "-item-ids-seen-changelog");
      assertThat(Files.exists(local)).isTrue();
    }
  }

  @Test
  void anApplicationThatNeverRanHasNothingToReset() throws Exception {
    try (Admin admin = KAFKA.cluster().createAdmin()) {
      final PipelineAdmin.Application never = new PipelineAdmin.Application("never-ran", NAMES, state);

      assertThat(new PipelineAdmin(admin, props(), TIMEOUT).planReset(never, "news.items.v1", Instant.EPOCH)).isEmpty();
    }
  }
}
