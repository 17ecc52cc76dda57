package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Settings;
import dev.outpost.subscribers.SecretCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the keys that encrypt webhook secrets come from: a file named by flag, variable or config
 * file, or the {@code OUTPOST_SECRETS_KEY} variable itself. Never a flag with the key in it: flags
 * show in process listings.
 */
public final class SecretsOptions {

  @Option(
      names = "--secrets-key-file",
      paramLabel = "FILE",
      description = {
        "Keys that encrypt webhook secrets: base64 32-byte keys, one per line, the first encrypting,",
        "the others still decrypting (to rotate). Key secrets.key.file, variable",
        "OUTPOST_SECRETS_KEY_FILE; or the keys themselves in OUTPOST_SECRETS_KEY."
      })
  private String keyFile;

  /** @return the value given by flag, by setting key, for {@link ClusterOptions#resolve(Map, Map)} */
  Map<String, String> flags() {
    final Map<String, String> flags = new HashMap<>();
    flags.put(Settings.SECRETS_KEY_FILE.key(), keyFile);
    return flags;
  }

  /**
   * @param config the merged configuration
   * @param env the environment
   * @return the cipher of the configured keys, or one without a key when none is configured
   * @throws UserException when both sources are set, the file is missing, or a key is bad
   */
  static SecretCipher cipher(final ResolvedConfig config, final Map<String, String> env) {
    final String inEnv = env.get(Settings.SECRETS_KEY_ENV);
    final String file = config.get(Settings.SECRETS_KEY_FILE);
    final boolean fromEnv = inEnv != null && !inEnv.isBlank();
    if (fromEnv && !file.isEmpty()) {
      throw new UserException(
          "Give the secrets keys in " + Settings.SECRETS_KEY_ENV + " or in secrets.key.file (" + config.sources().get(Settings.SECRETS_KEY_FILE.key()) + "), not both");
    }
    try {
      if (fromEnv) {
        return SecretCipher.fromKeys(inEnv, "the variable " + Settings.SECRETS_KEY_ENV);
      }
      if (!file.isEmpty()) {
        final Path path = UserException.requireFile("Secrets key file", Path.of(file), "give the file of keys to secrets.key.file");
        final String text;
        try {
          text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (final IOException e) {
          throw new UserException("Cannot read the secrets key file '" + file + "': " + e.getMessage(), e);
        }
        return SecretCipher.fromKeys(text, "the secrets key file " + file);
      }
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid secrets key: " + e.getMessage(), e);
    }
    return SecretCipher.none();
  }

  /**
   * @param config the merged configuration
   * @param env the environment
   * @return the cipher, which has a key
   * @throws UserException saying how to configure one when none is
   */
  static SecretCipher requireKey(final ResolvedConfig config, final Map<String, String> env) {
    final SecretCipher cipher = cipher(config, env);
    if (!cipher.hasKey()) {
      throw new UserException(
          "Webhook secrets are stored encrypted, and no secrets key is configured: put a key in "
              + Settings.SECRETS_KEY_ENV
              + " or in a file named by --secrets-key-file (secrets.key.file); "
              + SecretCipher.howToMakeOne());
    }
    return cipher;
  }
}
