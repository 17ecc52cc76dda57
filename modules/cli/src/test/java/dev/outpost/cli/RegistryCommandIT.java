package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.embedded.EmbeddedKafkaCluster;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.RegistryTls;
import dev.outpost.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code outpost registry} as operators run it, in a process of its own against a real broker:
 * HTTPS from a key store, users from a file, its password from a config file, on 127.0.0.1 by
 * default. The project's own registry client registers and reads through it; a caller without the
 * right credentials gets 401; the schemas outlive the process in its topic; SIGTERM stops it within
 * 5 s. With client certificates required, a client without one is refused at the handshake.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RegistryCommandIT {

  private static final Duration STARTS_WITHIN = Duration.ofSeconds(90);
  private static final Duration STOPS_WITHIN = Duration.ofSeconds(5);
  private static final Pattern URL = Pattern.compile("Schema registry at (\\S+), schemas in topic ");
  private static final Schema ALERT_V1 =
      new Schema.Parser()
          .parse("{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":\"it\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

  private static EmbeddedKafkaCluster kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafkaCluster.builder().build().start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void servesHttpsWithBasicAuthOnLoopbackKeepsSchemasInItsTopicAndStopsOnSigterm() throws Exception {
    // given a key store, two users in a file, and the store's password in a config file
    final TestPki pki = new TestPki(dir.resolve("pki"));
    final Path users = Files.writeString(dir.resolve("users"), "# who may call\nci:ci-pass-1\nadmin:admin pass 2\n", StandardCharsets.UTF_8);
    final Path config =
        Files.writeString(dir.resolve("registry.properties"), "registry.ssl.keystore.password=" + pki.password() + "\n", StandardCharsets.UTF_8);
    final String[] command = {
      "registry", "--bootstrap-servers", kafka.bootstrapServers(), "--port", "0", "--topic", "_schemas_it_tls",
      "--ssl-keystore", pki.serverKeyStore().toString(), "--users-file", users.toString(), "--config", config.toString()
    };
    final SSLContext trusting = RegistryTls.fromProperties(Map.of(RegistryTls.TRUSTSTORE_LOCATION, pki.trustStore().toString(), RegistryTls.TRUSTSTORE_PASSWORD, pki.password()));

    final int id;
    try (OutpostProcess registry = OutpostProcess.start(command)) {
      // when
      final String url = urlOf(registry);

      // then: HTTPS, on this machine only
      assertThat(url).matches("https://127\\.0\\.0\\.1:\\d+");

      // and the project's client registers and reads, as either user
      try (SchemaRegistryClient ci = client(url, "ci", "ci-pass-1", trusting);
          SchemaRegistryClient admin = client(url, "admin", "admin pass 2", trusting)) {
        id = ci.register("alerts-value", ALERT_V1);
        assertThat(ci.getById(id)).isEqualTo(ALERT_V1);
        assertThat(admin.subjects()).containsExactly("alerts-value");
        assertThat(admin.latest("alerts-value").id()).isEqualTo(id);
      }

      // and a caller without credentials, or with a wrong password, is refused
      final HttpClient http = HttpClient.newBuilder().sslContext(trusting).build();
      assertThat(status(http, url + "/subjects", null)).isEqualTo(401);
      assertThat(status(http, url + "/subjects", "ci:wrong")).isEqualTo(401);
      assertThat(status(http, url + "/subjects", "ci:ci-pass-1")).isEqualTo(200);

      // and SIGTERM stops it within 5 s
      final Duration took = registry.terminateTimed();
      assertThat(took).as("time from SIGTERM to exit; it printed:\n%s", String.join("\n", registry.lines())).isLessThan(STOPS_WITHIN);
      assertThat(registry.lines()).contains("Schema registry stopped").noneMatch(l -> l.contains("Exception"));
    }

    // and a new process on the same topic serves the same id
    try (OutpostProcess again = OutpostProcess.start(command);
        SchemaRegistryClient ci = client(urlOf(again), "ci", "ci-pass-1", trusting)) {
      assertThat(ci.getById(id)).isEqualTo(ALERT_V1);
      assertThat(ci.latest("alerts-value").version()).isEqualTo(1);
      again.terminate();
    }
  }

  @Test
  void withClientCertificatesRequiredAClientWithoutOneIsRefused() throws Exception {
    // given a registry that requires certificates signed by the test CA, configured by variables
    final TestPki pki = new TestPki(dir.resolve("pki"));
    final Path config =
        Files.writeString(
            dir.resolve("registry.properties"),
            "registry.ssl.keystore.password=" + pki.password() + "\nregistry.ssl.truststore.password=" + pki.password() + "\nregistry.ssl.client.auth=true\n",
            StandardCharsets.UTF_8);
    final Map<String, String> trustOnly = new HashMap<>();
    trustOnly.put(RegistryTls.TRUSTSTORE_LOCATION, pki.trustStore().toString());
    trustOnly.put(RegistryTls.TRUSTSTORE_PASSWORD, pki.password());
    final Map<String, String> withCertificate = new HashMap<>(trustOnly);
    withCertificate.put(RegistryTls.KEYSTORE_LOCATION, pki.clientKeyStore("ci").toString());
    withCertificate.put(RegistryTls.KEYSTORE_PASSWORD, pki.password());

    try (OutpostProcess registry =
        OutpostProcess.start(
            "registry", "--bootstrap-servers", kafka.bootstrapServers(), "--port", "0", "--topic", "_schemas_it_mtls",
            "--ssl-keystore", pki.serverKeyStore().toString(), "--ssl-truststore", pki.trustStore().toString(), "--config", config.toString())) {
      final String url = urlOf(registry);

      // when / then: with a certificate, it registers; without one, the handshake fails
      try (SchemaRegistryClient client = new HttpSchemaRegistryClient(RegistryClientConfig.of(url).withSslContext(RegistryTls.fromProperties(withCertificate)))) {
        assertThat(client.register("alerts-value", ALERT_V1)).isPositive();
      }
      final HttpClient anonymous = HttpClient.newBuilder().sslContext(RegistryTls.fromProperties(trustOnly)).build();
      assertThatThrownBy(() -> status(anonymous, url + "/subjects", null)).isInstanceOf(IOException.class);
      registry.terminate();
    }
  }

  private static String urlOf(final OutpostProcess registry) {
    final Matcher found = URL.matcher(registry.awaitLine("Schema registry at ", STARTS_WITHIN));
    assertThat(found.find()).isTrue();
    return found.group(1);
  }

  private static SchemaRegistryClient client(final String url, final String user, final String password, final SSLContext tls) {
    return new HttpSchemaRegistryClient(RegistryClientConfig.of(url).withBasicAuth(user, password).withSslContext(tls));
  }

  private static int status(final HttpClient http, final String url, final String userInfo) throws IOException, InterruptedException {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (userInfo != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
