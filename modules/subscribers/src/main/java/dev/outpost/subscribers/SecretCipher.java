package dev.outpost.subscribers;

import dev.outpost.model.EncryptedSecret;
import dev.outpost.model.Subscription;
import dev.outpost.model.WebhookTarget;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook secrets before they are written to the subscriptions topic, and decrypts them
 * where a request is signed. Anyone who can read the topic (or {@code outpost tail} it) sees only
 * ciphertext; the key stays with the operator, in a file or an environment variable.
 *
 * <p>AES-256-GCM from the JDK: a random 12-byte nonce per secret, and the subscription id as
 * associated data, so a ciphertext copied onto another subscription does not decrypt. Each record
 * names the key that encrypted it by id (the first 8 bytes of the key's SHA-256), so keys rotate:
 * configure the new key first and the old ones after it; the first key encrypts, every key
 * decrypts, and {@code outpost subscriptions reencrypt} moves every record to the first key.
 *
 * <p>Subscriptions written before secrets were encrypted carry the secret in plaintext; they are
 * still read, and {@link #isPlaintext(Subscription)} lets callers warn about them.
 */
public final class SecretCipher {

  /** Bytes in a secrets key: AES-256. */
  public static final int KEY_BYTES = 32;

  /** Where the CLI takes keys from, for messages. */
  public static final String WHERE_KEYS_COME_FROM = "OUTPOST_SECRETS_KEY or secrets.key.file";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, SecretKeySpec> keys;
  private final String currentId;

  private SecretCipher(final Map<String, SecretKeySpec> keys) {
    this.keys = keys;
    this.currentId = keys.isEmpty() ? null : keys.keySet().iterator().next();
  }

  /** @return a cipher with no key: it reads plaintext secrets and refuses everything else */
  public static SecretCipher none() {
    return new SecretCipher(Map.of());
  }

  /**
   * @param text base64-encoded 32-byte keys, separated by commas, spaces or new lines; lines that
   *     start with {@code #} are comments; the first key encrypts
   * @param source where the text came from, for messages
   * @return the cipher
   * @throws IllegalArgumentException naming the source and which key is bad, never its value
   */
  public static SecretCipher fromKeys(final String text, final String source) {
    final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    final List<String> entries = new ArrayList<>();
    for (final String line : text.split("\\R", -1)) {
      if (!line.strip().startsWith("#")) {
        for (final String entry : line.strip().split("[,\\s]+", -1)) {
          if (!entry.isEmpty()) {
            entries.add(entry);
          }
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no secrets key");
    }
    for (int i = 0; i < entries.size(); i++) {
      final byte[] key;
      try {
        key = Base64.getDecoder().decode(entries.get(i));
      } catch (final IllegalArgumentException e) {
        // Not the decoder's message: it may quote the key's characters.
        throw new IllegalArgumentException("key " + (i + 1) + " in " + source + " is not base64; " + howToMakeOne(), e);
      }
      if (key.length != KEY_BYTES) {
        throw new IllegalArgumentException(
            "key " + (i + 1) + " in " + source + " is " + key.length + " bytes, not " + KEY_BYTES + "; " + howToMakeOne());
      }
      keys.putIfAbsent(keyId(key), new SecretKeySpec(key, "AES"));
    }
    return new SecretCipher(java.util.Collections.unmodifiableMap(keys));
  }

  /** @return how to make a key, for messages */
  public static String howToMakeOne() {
    return "make one with: head -c " + KEY_BYTES + " /dev/urandom | base64";
  }

  /** @return whether a key is configured, so secrets can be encrypted */
  public boolean hasKey() {
    return currentId != null;
  }

  /** @return the id of the key that encrypts, or null without a key */
  public String currentKeyId() {
    return currentId;
  }

  /**
   * @param subscriptionId the subscription the secret belongs to, bound into the ciphertext
   * @param secret the secret
   * @return it encrypted with the first key
   * @throws SecretCipherException when no key is configured
   */
  public EncryptedSecret encrypt(final String subscriptionId, final String secret) {
    if (!hasKey()) {
      throw new SecretCipherException(
          "Webhook secrets are stored encrypted, and no secrets key is configured: set " + WHERE_KEYS_COME_FROM + " (" + howToMakeOne() + ")");
    }
    final byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(subscriptionId));
      final byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return new EncryptedSecret(currentId, ByteBuffer.wrap(nonce), ByteBuffer.wrap(sealed));
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("Every Java runtime has AES/GCM/NoPadding", e);
    }
  }

  /**
   * @param subscriptionId the subscription the secret belongs to
   * @param sealed the encrypted secret
   * @return the secret
   * @throws SecretCipherException when its key is not configured, or it does not decrypt
   */
  public String decrypt(final String subscriptionId, final EncryptedSecret sealed) {
    final SecretKeySpec key = keys.get(sealed.getKeyId());
    if (key == null) {
      throw new SecretCipherException(
          keys.isEmpty()
              ? "The webhook secret of subscription " + subscriptionId + " is encrypted with key " + sealed.getKeyId()
                  + ", and no secrets key is configured: set " + WHERE_KEYS_COME_FROM
              : "The webhook secret of subscription " + subscriptionId + " is encrypted with key " + sealed.getKeyId()
                  + ", which is not among the configured keys " + keys.keySet() + ": add it to " + WHERE_KEYS_COME_FROM);
    }
    try {
      final Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes(sealed.getNonce())));
      cipher.updateAAD(associatedData(subscriptionId));
      return new String(cipher.doFinal(bytes(sealed.getCiphertext())), StandardCharsets.UTF_8);
    } catch (final AEADBadTagException e) {
      throw new SecretCipherException(
          "The webhook secret of subscription " + subscriptionId + " does not decrypt with key " + sealed.getKeyId()
              + ": the record was altered or copied from another subscription; add the subscription again",
          e);
    } catch (final GeneralSecurityException e) {
      throw new SecretCipherException(
          "The webhook secret of subscription " + subscriptionId + " cannot be decrypted: " + e.getClass().getSimpleName(), e);
    }
  }

  /**
   * @param subscription a subscription
   * @return the same subscription, its webhook secret encrypted if it was in plaintext
   * @throws SecretCipherException when it has a plaintext secret and no key is configured
   */
  public Subscription seal(final Subscription subscription) {
    if (!isPlaintext(subscription)) {
      return subscription;
    }
    final WebhookTarget w = (WebhookTarget) subscription.getTarget();
    final WebhookTarget sealed = new WebhookTarget(w.getUrl(), null, encrypt(subscription.getId(), w.getSecret()));
    // The all-fields constructor: Avro's copying builder deep-copies nested records through a
    // class look-up that Avro 1.12 refuses for classes not on its allow-list.
    return new Subscription(
        subscription.getId(),
        subscription.getFilter(),
        sealed,
        subscription.getCreatedAt(),
        subscription.getEnabled(),
        subscription.getDisabledReason());
  }

  /**
   * @param subscription a webhook subscription
   * @return its secret, decrypted, or as stored when it predates encryption
   * @throws SecretCipherException when it cannot be decrypted, or there is none
   */
  public String secretOf(final Subscription subscription) {
    final WebhookTarget w = (WebhookTarget) subscription.getTarget();
    if (w.getEncryptedSecret() != null) {
      return decrypt(subscription.getId(), w.getEncryptedSecret());
    }
    if (w.getSecret() != null) {
      return w.getSecret();
    }
    throw new SecretCipherException("Subscription " + subscription.getId() + " has no webhook secret: add it again");
  }

  /**
   * @param subscription a subscription
   * @return whether it is a webhook whose secret is stored in plaintext
   */
  public static boolean isPlaintext(final Subscription subscription) {
    return subscription.getTarget() instanceof WebhookTarget w && w.getEncryptedSecret() == null && w.getSecret() != null;
  }

  private static byte[] associatedData(final String subscriptionId) {
    return ("outpost.subscription/" + subscriptionId).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final ByteBuffer b = buffer.duplicate();
    final byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static String keyId(final byte[] key) {
    try {
      final byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }
}
