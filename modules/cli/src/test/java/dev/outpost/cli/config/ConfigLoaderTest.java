package dev.outpost.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.cli.UserException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private static Map<String, String> flags(final String bootstrap) {
    final Map<String, String> flags = new HashMap<>();
    flags.put("bootstrap.servers", bootstrap);
    return flags;
  }

  @Test
  void defaultsPointAtTheDemo() {
    final ResolvedConfig config = ConfigLoader.load(flags(null), Optional.empty(), Map.of());

    assertThat(config.get(Settings.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
    assertThat(config.get(Settings.SCHEMA_REGISTRY_URL)).isEqualTo("http://localhost:8081");
    assertThat(config.sources()).containsEntry("bootstrap.servers", "default");
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
    final Path file = dir.resolve("outpost.properties");
    Files.writeString(
        file,
        "bootstrap.servers=file:1\nschema.registry.url=http://file:8081\nsecurity.protocol=SSL\n");
    final Map<String, String> env =
        Map.of("OUTPOST_BOOTSTRAP_SERVERS", "env:1", "OUTPOST_SCHEMA_REGISTRY_URL", "http://env:8081");

    final ResolvedConfig fromFlag = ConfigLoader.load(flags("flag:1"), Optional.of(file), env);
    final ResolvedConfig fromEnv = ConfigLoader.load(flags(null), Optional.of(file), env);
    final ResolvedConfig fromFile = ConfigLoader.load(flags(null), Optional.of(file), Map.of());

    assertThat(fromFlag.get(Settings.BOOTSTRAP_SERVERS)).isEqualTo("flag:1");
    assertThat(fromEnv.get(Settings.BOOTSTRAP_SERVERS)).isEqualTo("env:1");
    assertThat(fromEnv.get(Settings.SCHEMA_REGISTRY_URL)).isEqualTo("http://env:8081");
    assertThat(fromFile.get(Settings.BOOTSTRAP_SERVERS)).isEqualTo("file:1");
    assertThat(fromFile.sources().get("bootstrap.servers")).contains(file.toString());
  }

  @Test
  void otherKeysPassThroughToTheClients() throws IOException {
    final Path file = dir.resolve("secure.properties");
    Files.writeString(file, "security.protocol=SSL\nbasic.auth.user.info=me:secret\n");

    final ResolvedConfig config =
        ConfigLoader.load(
            flags(null),
            Optional.empty(),
            Map.of("OUTPOST_CONFIG", file.toString(), "OUTPOST_SASL_MECHANISM", "PLAIN", "PATH", "/bin", "OUTPOST_OPS_TOKEN", "t0ken-t0ken-t0ken"));

    assertThat(config.kafkaProperties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("bootstrap.servers", "localhost:9092")
        .doesNotContainKey("path")
        .doesNotContainKey("ops.token")
        .doesNotContainKey("config");
    assertThat(config.registryProperties())
        .containsEntry("basic.auth.user.info", "me:secret")
        .containsEntry("schema.registry.url", "http://localhost:8081");
  }

  @Test
  void secretsComeFromFilesThroughKafkasConfigProviders() throws IOException {
    final Path secrets = dir.resolve("secrets.properties");
    Files.writeString(secrets, "registry=svc-outpost:s3cret\n");
    final Path file = dir.resolve("outpost.properties");
    Files.writeString(
        file,
        "config.providers=file\n"
            + "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n"
            + "basic.auth.credentials.source=USER_INFO\n"
            + "basic.auth.user.info=${file:" + secrets + ":registry}\n");

    final ResolvedConfig config = ConfigLoader.load(flags(null), Optional.of(file), Map.of());

    assertThat(config.registryProperties()).containsEntry("basic.auth.user.info", "svc-outpost:s3cret");
    // Kafka's own clients are given the reference and resolve it themselves.
    assertThat(config.kafkaProperties()).containsEntry("basic.auth.user.info", "${file:" + secrets + ":registry}");
  }

  @Test
  void demoVariablesAreNotClientSettings() {
    final ResolvedConfig config =
        ConfigLoader.load(flags(null), Optional.empty(), Map.of("OUTPOST_DEMO_KAFKA_PORT", "9999"));

    assertThat(config.passthrough()).isEmpty();
  }

  @Test
  void badValueNamesKeyValueAndSource() throws IOException {
    final Path file = dir.resolve("bad.properties");
    Files.writeString(file, "bootstrap.servers=broker:notaport\n");

    assertThatThrownBy(() -> ConfigLoader.load(flags(null), Optional.of(file), Map.of()))
        .isInstanceOf(UserException.class)
        .hasMessageContaining("Invalid bootstrap.servers 'broker:notaport'")
        .hasMessageContaining("config file " + file)
        .hasMessageContaining("'notaport' is not a port number");
  }

  @Test
  void envVarNamesFollowTheKeys() {
    assertThat(Settings.BOOTSTRAP_SERVERS.envVar()).isEqualTo("OUTPOST_BOOTSTRAP_SERVERS");
    assertThat(ConfigLoader.keyForEnvVar("OUTPOST_BASIC_AUTH_USER_INFO")).isEqualTo("basic.auth.user.info");
  }
}
