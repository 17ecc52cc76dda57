package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.model.Alert;
import dev.outpost.model.Category;
import dev.outpost.model.NewsItem;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.RegistryTls;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.registry.server.KafkaSchemaStore;
import dev.outpost.registry.server.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outpost on a secured cluster: TLS everywhere, SCRAM-SHA-512 users and mutual TLS, an authorizer
 * with the ACLs of deploy/k8s, and the schema registry behind TLS with basic authentication. Keys
 * and certificates are made by the test; secrets reach Outpost through files.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SecureClusterIT {

  private static final String PIPELINE = "outpost-pipeline";
  private static final String SUBSCRIBER = "outpost-subscriber";
  private static final String DISPATCHER = "outpost-dispatcher";
  private static final String MTLS_CLIENT = "outpost-mtls";

  @TempDir static Path dir;
  private static TestPki pki;
  private static EmbeddedKafkaCluster cluster;
  private static KafkaSchemaStore store;
  private static RegistryServer registry;
  private static final Map<String, String> passwords = new HashMap<>();
  private static String registryUserInfo;

  @BeforeAll
  static void startSecuredCluster() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    final String keyStore = pki.serverKeyStore().toString();
    final String trustStore = pki.trustStore().toString();
    final EmbeddedKafkaCluster.Builder builder =
        EmbeddedKafkaCluster.builder()
            .listener("SASL", "SASL_SSL")
            .listener("MTLS", "SSL")
            .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
            .brokerProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;")
            .brokerProperty("listener.name.mtls.ssl.client.auth", "required")
            .brokerProperty("listener.name.mtls.ssl.truststore.location", trustStore)
            .brokerProperty("listener.name.mtls.ssl.truststore.password", pki.password())
            .brokerProperty("listener.name.mtls.ssl.truststore.type", "PKCS12")
            // Brokers and the cluster's own admin talk on the plaintext loopback listener, as ANONYMOUS.
            .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:ANONYMOUS");
    for (final String listener : List.of("sasl", "mtls")) {
      builder
          .brokerProperty("listener.name." + listener + ".ssl.keystore.location", keyStore)
          .brokerProperty("listener.name." + listener + ".ssl.keystore.password", pki.password())
          .brokerProperty("listener.name." + listener + ".ssl.key.password", pki.password())
          .brokerProperty("listener.name." + listener + ".ssl.keystore.type", "PKCS12");
    }
    cluster = builder.build().start();

    final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.PIPELINE);
    topics.add(Topics.REGISTRY_SCHEMAS);
    topics.addAll(Topics.DELIVERY);
    topics.addAll(Topics.dispatchTopics("outpost-dispatch"));
    cluster.createTopics(topics, (short) 1);
    try (Admin admin = cluster.createAdmin()) {
      final List<UserScramCredentialUpsertion> users = new ArrayList<>();
      for (final String user : List.of(PIPELINE, SUBSCRIBER, DISPATCHER)) {
        passwords.put(user, UUID.randomUUID().toString());
        users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(user)));
      }
      admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
      final List<AclBinding> acls = new ArrayList<>(deployedAcls());
      // The mutual-TLS client of this test, by its certificate's name, may read one alert topic.
      for (final AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
        acls.add(allow("CN=" + MTLS_CLIENT, new ResourcePattern(ResourceType.TOPIC, Topics.ALERTS_PARADE.name(), PatternType.LITERAL), operation));
      }
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    store = new KafkaSchemaStore(cluster.bootstrapServers(), Topics.REGISTRY_SCHEMAS.name(), (short) 1, Map.of());
    registryUserInfo = "outpost-registry:" + UUID.randomUUID();
    registry = RegistryServer.builder().tls(pki.serverContext()).basicAuth(registryUserInfo).store(store).build();
    registry.start();
  }

  @AfterAll
  static void stop() throws Exception {
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

  @Test
  void aSubscriberWithItsCredentialsReadsAlertsThroughTlsAndTheRegistryBehindTlsAndBasicAuth() throws Exception {
    final String alertId = publishAlert("tls-1");

    final CliRunner.Result result = subscribe(config(SUBSCRIBER, passwords.get(SUBSCRIBER), registryUserInfo), "group-ok");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains(alertId);
  }

  @Test
  void aWrongPasswordIsRefusedWithWhatToCheck() throws Exception {
    final CliRunner.Result result = subscribe(config(SUBSCRIBER, "not-the-password", registryUserInfo), "group-bad-password");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("refused to authenticate this client", "sasl.jaas.config").doesNotContain("\tat ");
  }

  @Test
  void wrongRegistryCredentialsAreNamedAndNoAlertIsSkipped() throws Exception {
    publishAlert("tls-2");

    final CliRunner.Result result =
        subscribe(config(SUBSCRIBER, passwords.get(SUBSCRIBER), "outpost-registry:wrong"), "group-bad-registry");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(result.err()).contains("HTTP 401", "basic.auth.user.info", "Nothing was skipped");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void theSubscriberPrincipalCannotWriteToAlertTopics() throws Exception {
    final Map<String, Object> props = clientProperties(SUBSCRIBER, passwords.get(SUBSCRIBER));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    // Not idempotent, so the broker checks the topic itself rather than refusing a producer id.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    props.put(ProducerConfig.ACKS_CONFIG, "1");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (final Category category : Category.values()) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.alertTopicFor(category).name(), "k", "forged")).get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @Test
  void theDispatcherStopsRatherThanSkipAnAlertTheRegistryWillNotServe() throws Exception {
    final org.apache.kafka.clients.producer.RecordMetadata written = superUserSend(Topics.ALERTS_PARADE.name(), "dispatch-1", alert("dispatch-1"));

    final CliRunner.Result result =
        CliRunner.run(
            "dispatch", "--config", config(DISPATCHER, passwords.get(DISPATCHER), "outpost-registry:wrong").toString(),
            "--bootstrap-servers", cluster.bootstrapServers("SASL"),
            "--schema-registry-url", registry.url(),
            "--status-interval", "1s");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(result.err()).contains("HTTP 401", "Nothing was skipped");
    try (Admin admin = cluster.createAdmin()) {
      final var committed =
          admin.listConsumerGroupOffsets("outpost-dispatch").partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
              .get(new TopicPartition(written.topic(), written.partition()));
      assertThat(committed == null ? 0 : committed.offset()).as("the group's position on the alert's partition").isLessThanOrEqualTo(written.offset());
    }
  }

  @Test
  void mutualTlsWithAClientCertificateWorksAndWithoutOneIsRefused() throws Exception {
    final String alertId = publishAlert("mtls-1");
    final Path withCertificate = dir.resolve("mtls.properties");
    final Path secrets = secrets("mtls", "unused", registryUserInfo);
    Files.writeString(
        withCertificate,
        String.join(
            "\n",
            "security.protocol=SSL",
            providers(),
            "ssl.truststore.location=" + pki.trustStore(),
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.password=${file:" + secrets + ":store.password}",
            "ssl.keystore.location=" + pki.clientKeyStore(MTLS_CLIENT),
            "ssl.keystore.type=PKCS12",
            "ssl.keystore.password=${file:" + secrets + ":store.password}",
            "ssl.key.password=${file:" + secrets + ":store.password}",
            registrySettings(secrets)));
    final Path withoutCertificate = dir.resolve("tls-only.properties");
    Files.writeString(
        withoutCertificate,
        Files.readAllLines(withCertificate).stream().filter(l -> !l.startsWith("ssl.key")).reduce((x, y) -> x + "\n" + y).orElseThrow());

    final CliRunner.Result ok = tail(withCertificate);
    final CliRunner.Result refused = tail(withoutCertificate);

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains(alertId);
    assertThat(refused.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(refused.err()).contains("refused to authenticate this client");
  }

  @Test
  void thePipelineRunsAsItsPrincipalWithOnlyTheAclsOfDeploy() throws Exception {
    final Path config = config(PIPELINE, passwords.get(PIPELINE), registryUserInfo);
    try (OutpostProcess run =
        OutpostProcess.start(
            "run", "--config", config.toString(),
            "--bootstrap-servers", cluster.bootstrapServers("SASL"),
            "--schema-registry-url", registry.url(),
            "--no-create-topics", "--ops-port", "-1", "--status-interval", "0",
            "--state-dir", dir.resolve("state").toString())) {
      run.awaitLine("running on", Duration.ofSeconds(90));
      final NewsItem item =
          NewsItem.newBuilder().setId("secure-1").setSource("it").setTitle("Russia and Belarus begin joint military exercise")
              .setBody("Troops of both countries started joint military exercises near the border on Monday.")
              .setPublishedAt(Instant.now()).setIngestedAt(Instant.now()).build();
      superUserSend(Topics.NEWS_ITEMS.name(), item.getId(), item);

      await().atMost(Duration.ofSeconds(60)).until(() -> countAsSuperUser(Topics.ALERTS_MILITARY_EXERCISE.name()) > 0);
      assertThat(run.lines()).noneMatch(l -> l.contains("AuthorizationException") || l.contains("not authorized"));
      assertThat(run.terminate()).isTrue();
    }
  }

  // --- helpers ---

  /** The ACLs of every KafkaUser in deploy/k8s, as a Strimzi cluster would apply them. */
  private static List<AclBinding> deployedAcls() throws IOException {
    final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());
    final List<AclBinding> acls = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../../deploy/k8s"), java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      for (final Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
        for (final JsonNode doc : yaml.readValues(yaml.getFactory().createParser(file.toFile()), JsonNode.class).readAll()) {
          if (!"KafkaUser".equals(doc.path("kind").asText())) {
            continue;
          }
          final String user = doc.path("metadata").path("name").asText();
          for (final JsonNode acl : doc.path("spec").path("authorization").path("acls")) {
            final JsonNode resource = acl.path("resource");
            final ResourceType type =
                switch (resource.path("type").asText()) {
                  case "topic" -> ResourceType.TOPIC;
                  case "group" -> ResourceType.GROUP;
                  case "cluster" -> ResourceType.CLUSTER;
                  case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
                  default -> throw new IllegalArgumentException(file + ": unknown resource type " + resource.path("type"));
                };
            final String name = type == ResourceType.CLUSTER ? "kafka-cluster" : resource.path("name").asText();
            final PatternType pattern =
                "prefix".equals(resource.path("patternType").asText("literal")) ? PatternType.PREFIXED : PatternType.LITERAL;
            final List<String> operations = new ArrayList<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            if (acl.hasNonNull("operation")) {
              operations.add(acl.get("operation").asText());
            }
            for (final String operation : operations) {
              acls.add(allow(user, new ResourcePattern(type, name, pattern), AclOperation.valueOf(operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT))));
            }
          }
        }
      }
    }
    assertThat(acls).as("ACLs of the KafkaUsers in deploy/k8s").isNotEmpty();
    return acls;
  }

  private static AclBinding allow(final String user, final ResourcePattern pattern, final AclOperation operation) {
    return new AclBinding(pattern, new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
  }

  private static String providers() {
    return "config.providers=file\nconfig.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider";
  }

  /** A file of secrets, as a Kubernetes secret mounted as a file would be. */
  private static Path secrets(final String name, final String kafkaPassword, final String registryCredentials) throws IOException {
    final Path file = dir.resolve(name + "-secrets.properties");
    Files.writeString(
        file,
        "kafka.password=" + kafkaPassword + "\nstore.password=" + pki.password() + "\nregistry.user.info=" + registryCredentials + "\n");
    return file;
  }

  private static String registrySettings(final Path secrets) throws Exception {
    return String.join(
        "\n",
        "basic.auth.credentials.source=USER_INFO",
        "basic.auth.user.info=${file:" + secrets + ":registry.user.info}",
        RegistryTls.TRUSTSTORE_LOCATION + "=" + pki.trustStore(),
        RegistryTls.TRUSTSTORE_PASSWORD + "=${file:" + secrets + ":store.password}");
  }

  /** A config file for a SCRAM user over SASL_SSL, its secrets in a file of their own. */
  private static Path config(final String user, final String password, final String registryCredentials) throws Exception {
    final Path secrets = secrets(user + "-" + UUID.randomUUID(), password, registryCredentials);
    final Path file = dir.resolve(secrets.getFileName().toString().replace("-secrets", ""));
    Files.writeString(
        file,
        String.join(
            "\n",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=SCRAM-SHA-512",
            providers(),
            "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"${file:" + secrets + ":kafka.password}\";",
            "ssl.truststore.location=" + pki.trustStore(),
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.password=${file:" + secrets + ":store.password}",
            registrySettings(secrets)));
    return file;
  }

  private static Map<String, Object> clientProperties(final String user, final String password) throws Exception {
    final Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", cluster.bootstrapServers("SASL"));
    props.put("security.protocol", "SASL_SSL");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";");
    props.put("ssl.truststore.location", pki.trustStore().toString());
    props.put("ssl.truststore.password", pki.password());
    props.put("ssl.truststore.type", "PKCS12");
    return props;
  }

  private static CliRunner.Result subscribe(final Path config, final String group) {
    return CliRunner.run(
        "subscribe", "--config", config.toString(),
        "--bootstrap-servers", cluster.bootstrapServers("SASL"),
        "--schema-registry-url", registry.url(),
        "--category", "parade", "--from", "earliest", "--idle-timeout", "3s",
        "--group", "outpost-subscribe-" + group);
  }

  private static CliRunner.Result tail(final Path config) {
    return CliRunner.run(
        "tail", Topics.ALERTS_PARADE.name(), "--config", config.toString(),
        "--bootstrap-servers", cluster.bootstrapServers("MTLS"),
        "--schema-registry-url", registry.url(),
        "--from-beginning", "--idle-timeout", "3s");
  }

  private static SchemaRegistryClient superUserRegistry() throws Exception {
    final Map<String, Object> props = new HashMap<>();
    props.put(RegistryClientConfig.URL_CONFIG, registry.url());
    props.put(RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, "USER_INFO");
    props.put(RegistryClientConfig.BASIC_AUTH_USER_INFO_CONFIG, registryUserInfo);
    props.put(RegistryTls.TRUSTSTORE_LOCATION, pki.trustStore().toString());
    props.put(RegistryTls.TRUSTSTORE_PASSWORD, pki.password());
    return new HttpSchemaRegistryClient(RegistryClientConfig.fromProperties(props));
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> org.apache.kafka.clients.producer.RecordMetadata superUserSend(
      final String topic, final String key, final T value) throws Exception {
    try (SchemaRegistryClient client = superUserRegistry();
        SpecificAvroSerializer<T> values = new SpecificAvroSerializer<>(client);
        KafkaProducer<String, T> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.bootstrapServers()), new StringSerializer(), values)) {
      values.configure(Map.of(), false);
      return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /** Publishes a parade alert as the cluster's super user; returns its id. */
  private static String publishAlert(final String itemId) throws Exception {
    final Alert alert = alert(itemId);
    superUserSend(Topics.ALERTS_PARADE.name(), itemId, alert);
    return alert.getAlertId();
  }

  private static Alert alert(final String itemId) {
    return
        Alert.newBuilder().setAlertId(itemId + "#parade").setItemId(itemId).setCategory(Category.PARADE).setConfidence(0.9)
            .setActors(List.of("CHN")).setEvidence(List.of()).setTitle("Military parade in Beijing").setSource("it")
            .setPublishedAt(Instant.now()).setClassifiedAt(Instant.now()).setClassifierVersion("test").build();
  }

  private static long countAsSuperUser(final String topic) {
    final Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", cluster.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long count = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }
}
