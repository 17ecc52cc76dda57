package dev.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@code outpost registry} refuses before it asks Kafka anything: the bootstrap servers point
 * where nothing listens, so a command that got past its checks would say it cannot reach Kafka
 * instead.
 */
class RegistryCommandTest {

  private static int closedPort;

  @TempDir static Path dir;

  @BeforeAll
  static void nothingListens() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Files.writeString(dir.resolve("users"), "ci:pass\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("bad-users"), "ci-without-password\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("not-a-store.p12"), "not a key store", StandardCharsets.UTF_8);
  }

  private static CliRunner.Result registry(final Map<String, String> env, final String... more) {
    final List<String> args = new ArrayList<>(List.of("registry", "--bootstrap-servers", "127.0.0.1:" + closedPort, "--connect-timeout", "1s"));
    for (final String arg : more) {
      args.add(arg.replace("$DIR", dir.toString()));
    }
    return CliRunner.run(env, args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--host 0.0.0.0 | The registry would listen on 0.0.0.0, beyond this machine, open to anyone: give users with --users-file or OUTPOST_REGISTRY_USERS, or require client certificates with --ssl-client-auth, or pass --insecure",
        "--ssl-client-auth | Client certificates (registry.ssl.client.auth, flag --registry-ssl-client-auth) need TLS: give --ssl-keystore",
        "--ssl-keystore $DIR/missing.p12 | Key store '",
        "--ssl-keystore $DIR/not-a-store.p12 | Cannot read the key store",
        "--users-file $DIR/bad-users | Line 1 of the users file ",
        "--port 70000 | Invalid registry.port '70000'",
        "--compatibility SIDEWAYS | use NONE, BACKWARD,"
      })
  void aBadSettingIsNamedBeforeKafkaIsAsked(final String flags, final String message) {
    final CliRunner.Result result = registry(Map.of(), flags.trim().split(" "));

    assertThat(result.exitCode()).as(result.err()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains(message).doesNotContain("Cannot reach");
  }

  @Test
  void usersFromAVariableAndAFileAtOnceAreRefused() {
    final CliRunner.Result result = registry(Map.of("OUTPOST_REGISTRY_USERS", "ci:pass"), "--users-file", "$DIR/users");

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("Give the registry's users in OUTPOST_REGISTRY_USERS or in registry.users.file");
  }

  @Test
  void aNonLoopbackHostWithUsersGetsAsFarAsKafka() {
    // given users from the variable, the exposure check passes: what stops it is Kafka out of reach
    final CliRunner.Result result = registry(Map.of("OUTPOST_REGISTRY_USERS", "ci:pass"), "--host", "0.0.0.0");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(Outpost.EXIT_FAILURE);
    assertThat(result.err()).contains("Cannot reach the Kafka cluster at 127.0.0.1:" + closedPort);
  }

  @Test
  void theHostCanComeFromTheEnvironment() {
    final CliRunner.Result result = registry(Map.of("OUTPOST_REGISTRY_HOST", "0.0.0.0"));

    assertThat(result.exitCode()).isEqualTo(Outpost.EXIT_USAGE);
    assertThat(result.err()).contains("The registry would listen on 0.0.0.0");
  }
}
