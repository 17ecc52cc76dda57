package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.outpost.cli.config.ConfigLoader;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.model.Category;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsEndpoints;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/**
 * The files in deploy/ against the code they deploy: the topics against the catalog, probes and
 * scrape paths against the ops server, principals against the commands' defaults, the ACL script
 * against the KafkaUsers, and the client settings against the Secrets mounted beside them. Read
 * offline: no Docker, Kubernetes or broker is needed.
 *
 * <p>YAML comes from jackson-dataformat-yaml, which reaches this classpath at runtime scope through
 * kafka_2.13; declaring it test-scoped in this module would drop it from the runtime lib/.
 */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("../../deploy");
  private static final Path K8S = DEPLOY.resolve("k8s");
  private static final Path COMPOSE = DEPLOY.resolve("compose/docker-compose.yml");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** The image name the manifests use before kustomize rewrites it. */
  private static final String IMAGE = "outpost";

  /** Operations that change a resource; a reader of alerts must have none of them. */
  private static final Set<String> CHANGING_OPERATIONS =
      Set.of("Write", "Create", "Delete", "Alter", "AlterConfigs", "IdempotentWrite", "ClusterAction", "All");

  @TempDir Path dir;

  /** One YAML document and the file it came from. */
  private record Doc(Path file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }
  }

  @Test
  void everyYamlFileParsesEveryDocumentInIt() throws IOException {
    final List<Path> files = yamlFiles(DEPLOY);

    assertThat(files.stream().map(f -> DEPLOY.relativize(f).toString().replace('\\', '/')))
        .contains(
            "compose/docker-compose.yml",
            "prometheus/prometheus.yml",
            "grafana/provisioning/datasources/prometheus.yml",
            "grafana/provisioning/dashboards/outpost.yml",
            "k8s/kustomization.yaml",
            "k8s/kafka/cluster.yaml",
            "k8s/kafka/topics.yaml",
            "k8s/kafka/users.yaml",
            "k8s/pipeline.yaml");
    for (final Path file : files) {
      final List<JsonNode> docs = documents(file);
      assertThat(docs).as("documents in %s", file).isNotEmpty().allMatch(JsonNode::isObject);
    }
    // Multi-document files are read whole, not just up to the first '---'.
    assertThat(documents(K8S.resolve("kafka/topics.yaml"))).hasSize(productionTopics().size());
  }

  @Test
  void kafkaTopicsAreTheCatalogsTopicsWithItsPartitionsAndCleanupPolicy() throws IOException {
    final Map<String, TopicSpec<?, ?>> expected = productionTopics();
    final String cluster = kafkaCluster().name();
    final List<Doc> topics = k8s().stream().filter(d -> d.kind().equals("KafkaTopic")).toList();

    final List<String> names = new ArrayList<>();
    for (final Doc topic : topics) {
      final JsonNode spec = topic.node().path("spec");
      final String name = spec.path("topicName").asText(topic.name());
      names.add(name);
      assertThat(expected).as("KafkaTopic %s is a catalog topic", name).containsKey(name);
      final TopicSpec<?, ?> catalog = expected.get(name);
      assertThat(spec.path("partitions").asInt()).as("partitions of %s", name).isEqualTo(catalog.partitions());
      assertThat(spec.path("config").path("cleanup.policy").asText())
          .as("cleanup.policy of %s", name)
          .isEqualTo(catalog.cleanupPolicy().configValue());
      assertThat(spec.path("config").path("retention.ms").isMissingNode() ? null : spec.path("config").path("retention.ms").asText())
          .as("retention.ms of %s", name)
          .isEqualTo(catalog.configs().get("retention.ms"));
      assertThat(spec.path("config").path("min.insync.replicas").asInt()).as("min.insync.replicas of %s", name).isEqualTo(2);
      assertThat(spec.path("replicas").asInt()).as("replicas of %s", name).isEqualTo(3);
      assertThat(topic.node().path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .as("cluster of %s", name)
          .isEqualTo(cluster);
    }
    assertThat(names).doesNotHaveDuplicates();
    assertThat(names).containsAll(Topics.PIPELINE.stream().map(TopicSpec::name).toList());
    assertThat(names).containsAll(Topics.DELIVERY.stream().map(TopicSpec::name).toList());
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected.keySet());
  }

  @Test
  void composeCreatesTheSameTopicsWithTheSamePartitions() throws IOException {
    final String script = String.join("\n", strings(composeService("create-topics").path("command")));
    final Map<String, String> created = new TreeMap<>();
    final Matcher m = Pattern.compile("(?m)^\\s*topic\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)(\\s+\\d+)?\\s*$").matcher(script);
    while (m.find()) {
      final String retention = m.group(4) == null ? "" : " retention.ms=" + m.group(4).strip();
      assertThat(created.put(m.group(1), m.group(2) + " " + m.group(3) + retention)).as("%s created twice", m.group(1)).isNull();
    }

    final Map<String, String> expected = new TreeMap<>();
    productionTopics()
        .forEach(
            (name, t) ->
                expected.put(
                    name,
                    t.partitions()
                        + " "
                        + t.cleanupPolicy().configValue()
                        + (t.retention() == null ? "" : " retention.ms=" + t.retention().toMillis())));
    assertThat(created).isEqualTo(expected);
    assertThat(expected.get(Topics.dispatchParked(dispatchGroup()).name())).as("parked alerts outlive the broker's default").contains("retention.ms=");
    assertThat(script)
        .contains("--replication-factor 3", "--config min.insync.replicas=2", "--if-not-exists", "--config retention.ms=$$4");
  }

  @Test
  void composeRunsTwoPipelineInstancesOfOneApplicationOnPreCreatedTopics() throws IOException {
    final JsonNode services = compose().path("services");
    final List<String> pipelines = new ArrayList<>();
    final Set<String> stateVolumes = new TreeSet<>();
    for (final Map.Entry<String, JsonNode> e : services.properties()) {
      final List<String> command = strings(e.getValue().path("command"));
      if (!command.isEmpty() && command.get(0).equals("run")) {
        pipelines.add(e.getKey());
        assertThat(command).as(e.getKey()).contains("--no-create-topics");
        assertThat(flag(command, "--profile")).as(e.getKey()).isEqualTo("production");
        assertThat(flag(command, "--application-id")).as(e.getKey()).isEqualTo(Settings.APPLICATION_ID.defaultValue());
        final String stateDir = flag(command, "--state-dir");
        final List<String> mounts = strings(e.getValue().path("volumes"));
        assertThat(mounts).as("state volume of %s", e.getKey()).anyMatch(v -> v.endsWith(":" + stateDir));
        mounts.stream().filter(v -> v.endsWith(":" + stateDir)).forEach(v -> stateVolumes.add(v.substring(0, v.indexOf(':'))));
      }
    }
    assertThat(pipelines).hasSizeGreaterThanOrEqualTo(2);
    assertThat(stateVolumes).as("each instance has its own state volume").hasSameSizeAs(pipelines);
    assertThat(flag(strings(services.path("dispatcher").path("command")), "--group")).isEqualTo(dispatchGroup());
  }

  @Test
  void probesAndScrapesUseThePathsTheOpsServerServes() throws IOException {
    final List<String> probed = new ArrayList<>();
    for (final Doc deployment : outpostDeployments()) {
      final JsonNode container = outpostContainer(deployment);
      if (container.has("livenessProbe") || container.has("readinessProbe")) {
        probed.add(deployment.name());
        final JsonNode live = container.path("livenessProbe").path("httpGet");
        final JsonNode ready = container.path("readinessProbe").path("httpGet");
        assertThat(live.path("path").asText()).as("liveness of %s", deployment.name()).isEqualTo(OpsEndpoints.HEALTH_PATH);
        assertThat(ready.path("path").asText()).as("readiness of %s", deployment.name()).isEqualTo(OpsEndpoints.READY_PATH);
        final String opsPort = flag(strings(container.path("args")), "--ops-port");
        assertThat(containerPort(container, live.path("port").asText())).as("liveness port of %s", deployment.name()).isEqualTo(opsPort);
        assertThat(containerPort(container, ready.path("port").asText())).as("readiness port of %s", deployment.name()).isEqualTo(opsPort);
      }
    }
    assertThat(probed).containsExactlyInAnyOrder("outpost-pipeline", "outpost-ops");

    final List<Doc> monitors = k8s().stream().filter(d -> d.kind().equals("ServiceMonitor")).toList();
    assertThat(monitors).isNotEmpty();
    for (final Doc monitor : monitors) {
      for (final JsonNode endpoint : monitor.node().path("spec").path("endpoints")) {
        assertThat(endpoint.path("path").asText()).as("ServiceMonitor %s", monitor.name()).isEqualTo(OpsEndpoints.METRICS_PATH);
      }
    }

    final JsonNode services = compose().path("services");
    final JsonNode jobs = documents(DEPLOY.resolve("prometheus/prometheus.yml")).get(0).path("scrape_configs");
    assertThat(jobs).isNotEmpty();
    for (final JsonNode job : jobs) {
      assertThat(job.path("metrics_path").asText()).as("job %s", job.path("job_name").asText()).isEqualTo(OpsEndpoints.METRICS_PATH);
      for (final JsonNode target : job.path("static_configs").path(0).path("targets")) {
        final String[] hostPort = target.asText().split(":", -1);
        final List<String> command = strings(services.path(hostPort[0]).path("command"));
        assertThat(flag(command, "--ops-port")).as("ops port of the scrape target %s", target.asText()).isEqualTo(hostPort[1]);
      }
    }

    final List<String> checked = new ArrayList<>();
    for (final Map.Entry<String, JsonNode> e : services.properties()) {
      final List<String> test = strings(e.getValue().path("healthcheck").path("test"));
      if (test.size() > 1 && test.get(1).equals("outpost-http-check")) {
        checked.add(e.getKey());
        assertThat(test.get(2)).as("health check of %s", e.getKey()).isIn(OpsEndpoints.HEALTH_PATH, OpsEndpoints.READY_PATH);
        assertThat(test.get(3)).as("health check port of %s", e.getKey()).isEqualTo(flag(strings(e.getValue().path("command")), "--ops-port"));
      }
    }
    assertThat(checked).contains("pipeline-1", "pipeline-2", "ops");
  }

  @Test
  void theImageRunsTheCliJarAsANonRootUser() throws IOException {
    final List<String> instructions = dockerInstructions(DEPLOY.resolve("Dockerfile"));
    int runtimeStage = -1;
    for (int i = 0; i < instructions.size(); i++) {
      if (keyword(instructions.get(i)).equals("FROM")) {
        runtimeStage = i;
      }
    }
    assertThat(runtimeStage).as("a FROM line").isPositive();
    final List<String> runtime = instructions.subList(runtimeStage, instructions.size());

    final List<String> users = runtime.stream().filter(i -> keyword(i).equals("USER")).map(DeployFilesTest::argument).toList();
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    final String uid = users.get(users.size() - 1).split(":", -1)[0];
    assertThat(uid).as("the runtime user is numeric, so Kubernetes can check runAsNonRoot").matches("\\d+");
    assertThat(Integer.parseInt(uid)).as("the runtime user is not root").isPositive();

    final String finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(Path.of("pom.xml")))
        .results().map(r -> r.group(1)).findFirst().orElseThrow();
    assertThat(runtime).anyMatch(i -> keyword(i).equals("COPY") && i.contains("modules/cli/target/" + finalName + ".jar"));
    assertThat(runtime).anyMatch(i -> keyword(i).equals("COPY") && i.contains("modules/cli/target/lib/"));
    assertThat(runtime.stream().filter(i -> keyword(i).equals("ENTRYPOINT")).toList())
        .singleElement()
        .asString()
        .contains(Outpost.class.getName());
    assertThat(String.join("\n", instructions)).doesNotContainIgnoringCase("password").doesNotContain("OUTPOST_OPS_TOKEN=");
  }

  @Test
  void theSubscriberReadsAlertsAndChangesNothing() throws IOException {
    final List<JsonNode> acls = acls(kafkaUser("outpost-subscriber"));
    final Set<String> operations = new TreeSet<>();
    final Set<String> topics = new TreeSet<>();
    final Set<String> groups = new TreeSet<>();
    for (final JsonNode acl : acls) {
      operations.addAll(strings(acl.path("operations")));
      final JsonNode resource = acl.path("resource");
      if (resource.path("type").asText().equals("topic")) {
        assertThat(resource.path("patternType").asText("literal")).isEqualTo("literal");
        topics.add(resource.path("name").asText());
      } else {
        assertThat(resource.path("type").asText()).isEqualTo("group");
        groups.add(resource.path("name").asText());
      }
    }

    assertThat(operations).isNotEmpty().doesNotContainAnyElementsOf(CHANGING_OPERATIONS);
    assertThat(topics).containsExactlyInAnyOrderElementsOf(readerTopics());
    assertThat(groups).containsExactly(defaultOf(SubscribeCommand.class, "group"));
  }

  @Test
  void thePipelinePrincipalOwnsItsApplicationIdAndItsCatalogTopics() throws IOException {
    final String applicationId = Settings.APPLICATION_ID.defaultValue();
    final Set<String> rules = flatten(List.of(kafkaUser("outpost-pipeline")));

    assertThat(rules).contains("outpost-pipeline topic literal " + Topics.NEWS_ITEMS.name() + " Read");
    assertThat(rules).doesNotContain("outpost-pipeline topic literal " + Topics.NEWS_ITEMS.name() + " Write");
    for (final TopicSpec<?, ?> output : Topics.PIPELINE) {
      if (!output.equals(Topics.NEWS_ITEMS)) {
        assertThat(rules).contains("outpost-pipeline topic literal " + output.name() + " Write");
      }
    }
    assertThat(rules)
        .contains(
            "outpost-pipeline topic prefix " + applicationId + " Create",
            "outpost-pipeline group prefix " + applicationId + " Read",
            "outpost-pipeline transactionalId prefix " + applicationId + " Write");
    final Set<String> pipelineTopics = Topics.PIPELINE.stream().map(TopicSpec::name).collect(Collectors.toSet());
    for (final String rule : rules) {
      final String[] p = rule.split(" ", -1);
      if (p[2].equals("literal")) {
        assertThat(pipelineTopics).as(rule).contains(p[3]);
      } else {
        assertThat(p[3]).as(rule).isEqualTo(applicationId);
      }
    }
    final Doc pipeline = deployment("outpost-pipeline");
    assertThat(flag(strings(outpostContainer(pipeline).path("args")), "--application-id")).isEqualTo(applicationId);
    assertThat(flag(strings(outpostContainer(deployment("outpost-dispatcher")).path("args")), "--group")).isEqualTo(dispatchGroup());
  }

  @Test
  void opsEventsAreWrittenByTheOpsServerAndReadByTheDispatcherOnly() throws IOException {
    final String events = Topics.OPS_EVENTS.name();
    final Set<String> rules = flatten(k8s().stream().filter(d -> d.kind().equals("KafkaUser")).toList());

    assertThat(rules)
        .contains(
            "outpost-ops topic literal " + events + " Write",
            "outpost-ops topic literal " + Topics.NEWS_ITEMS_DLQ.name() + " Read",
            "outpost-dispatcher topic literal " + events + " Read");
    assertThat(rules.stream().filter(r -> r.contains(" topic literal " + events + " ")).filter(r -> !r.endsWith(" Describe")))
        .as("who else touches the ops events")
        .containsExactlyInAnyOrder("outpost-ops topic literal " + events + " Write", "outpost-dispatcher topic literal " + events + " Read");
  }

  @Test
  void theAclScriptGrantsExactlyWhatTheKafkaUsersGrant() throws IOException {
    final Set<String> fromUsers = flatten(k8s().stream().filter(d -> d.kind().equals("KafkaUser")).toList());
    final Set<String> fromScript = new TreeSet<>();
    for (final String line : Files.readAllLines(DEPLOY.resolve("acls/outpost-acls.sh"))) {
      final String[] words = line.trim().split("\\s+", -1);
      if (words.length == 6 && words[0].equals("acl")) {
        for (final String operation : words[5].split(",", -1)) {
          fromScript.add(String.join(" ", words[1], words[2], words[3], words[4].replace("'", ""), operation));
        }
      }
    }

    assertThat(fromUsers).isNotEmpty();
    assertThat(fromScript).containsExactlyInAnyOrderElementsOf(fromUsers);
  }

  @Test
  void clientsReadTheirCredentialsFromTheSecretsMountedBesideTheSettings() throws IOException {
    final Doc configMap = k8s().stream().filter(d -> d.kind().equals("ConfigMap")).findFirst().orElseThrow();
    final String clientProperties = configMap.node().path("data").path("client.properties").asText();
    final Properties props = new Properties();
    props.load(new StringReader(clientProperties));
    final Matcher provider = Pattern.compile("\\$\\{(\\w+):([^:}]+):sasl\\.jaas\\.config}").matcher(props.getProperty("sasl.jaas.config", ""));
    assertThat(provider.matches()).as("sasl.jaas.config comes from a config provider").isTrue();
    final String credentialsDir = provider.group(2);
    final String truststore = props.getProperty("ssl.truststore.location");
    final String caDir = Path.of(truststore).getParent().toString();
    assertThat(props.getProperty("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(props.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");

    final Set<String> users = k8s().stream().filter(d -> d.kind().equals("KafkaUser")).map(Doc::name).collect(Collectors.toSet());
    final Map<String, String> userOf = new LinkedHashMap<>();
    for (final Doc deployment : outpostDeployments()) {
      final JsonNode pod = deployment.node().path("spec").path("template").path("spec");
      final JsonNode container = outpostContainer(deployment);
      assertThat(pod.path("enableServiceLinks").isBoolean() && !pod.path("enableServiceLinks").asBoolean())
          .as("%s turns service links off, or Services named outpost-* set OUTPOST_* variables", deployment.name())
          .isTrue();
      final String configDir = mountPathOf(container, volume(pod, v -> v.path("configMap").path("name").asText().equals(configMap.name())));
      assertThat(flag(strings(container.path("args")), "--config")).isEqualTo(configDir + "/client.properties");
      final JsonNode credentials = volumeMountedAt(pod, container, credentialsDir);
      userOf.put(deployment.name(), credentials.path("secret").path("secretName").asText());
      assertThat(volumeMountedAt(pod, container, caDir).path("secret").path("secretName").asText())
          .isEqualTo(kafkaCluster().name() + "-cluster-ca-cert");
    }
    assertThat(users).containsAll(userOf.values());
    assertThat(userOf)
        .containsEntry("outpost-pipeline", "outpost-pipeline")
        .containsEntry("outpost-dispatcher", "outpost-dispatcher")
        .containsEntry("outpost-ops", "outpost-ops");

    // The same settings through Outpost's own config loader into a Kafka client configuration, with
    // the mount points moved to a temporary directory: the JAAS line comes out of the file.
    final Path secretDir = Files.createDirectories(dir.resolve("kafka-user"));
    final String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
    Files.writeString(secretDir.resolve("sasl.jaas.config"), jaas, StandardCharsets.UTF_8);
    final Path file = dir.resolve("client.properties");
    Files.writeString(file, clientProperties.replace(credentialsDir, secretDir.toString().replace('\\', '/')), StandardCharsets.UTF_8);
    final ResolvedConfig resolved = ConfigLoader.load(Map.of(), Optional.of(file), Map.of());
    final AdminClientConfig admin = new AdminClientConfig(resolved.kafkaProperties());
    assertThat(admin.getPassword("sasl.jaas.config").value()).isEqualTo(jaas);
    assertThat(admin.getString("security.protocol")).isEqualTo("SASL_SSL");
  }

  // --- reading the files

  private static List<Path> yamlFiles(final Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  private static List<JsonNode> documents(final Path file) throws IOException {
    final List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        final JsonNode node = it.nextValue();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          docs.add(node);
        }
      }
    }
    return docs;
  }

  /** Every document of the kustomization's resources, in the files it lists. */
  private static List<Doc> k8s() throws IOException {
    final List<Doc> docs = new ArrayList<>();
    for (final String resource : strings(documents(K8S.resolve("kustomization.yaml")).get(0).path("resources"))) {
      final Path file = K8S.resolve(resource);
      for (final JsonNode node : documents(file)) {
        docs.add(new Doc(file, node));
      }
    }
    return docs;
  }

  private static JsonNode compose() throws IOException {
    return documents(COMPOSE).get(0);
  }

  private static JsonNode composeService(final String name) throws IOException {
    final JsonNode service = compose().path("services").path(name);
    assertThat(service.isObject()).as("compose service %s", name).isTrue();
    return service;
  }

  private static Doc kafkaCluster() throws IOException {
    return k8s().stream().filter(d -> d.kind().equals("Kafka")).findFirst().orElseThrow();
  }

  private static Doc kafkaUser(final String name) throws IOException {
    return k8s().stream().filter(d -> d.kind().equals("KafkaUser") && d.name().equals(name)).findFirst().orElseThrow();
  }

  private static Doc deployment(final String name) throws IOException {
    return k8s().stream().filter(d -> d.kind().equals("Deployment") && d.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Doc> outpostDeployments() throws IOException {
    final List<Doc> deployments =
        k8s().stream().filter(d -> d.kind().equals("Deployment")).filter(d -> outpostContainer(d) != null).toList();
    assertThat(deployments).isNotEmpty();
    return deployments;
  }

  private static JsonNode outpostContainer(final Doc deployment) {
    for (final JsonNode c : deployment.node().path("spec").path("template").path("spec").path("containers")) {
      if (c.path("image").asText().equals(IMAGE)) {
        return c;
      }
    }
    return null;
  }

  private static List<JsonNode> acls(final Doc user) {
    final List<JsonNode> acls = new ArrayList<>();
    user.node().path("spec").path("authorization").path("acls").forEach(acls::add);
    assertThat(acls).as("ACLs of %s", user.name()).isNotEmpty();
    return acls;
  }

  /** Each allowed operation of the users as "principal type pattern name operation". */
  private static Set<String> flatten(final List<Doc> users) {
    final Set<String> rules = new TreeSet<>();
    for (final Doc user : users) {
      for (final JsonNode acl : acls(user)) {
        assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
        final JsonNode r = acl.path("resource");
        for (final String operation : strings(acl.path("operations"))) {
          rules.add(String.join(" ", user.name(), r.path("type").asText(), r.path("patternType").asText("literal"), r.path("name").asText(), operation));
        }
      }
    }
    return rules;
  }

  private static List<String> dockerInstructions(final Path dockerfile) throws IOException {
    final List<String> instructions = new ArrayList<>();
    final StringBuilder current = new StringBuilder();
    for (final String raw : Files.readAllLines(dockerfile)) {
      final String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
      } else {
        instructions.add(current.append(line).toString().strip());
        current.setLength(0);
      }
    }
    return instructions;
  }

  private static String keyword(final String instruction) {
    return instruction.split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
  }

  private static String argument(final String instruction) {
    return instruction.split("\\s+", 2)[1].strip();
  }

  // --- what the code says

  /** The catalog topics a production cluster holds before Outpost starts, by name. */
  private static Map<String, TopicSpec<?, ?>> productionTopics() {
    final Map<String, TopicSpec<?, ?>> topics = new LinkedHashMap<>();
    Stream.of(Topics.PIPELINE, Topics.DELIVERY, Topics.dispatchTopics(dispatchGroup()), List.of(Topics.REGISTRY_SCHEMAS))
        .flatMap(List::stream)
        .forEach(t -> topics.put(t.name(), t));
    return topics;
  }

  /** What a reader of alerts may read: one alert topic per category, the surges and the stories. */
  private static List<String> readerTopics() {
    return Stream.concat(
            Arrays.stream(Category.values()).map(c -> Topics.alertTopicFor(c).name()),
            Stream.of(Topics.ALERTS_SURGE.name(), Topics.STORIES.name()))
        .toList();
  }

  private static String dispatchGroup() {
    return defaultOf(DispatchCommand.class, "group");
  }

  private static String defaultOf(final Class<?> command, final String field) {
    try {
      return command.getDeclaredField(field).getAnnotation(Option.class).defaultValue();
    } catch (final NoSuchFieldException e) {
      throw new AssertionError(command.getSimpleName() + " has no option field " + field, e);
    }
  }

  // --- small helpers

  private static List<String> strings(final JsonNode node) {
    final List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    } else if (node.isTextual()) {
      values.add(node.asText());
    }
    return values;
  }

  /** The value of a flag given as "--name=value" or as "--name value"; null when absent. */
  private static String flag(final List<String> args, final String name) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).startsWith(name + "=")) {
        return args.get(i).substring(name.length() + 1);
      }
      if (args.get(i).equals(name) && i + 1 < args.size()) {
        return args.get(i + 1);
      }
    }
    return null;
  }

  private static String containerPort(final JsonNode container, final String port) {
    for (final JsonNode p : container.path("ports")) {
      if (p.path("name").asText().equals(port) || p.path("containerPort").asText().equals(port)) {
        return p.path("containerPort").asText();
      }
    }
    return null;
  }

  private static JsonNode volume(final JsonNode pod, final java.util.function.Predicate<JsonNode> which) {
    for (final JsonNode v : pod.path("volumes")) {
      if (which.test(v)) {
        return v;
      }
    }
    throw new AssertionError("no such volume in " + pod.path("volumes"));
  }

  private static String mountPathOf(final JsonNode container, final JsonNode volume) {
    for (final JsonNode m : container.path("volumeMounts")) {
      if (m.path("name").asText().equals(volume.path("name").asText())) {
        return m.path("mountPath").asText();
      }
    }
    throw new AssertionError("volume " + volume.path("name").asText() + " is not mounted");
  }

  private static JsonNode volumeMountedAt(final JsonNode pod, final JsonNode container, final String path) {
    for (final JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(path)) {
        return volume(pod, v -> v.path("name").asText().equals(m.path("name").asText()));
      }
    }
    throw new AssertionError("nothing is mounted at " + path + " in " + container.path("name").asText());
  }
}
