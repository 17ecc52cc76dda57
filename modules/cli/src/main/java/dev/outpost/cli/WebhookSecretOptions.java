package dev.outpost.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where a webhook's secret comes from when it is given: an environment variable or a file, never
 * a flag with the secret in it (flags show in process listings).
 */
public final class WebhookSecretOptions {

  @Option(
      names = "--secret-env",
      paramLabel = "VAR",
      description = "Read the webhook secret from this environment variable.")
  private String secretEnv;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the webhook secret from this file.")
  private Path secretFile;

  /**
   * @throws UserException when a secret is given for a target that takes none
   */
  void requireNone() {
    if (secretEnv != null || secretFile != null) {
      throw new UserException("--secret-env and --secret-file go with --webhook only");
    }
  }

  /**
   * @param env the environment
   * @return the secret given, stripped; null when none is
   * @throws UserException when both sources are given, the variable is not set, or the file
   *     cannot be read
   */
  String secret(final Map<String, String> env) {
    if (secretEnv != null && secretFile != null) {
      throw new UserException("Give the secret with --secret-env or --secret-file, not both");
    }
    if (secretEnv != null) {
      final String value = env.get(secretEnv);
      if (value == null || value.isBlank()) {
        throw new UserException("The environment variable " + secretEnv + " given to --secret-env is not set");
      }
      return value.strip();
    }
    if (secretFile != null) {
      UserException.requireFile("Secret file", secretFile, "");
      try {
        return Files.readString(secretFile, StandardCharsets.UTF_8).strip();
      } catch (final IOException e) {
        throw new UserException("Cannot read the secret file '" + secretFile + "': " + e.getMessage(), e);
      }
    }
    return null;
  }
}
