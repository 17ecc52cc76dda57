package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.model.Subscription;
import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.registry.serde.SpecificAvroSerializer;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.Subscriptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost subscriptions add|list|remove|reencrypt} against a real broker and registry. Every
 * run has a secrets key in {@code OUTPOST_SECRETS_KEY} unless the test is about its absence.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SubscriptionsCommandIT {

  private static final String SECRET = "a-webhook-secret-of-some-length";
  private static final String KEY_A = key(7);
  private static final String KEY_B = key(9);

  private static String key(final int fill) {
    final byte[] k = new byte[SecretCipher.KEY_BYTES];
    java.util.Arrays.fill(k, (byte) fill);
    return Base64.getEncoder().encodeToString(k);
  }

  @TempDir static Path dir;
  private static EmbeddedStack stack;

  @BeforeAll
  static void start() {
    stack = EmbeddedStack.builder().dataDir(dir).kafkaPort(0).registryPort(0).build().start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static CliRunner.Result run(final Map<String, String> env, final String... args) {
    final Map<String, String> withKey = new HashMap<>(env);
    withKey.putIfAbsent("OUTPOST_SECRETS_KEY", KEY_A);
    withKey.values().removeIf(String::isEmpty);
    return runExactly(withKey, args);
  }

  private static CliRunner.Result runExactly(final Map<String, String> env, final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", stack.bootstrapServers(), "--schema-registry-url", stack.registryUrl()));
    return CliRunner.run(env, all.toArray(String[]::new));
  }

  /** The raw bytes of every record of the subscriptions topic, as anyone allowed to read it sees them. */
  private static String rawTopic() {
    final StringBuilder raw = new StringBuilder();
    final Map<String, Object> props = new HashMap<>(stack.kafkaProperties());
    try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> reader =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            props, new org.apache.kafka.common.serialization.ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      final org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(Topics.SUBSCRIPTIONS.name(), 0);
      reader.assign(List.of(tp));
      reader.seekToBeginning(List.of(tp));
      final long end = reader.endOffsets(List.of(tp)).get(tp);
      while (reader.position(tp) < end) {
        reader.poll(java.time.Duration.ofMillis(200)).forEach(r -> {
          if (r.value() != null) {
            raw.append(new String(r.value(), StandardCharsets.ISO_8859_1)).append('\n');
          }
        });
      }
    }
    return raw.toString();
  }

  @Test
  void addListAndRemoveWithoutEverShowingASecret() {
    final CliRunner.Result added =
        run(
            Map.of("HOOK_SECRET", SECRET),
            "subscriptions", "add", "--id", "ops", "--webhook", "https://hooks.example/outpost",
            "--secret-env", "HOOK_SECRET", "--category", "parade", "--actor", "PRK");
    final CliRunner.Result generated =
        run(Map.of(), "subscriptions", "add", "--id", "gen", "--webhook", "http://127.0.0.1:9/hook", "--outbound-allow", "127.0.0.1");
    final CliRunner.Result topic =
        run(Map.of(), "subscriptions", "add", "--id", "team", "--topic", "team.alerts", "--min-confidence", "0.8");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.out()).contains("Added ops").doesNotContain(SECRET);
    assertThat(generated.exitCode()).as(generated.err()).isZero();
    final String secret =
        generated.out().lines().filter(l -> l.startsWith("Webhook secret")).findFirst().orElseThrow().replaceAll(".*: ", "");
    assertThat(secret).hasSizeGreaterThanOrEqualTo(16);
    assertThat(topic.exitCode()).as(topic.err()).isZero();

    final CliRunner.Result listed = run(Map.of(), "subscriptions", "list");
    final CliRunner.Result json = run(Map.of(), "subscriptions", "list", "--json");
    assertThat(listed.out())
        .contains("ops  webhook https://hooks.example/outpost  categories=parade  actors=PRK")
        .contains("team  topic team.alerts")
        .contains("3 subscription(s)")
        .doesNotContain(SECRET)
        .doesNotContain(secret);
    assertThat(json.out()).contains("\"secret\":\"****\"").doesNotContain(SECRET).doesNotContain(secret);
    assertThat(rawTopic()).as("the topic's bytes").contains("hooks.example").doesNotContain(SECRET).doesNotContain(secret);
    final CliRunner.Result tail =
        run(Map.of(), "tail", Topics.SUBSCRIPTIONS.name(), "--from-beginning", "--idle-timeout", "5s");
    assertThat(tail.out()).as(tail.err()).contains("\"id\":\"ops\"").doesNotContain(SECRET).doesNotContain(secret);

    final CliRunner.Result removed = run(Map.of(), "subscriptions", "remove", "--id", "gen");
    final CliRunner.Result unknown = run(Map.of(), "subscriptions", "remove", "nobody");
    assertThat(removed.exitCode()).isZero();
    assertThat(run(Map.of(), "subscriptions", "list").out()).contains("2 subscription(s)").doesNotContain("gen ");
    assertThat(unknown.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(unknown.err()).contains("No subscription 'nobody'; there are: ops, team");
  }

  @Test
  void aBadUrlFilterOrSecretIsRefusedAndNothingIsWritten() {
    final CliRunner.Result url = run(Map.of(), "subscriptions", "add", "--id", "x", "--webhook", "ftp://h/x");
    final CliRunner.Result filter =
        run(Map.of(), "subscriptions", "add", "--id", "x", "--topic", "t", "--min-confidence", "3");
    final CliRunner.Result secret =
        run(Map.of("S", "short"), "subscriptions", "add", "--id", "x", "--webhook", "https://h.example/", "--secret-env", "S");

    assertThat(url.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(url.err()).contains("Invalid subscription: 'ftp://h/x' is not a webhook URL");
    assertThat(filter.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(filter.err()).contains("Invalid filter: min confidence 3.0 is not between 0 and 1");
    assertThat(secret.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(secret.err()).contains("at least 16 characters");
    assertThat(run(Map.of(), "subscriptions", "list").out()).doesNotContain("x  ");
  }

  @Test
  void aWebhookAtAnInternalAddressIsRefusedUnlessTheAllowListNamesIt() {
    final CliRunner.Result loopback = run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://127.0.0.1:9/hook");
    final CliRunner.Result byName = run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://localhost:9/hook");
    final CliRunner.Result metadata =
        run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://169.254.169.254/latest/meta-data/");
    final CliRunner.Result privateRange = run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "https://10.1.2.3/hook");
    final CliRunner.Result mapped = run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://[::ffff:192.168.0.1]/hook");
    final CliRunner.Result otherLoopback =
        run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://127.0.0.2:9/hook", "--outbound-allow", "127.0.0.1");

    for (final CliRunner.Result refused : List.of(loopback, byName, metadata, privateRange, mapped, otherLoopback)) {
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(Outpost.EXIT_USAGE);
      assertThat(refused.err()).contains("Refused webhook").contains("--outbound-allow");
    }
    assertThat(loopback.err()).contains("127.0.0.1, a loopback address");
    assertThat(byName.err()).contains("localhost resolves to").contains("a loopback address");
    assertThat(metadata.err()).contains("169.254.169.254, a link-local address");
    assertThat(privateRange.err()).contains("10.1.2.3, a private address");
    assertThat(mapped.err()).contains("192.168.0.1, a private address");
    assertThat(otherLoopback.err()).contains("127.0.0.2, a loopback address");
    assertThat(run(Map.of(), "subscriptions", "list").out()).doesNotContain("int  ");

    final CliRunner.Result byFlag =
        run(Map.of(), "subscriptions", "add", "--id", "int", "--webhook", "http://127.0.0.1:9/hook", "--outbound-allow", "127.0.0.0/8");
    final CliRunner.Result byVariable =
        run(Map.of("OUTPOST_OUTBOUND_ALLOW", "10.0.0.0/8"), "subscriptions", "add", "--id", "int2", "--webhook", "https://10.1.2.3/hook");
    final CliRunner.Result badList =
        run(Map.of(), "subscriptions", "add", "--id", "int3", "--webhook", "https://10.1.2.3/hook", "--outbound-allow", "10.0.0.0/40");
    assertThat(byFlag.exitCode()).as(byFlag.err()).isZero();
    assertThat(byVariable.exitCode()).as(byVariable.err()).isZero();
    assertThat(badList.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(badList.err()).contains("Invalid outbound.allow '10.0.0.0/40'").contains("the prefix length must be 0 to 32");
    run(Map.of(), "subscriptions", "remove", "int");
    run(Map.of(), "subscriptions", "remove", "int2");
  }

  @Test
  void credentialsAndQueriesInAWebhookUrlAreNeverListed() {
    final CliRunner.Result added =
        run(
            Map.of("S", SECRET),
            "subscriptions", "add", "--id", "cred", "--secret-env", "S",
            "--webhook", "https://alice:pa55word@hooks.example/outpost?token=t0k3n");
    final CliRunner.Result listed = run(Map.of(), "subscriptions", "list");
    final CliRunner.Result json = run(Map.of(), "subscriptions", "list", "--json");
    run(Map.of(), "subscriptions", "remove", "cred");

    assertThat(added.exitCode()).as(added.err()).isZero();
    assertThat(added.err()).as("the host does not resolve here, which is only a warning").contains("does not resolve here");
    for (final String shown : List.of(added.out(), added.err(), listed.out(), json.out())) {
      assertThat(shown).doesNotContain("alice", "pa55word", "t0k3n", SECRET);
    }
    assertThat(listed.out()).contains("cred  webhook https://***@hooks.example/outpost?***");
    assertThat(json.out()).contains("\"url\":\"https://***@hooks.example/outpost?***\"");
  }

  @Test
  void aTailOfTheSubscriptionsTopicShowsNoSecretNorTheCredentialsAndQueryOfAUrl() throws Exception {
    final CliRunner.Result added =
        run(
            Map.of("S", SECRET),
            "subscriptions", "add", "--id", "tailed", "--secret-env", "S",
            "--webhook", "https://alice:pa55word@hooks.example/tailed?token=t0k3n");
    assertThat(added.exitCode()).as(added.err()).isZero();
    // A subscription as versions before encryption wrote it: its secret in plaintext.
    try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        SpecificAvroSerializer<Subscription> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (org.apache.kafka.clients.producer.KafkaProducer<String, Subscription> producer =
          new org.apache.kafka.clients.producer.KafkaProducer<>(stack.kafkaProperties(), new org.apache.kafka.common.serialization.StringSerializer(), values)) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    Topics.SUBSCRIPTIONS.name(),
                    "legacy",
                    Subscriptions.webhook(
                        "legacy", AlertFilter.ALL, "https://bob:hunter22@hooks.example/legacy?key=k3y", "plaintext-legacy-secret", Instant.EPOCH)))
            .get();
      }
    }

    final CliRunner.Result tail = run(Map.of(), "tail", Topics.SUBSCRIPTIONS.name(), "--from-beginning", "--idle-timeout", "3s");
    run(Map.of(), "subscriptions", "remove", "tailed");
    run(Map.of(), "subscriptions", "remove", "legacy");

    assertThat(tail.exitCode()).as(tail.err()).isZero();
    assertThat(tail.out())
        .contains("\"url\":\"https://***@hooks.example/tailed?***\"", "\"url\":\"https://***@hooks.example/legacy?***\"")
        .contains("\"secret\":\"****\"")
        .doesNotContain("alice", "pa55word", "t0k3n", "bob", "hunter22", "k3y", SECRET, "plaintext-legacy-secret");
  }

  @Test
  void withoutAUsableKeyNoWebhookIsAddedAndTheMessageSaysWhy() throws Exception {
    final Map<String, String> none = Map.of("S", SECRET);
    final CliRunner.Result missing =
        runExactly(none, "subscriptions", "add", "--id", "nokey", "--webhook", "https://hooks.example/x", "--secret-env", "S");
    final CliRunner.Result badKey =
        runExactly(
            Map.of("S", SECRET, "OUTPOST_SECRETS_KEY", "c2hvcnQ="),
            "subscriptions", "add", "--id", "nokey", "--webhook", "https://hooks.example/x", "--secret-env", "S");
    final CliRunner.Result noFile =
        runExactly(
            none, "subscriptions", "add", "--id", "nokey", "--webhook", "https://hooks.example/x", "--secret-env", "S",
            "--secrets-key-file", dir.resolve("absent.key").toString());
    final Path keyFile = Files.writeString(dir.resolve("keys"), "# the current key\n" + KEY_A + "\n", StandardCharsets.UTF_8);
    final CliRunner.Result fromFile =
        runExactly(
            none, "subscriptions", "add", "--id", "filekey", "--webhook", "https://hooks.example/x", "--secret-env", "S",
            "--secrets-key-file", keyFile.toString());
    final CliRunner.Result topic = runExactly(Map.of(), "subscriptions", "add", "--id", "notopickey", "--topic", "team.alerts");

    assertThat(missing.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(missing.err()).contains("no secrets key is configured").contains("OUTPOST_SECRETS_KEY").contains("--secrets-key-file");
    assertThat(badKey.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(badKey.err()).contains("Invalid secrets key: key 1 in the variable OUTPOST_SECRETS_KEY is 5 bytes, not 32").doesNotContain("c2hvcnQ=");
    assertThat(noFile.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(noFile.err()).contains("Secrets key file").contains("absent.key").contains("does not exist");
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(topic.exitCode()).as("a topic subscription has no secret, and needs no key").isZero();
    assertThat(run(Map.of(), "subscriptions", "list").out()).doesNotContain("nokey").contains("filekey");
    run(Map.of(), "subscriptions", "remove", "filekey");
    run(Map.of(), "subscriptions", "remove", "notopickey");
  }

  @Test
  void reencryptMovesOldAndPlaintextSecretsToTheNewKey() throws Exception {
    assertThat(
            run(Map.of("S", SECRET), "subscriptions", "add", "--id", "rot", "--webhook", "https://hooks.example/rot", "--secret-env", "S")
                .exitCode())
        .isZero();
    // A subscription as versions before encryption wrote it.
    try (SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()));
        SpecificAvroSerializer<Subscription> values = new SpecificAvroSerializer<>(registry)) {
      values.configure(Map.of(), false);
      try (org.apache.kafka.clients.producer.KafkaProducer<String, Subscription> producer =
          new org.apache.kafka.clients.producer.KafkaProducer<>(stack.kafkaProperties(), new org.apache.kafka.common.serialization.StringSerializer(), values)) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    Topics.SUBSCRIPTIONS.name(), "old", Subscriptions.webhook("old", AlertFilter.ALL, "https://hooks.example/old", "plaintext-secret-from-v1", Instant.EPOCH)))
            .get();
      }
    }
    final CliRunner.Result before = run(Map.of(), "subscriptions", "list");
    assertThat(before.out()).contains("old  webhook https://hooks.example/old").contains("secret stored unencrypted").doesNotContain("plaintext-secret-from-v1");
    assertThat(before.err()).contains("1 webhook secret(s) stored unencrypted").contains("subscriptions reencrypt");

    final Map<String, String> rotated = Map.of("OUTPOST_SECRETS_KEY", KEY_B + "," + KEY_A);
    final CliRunner.Result reencrypted = run(rotated, "subscriptions", "reencrypt");
    final String newKeyId = SecretCipher.fromKeys(KEY_B, "test").currentKeyId();
    assertThat(reencrypted.exitCode()).as(reencrypted.err()).isZero();
    // Other tests' webhooks may be in the topic too: they move to the new key alike.
    assertThat(reencrypted.out()).containsPattern("Encrypted [2-9]\\d* webhook secret\\(s\\) with key " + newKeyId + "; 0 already were");

    final CliRunner.Result after = run(Map.of("OUTPOST_SECRETS_KEY", KEY_B), "subscriptions", "list", "--json");
    assertThat(after.out().lines().filter(l -> l.contains("\"id\":\"rot\"") || l.contains("\"id\":\"old\"")))
        .hasSize(2)
        .allSatisfy(l -> assertThat(l).contains("\"secretKeyId\":\"" + newKeyId + "\""));
    assertThat(after.out()).doesNotContain("\"secretKeyId\":null").doesNotContain("plaintext-secret-from-v1");
    assertThat(after.err()).doesNotContain("unencrypted");
    assertThat(rawTopic().lines().filter(l -> l.contains("hooks.example/old")).toList())
        .as("the newest record of the old subscription")
        .last()
        .asString()
        .doesNotContain("plaintext-secret-from-v1");
    assertThat(run(Map.of("OUTPOST_SECRETS_KEY", KEY_B), "subscriptions", "reencrypt").out())
        .containsPattern("Encrypted 0 webhook secret\\(s\\) with key " + newKeyId + "; [2-9]\\d* already were");
    final CliRunner.Result oldKeyOnly = run(Map.of(), "subscriptions", "reencrypt");
    assertThat(oldKeyOnly.exitCode()).as("the old key alone no longer decrypts them").isEqualTo(Outpost.EXIT_USAGE);
    assertThat(oldKeyOnly.err()).contains("encrypted with key " + newKeyId).contains("not among the configured keys");
    run(Map.of(), "subscriptions", "remove", "rot");
    run(Map.of(), "subscriptions", "remove", "old");
  }
}
