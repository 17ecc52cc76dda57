package dev.outpost.registry.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context a registry serves with, from key and trust store files, as an operator configures
 * Confluent's registry ({@code ssl.keystore.location}, {@code ssl.truststore.location}...): the key
 * store holds the server's certificate and key; the trust store, needed only when clients must
 * present certificates, holds what signs theirs.
 *
 * @param keyStore the key store file
 * @param keyStoreType PKCS12 or JKS
 * @param keyStorePassword its password
 * @param keyPassword the key's own password, or null when it is the store's
 * @param trustStore the trust store file, or null for none (the JVM's default trust then applies)
 * @param trustStoreType PKCS12 or JKS
 * @param trustStorePassword its password, or null
 * @see RegistryServer.Builder#tls(SSLContext)
 */
public record ServerTls(
    Path keyStore,
    String keyStoreType,
    String keyStorePassword,
    String keyPassword,
    Path trustStore,
    String trustStoreType,
    String trustStorePassword) {

  /** Checks that the key store is named. */
  public ServerTls {
    Objects.requireNonNull(keyStore, "keyStore");
    keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType.trim();
    trustStoreType =
        trustStoreType == null || trustStoreType.isBlank() ? "PKCS12" : trustStoreType.trim();
  }

  /**
   * @return a TLS context serving the key store's certificate and trusting the trust store's
   * @throws IllegalArgumentException naming the store that cannot be read, and what to check
   */
  public SSLContext context() {
    try {
      final KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      final char[] storePassword = chars(keyStorePassword);
      keys.init(
          load("key store", keyStore, keyStoreType, storePassword),
          keyPassword == null ? storePassword : keyPassword.toCharArray());
      TrustManagerFactory trust = null;
      if (trustStore != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("trust store", trustStore, trustStoreType, chars(trustStorePassword)));
      }
      final SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (final GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot use the key store " + keyStore + " for TLS: " + e.getMessage(), e);
    }
  }

  private static char[] chars(final String password) {
    return password == null ? null : password.toCharArray();
  }

  private static KeyStore load(
      final String what, final Path file, final String type, final char[] password) {
    try (InputStream in = Files.newInputStream(file)) {
      final KeyStore store = KeyStore.getInstance(type);
      store.load(in, password);
      return store;
    } catch (final IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Cannot read the "
              + what
              + " "
              + file
              + ": "
              + e.getMessage()
              + " (is the file there, and are its password and type ("
              + type
              + ") right?)",
          e);
    }
  }

  /** Leaves the passwords out. */
  @Override
  public String toString() {
    return "ServerTls[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
  }
}
