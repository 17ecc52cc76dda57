package dev.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  private static Map<String, Object> props(final Object... keysAndValues) {
    final Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void onlyTheUrlIsRequiredAndEverythingElseHasConfluentLikeDefaults() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(props("schema.registry.url", "http://registry:8081"));

    assertThat(config.baseUrls()).containsExactly(URI.create("http://registry:8081"));
    assertThat(config.basicAuthUserInfo()).isNull();
    assertThat(config.bearerToken()).isNull();
    assertThat(config.sslContext()).isNull();
    assertThat(config.maxRetries()).isEqualTo(3);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.cacheCapacity()).isEqualTo(1000);
  }

  @Test
  void everyKeyIsRead() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            props(
                "schema.registry.url", " http://a:8081/ , https://b:8082/registry/ ",
                "basic.auth.credentials.source", "user_info",
                "basic.auth.user.info", "alice:s3cret",
                "max.retries", "5",
                "retries.wait.ms", 50,
                "retries.max.wait.ms", "400",
                "outpost.registry.connect.timeout.ms", 1500L,
                "outpost.registry.request.timeout.ms", "2500",
                "outpost.registry.cache.capacity", "64",
                "unrelated.key", "ignored"));

    assertThat(config.baseUrls())
        .containsExactly(URI.create("http://a:8081"), URI.create("https://b:8082/registry"));
    assertThat(config.basicAuthUserInfo()).isEqualTo("alice:s3cret");
    assertThat(config.maxRetries()).isEqualTo(5);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.maxBackoff()).isEqualTo(Duration.ofMillis(400));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.cacheCapacity()).isEqualTo(64);
  }

  @Test
  void urlsMayBeGivenAsAList() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            props("schema.registry.url", List.of("http://a:1", "http://b:2")));

    assertThat(config.baseUrls()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
  }

  @Test
  void clientKeysAreAlsoReadWithConfluentsSchemaRegistryPrefix() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            props(
                "schema.registry.url", "http://a:1",
                "schema.registry.basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "bob:pw",
                "schema.registry.max.retries", "0"));

    assertThat(config.basicAuthUserInfo()).isEqualTo("bob:pw");
    assertThat(config.maxRetries()).isZero();
  }

  @Test
  void credentialsInTheUrlAreUsedAndStrippedWhenTheSourceIsUrl() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(props("schema.registry.url", "https://carol:pw@reg:8081"));

    assertThat(config.basicAuthUserInfo()).isEqualTo("carol:pw");
    assertThat(config.baseUrls()).containsExactly(URI.create("https://reg:8081"));
  }

  @Test
  void aBearerTokenIsRead() {
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            props(
                "schema.registry.url", "http://a:1",
                "bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", "tok"));

    assertThat(config.bearerToken()).isEqualTo("tok");
    assertThat(config.basicAuthUserInfo()).isNull();
  }

  @Test
  void anSslContextInstanceIsAccepted() throws Exception {
    final SSLContext context = SSLContext.getDefault();
    final RegistryClientConfig config =
        RegistryClientConfig.fromProperties(
            props("schema.registry.url", "https://a:1", "outpost.registry.ssl.context", context));

    assertThat(config.sslContext()).isSameAs(context);
  }

  @Test
  void aMissingUrlIsNamed() {
    assertThatThrownBy(() -> RegistryClientConfig.fromProperties(props()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema.registry.url'");
  }

  @Test
  void anEmptyUrlListIsRefused() {
    assertThatThrownBy(() -> RegistryClientConfig.fromProperties(props("schema.registry.url", " , ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema.registry.url'")
        .hasMessageContaining("at least one URL");
  }

  @Test
  void aUrlThatIsNotHttpIsNamedWithItsValue() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://ok:1,ftp://files:21")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema.registry.url'")
        .hasMessageContaining("'ftp://files:21'")
        .hasMessageContaining("http:// or https://");
  }

  @Test
  void anUnparseableUrlIsNamedWithoutItsPassword() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://u:hunter2@bad host:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'schema.registry.url'")
        .hasMessageContaining("bad host")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aNonNumericRetryCountIsNamedWithItsValue() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "max.retries", "lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 'lots' for config 'max.retries': must be an integer");
  }

  @Test
  void aNegativeWaitIsRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "retries.wait.ms", "-5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value '-5' for config 'retries.wait.ms': must be >= 0");
  }

  @Test
  void aMaximumWaitBelowTheInitialOneIsRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props(
                        "schema.registry.url", "http://a:1",
                        "retries.wait.ms", "500",
                        "retries.max.wait.ms", "100")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'retries.max.wait.ms'")
        .hasMessageContaining("'100'")
        .hasMessageContaining("retries.wait.ms (500)");
  }

  @Test
  void aZeroTimeoutIsRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "outpost.registry.request.timeout.ms", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value '0' for config 'outpost.registry.request.timeout.ms': must be >= 1");
  }

  @Test
  void aZeroCacheCapacityIsRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "outpost.registry.cache.capacity", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'outpost.registry.cache.capacity'")
        .hasMessageContaining("'0'");
  }

  @Test
  void userInfoSourceWithoutUserInfoIsRefusedWithoutEchoingSecrets() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props(
                        "schema.registry.url", "http://a:1",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "no-colon-secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'basic.auth.user.info'")
        .hasMessageContaining("user:password")
        .hasMessageNotContaining("no-colon-secret");
  }

  @Test
  void userInfoWithoutTheUserInfoSourceIsRefusedRatherThanIgnored() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "basic.auth.user.info", "u:p")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'basic.auth.credentials.source'")
        .hasMessageContaining("USER_INFO");
  }

  @Test
  void anUnsupportedCredentialsSourceIsNamedWithItsValue() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props(
                        "schema.registry.url", "http://a:1",
                        "basic.auth.credentials.source", "SASL_INHERIT")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'SASL_INHERIT'")
        .hasMessageContaining("'basic.auth.credentials.source'");
  }

  @Test
  void anUnsupportedBearerSourceIsNamedWithItsValue() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props(
                        "schema.registry.url", "http://a:1",
                        "bearer.auth.credentials.source", "OAUTHBEARER",
                        "bearer.auth.token", "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'OAUTHBEARER'")
        .hasMessageContaining("'bearer.auth.credentials.source'");
  }

  @Test
  void basicAndBearerTogetherAreRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props(
                        "schema.registry.url", "http://a:1",
                        "basic.auth.credentials.source", "USER_INFO",
                        "basic.auth.user.info", "u:p",
                        "bearer.auth.token", "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("basic")
        .hasMessageContaining("bearer");
  }

  @Test
  void aNonSslContextValueIsRefused() {
    assertThatThrownBy(
            () ->
                RegistryClientConfig.fromProperties(
                    props("schema.registry.url", "http://a:1", "outpost.registry.ssl.context", "TLS")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'outpost.registry.ssl.context'")
        .hasMessageContaining("'TLS'");
  }

  @Test
  void toStringNeverShowsSecrets() {
    final String basic =
        RegistryClientConfig.of("http://a:1").withBasicAuth("alice", "s3cret").toString();
    final String bearer = RegistryClientConfig.of("http://a:1").withBearerToken("tok-xyz").toString();

    assertThat(basic).contains("alice").doesNotContain("s3cret");
    assertThat(bearer).doesNotContain("tok-xyz");
  }

  @Test
  void theRecordValidatesProgrammaticSettingsToo() {
    final RegistryClientConfig base = RegistryClientConfig.of("http://a:1");

    assertThatThrownBy(() -> base.withRetries(-1, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> base.withRetries(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> base.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> RegistryClientConfig.of())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("baseUrls");
    assertThatThrownBy(() -> RegistryClientConfig.of("http://u:p@a:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials");
    // Choosing one kind of authentication replaces the other.
    final RegistryClientConfig switched = base.withBasicAuth("u", "p").withBearerToken("t");
    assertThat(switched.basicAuthUserInfo()).isNull();
    assertThat(switched.bearerToken()).isEqualTo("t");
  }
}
