package dev.outpost.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.types.Password;

/**
 * The registry client's TLS settings, named as Confluent's client names them: a trust store for
 * the registry's certificate, and a key store when the registry asks for a client certificate.
 * Only the {@code schema.registry.}-prefixed keys count, so a Kafka client's {@code ssl.*}
 * settings in the same file never configure the registry by accident.
 */
public final class RegistryTls {

  /** The trust store file. */
  public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  /** Its password. */
  public static final String TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  /** Its type: PKCS12 (default) or JKS. */
  public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  /** The key store file, for a client certificate. */
  public static final String KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  /** Its password. */
  public static final String KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  /** Its type: PKCS12 (default) or JKS. */
  public static final String KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  /** The key's own password, when it differs from the key store's. */
  public static final String KEY_PASSWORD = "schema.registry.ssl.key.password";

  private RegistryTls() {}

  /**
   * @param props client settings
   * @return a TLS context from the stores they name, or null when they name none (the JVM's
   *     default context then applies)
   * @throws IllegalArgumentException naming the setting whose store cannot be read
   */
  public static SSLContext fromProperties(final Map<String, ?> props) {
    final String trustStore = string(props, TRUSTSTORE_LOCATION);
    final String keyStore = string(props, KEYSTORE_LOCATION);
    if (trustStore == null && keyStore == null) {
      return null;
    }
    try {
      TrustManagerFactory trust = null;
      if (trustStore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(TRUSTSTORE_LOCATION, trustStore, string(props, TRUSTSTORE_TYPE), password(props, TRUSTSTORE_PASSWORD)));
      }
      KeyManagerFactory keys = null;
      if (keyStore != null) {
        final char[] storePassword = password(props, KEYSTORE_PASSWORD);
        final char[] keyPassword = props.get(KEY_PASSWORD) != null ? password(props, KEY_PASSWORD) : storePassword;
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(KEYSTORE_LOCATION, keyStore, string(props, KEYSTORE_TYPE), storePassword), keyPassword);
      }
      final SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (final GeneralSecurityException e) {
      throw new IllegalArgumentException("Cannot set up TLS for the schema registry: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(final String setting, final String location, final String type, final char[] password) {
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      final KeyStore store = KeyStore.getInstance(type == null ? "PKCS12" : type);
      store.load(in, password);
      return store;
    } catch (final IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot read '" + setting + "' " + location + ": " + e.getMessage() + " (is the file there, and its password and type right?)", e);
    }
  }

  private static String string(final Map<String, ?> props, final String key) {
    final Object raw = props.get(key);
    if (raw == null) {
      return null;
    }
    final String s = raw instanceof char[] chars ? new String(chars) : raw.toString();
    return s.isBlank() ? null : s.trim();
  }

  private static char[] password(final Map<String, ?> props, final String key) {
    final Object raw = props.get(key);
    if (raw == null) {
      return null;
    }
    if (raw instanceof char[] chars) {
      return chars;
    }
    return (raw instanceof Password p ? p.value() : raw.toString()).toCharArray();
  }
}
