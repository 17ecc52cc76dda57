package dev.outpost.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests: a CA, a server certificate for 127.0.0.1 and
 * localhost, and client certificates, written as PKCS12 stores with a random password. Nothing is
 * checked in; every run makes new keys.
 */
final class TestPki {

  private final Path dir;
  private final String password;
  private final KeyPair caKeys;
  private final X509Certificate ca;

  /**
   * @param dir where the stores go
   * @throws GeneralSecurityException if the JDK cannot make keys
   */
  TestPki(final Path dir) throws GeneralSecurityException, IOException {
    this.dir = Files.createDirectories(dir);
    final byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    this.password = HexFormat.of().formatHex(random);
    this.caKeys = keys();
    this.ca = sign(new X500Name("CN=Outpost Test CA"), caKeys, true, null);
  }

  /** @return the password of every store this writes */
  String password() {
    return password;
  }

  /** @return a PKCS12 trust store holding the CA */
  Path trustStore() throws GeneralSecurityException, IOException {
    final KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    return write(store, "truststore.p12");
  }

  /** @return a PKCS12 key store for a server on 127.0.0.1 and localhost */
  Path serverKeyStore() throws GeneralSecurityException, IOException {
    return keyStore("server", "CN=localhost", true);
  }

  /**
   * @param commonName the client's name, which becomes its principal's
   * @return a PKCS12 key store with a client certificate signed by the CA
   */
  Path clientKeyStore(final String commonName) throws GeneralSecurityException, IOException {
    return keyStore(commonName, "CN=" + commonName, false);
  }

  /** @return a TLS context serving the server certificate */
  SSLContext serverContext() throws GeneralSecurityException, IOException {
    final KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(serverKeyStore())) {
      store.load(in, password.toCharArray());
    }
    final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password.toCharArray());
    final SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private Path keyStore(final String name, final String subject, final boolean server) throws GeneralSecurityException, IOException {
    final KeyPair pair = keys();
    final X509Certificate cert = sign(new X500Name(subject), pair, false, server ? new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}) : null);
    final KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(name, pair.getPrivate(), password.toCharArray(), new Certificate[] {cert, ca});
    return write(store, name + ".p12");
  }

  private X509Certificate sign(final X500Name subject, final KeyPair pair, final boolean authority, final GeneralNames altNames)
      throws GeneralSecurityException, IOException {
    final Instant now = Instant.now();
    final X500Name issuer = authority ? subject : new X500Name(ca.getSubjectX500Principal().getName());
    final X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            issuer,
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(2))),
            subject,
            pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(authority ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    if (altNames != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, altNames);
    }
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(authority ? pair.getPrivate() : caKeys.getPrivate())));
    } catch (final OperatorCreationException e) {
      throw new GeneralSecurityException("Cannot sign a test certificate", e);
    }
  }

  private static KeyPair keys() throws GeneralSecurityException {
    final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private Path write(final KeyStore store, final String name) throws GeneralSecurityException, IOException {
    final Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }
}
