package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Setting;
import dev.outpost.cli.config.Settings;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.ingest.InputLimit;
import dev.outpost.ingest.ItemSizeLimit;
import dev.outpost.topology.ProducerLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The bound on what a command reads whole (a file, a URL's body). It can also come from {@code
 * OUTPOST_MAX_INPUT_BYTES} or the {@code --config} file, under key {@code max.input.bytes}. And
 * the bound on each item such a command publishes, from the producer's and the topics' settings.
 */
public final class InputOptions {

  @Option(
      names = "--max-input-bytes",
      paramLabel = "N",
      description = "Refuse a file or URL body longer than N bytes. Key max.input.bytes, variable OUTPOST_MAX_INPUT_BYTES. Default: 52428800 (50 MiB).")
  private String maxInputBytes;

  /** @return the values given as flags, by setting key */
  Map<String, String> flags() {
    final Map<String, String> flags = new HashMap<>();
    flags.put(Settings.MAX_INPUT_BYTES.key(), maxInputBytes);
    return flags;
  }

  /**
   * @param config the merged configuration
   * @return its bound, whose refusals name the setting, flag and variable that raise it
   */
  static InputLimit limit(final ResolvedConfig config) {
    final Setting setting = Settings.MAX_INPUT_BYTES;
    return new InputLimit(
        Integer.parseInt(config.get(setting)),
        "raise "
            + setting.key()
            + " (flag --"
            + setting.key().replace('.', '-')
            + ", variable "
            + setting.envVar()
            + ") to read it");
  }

  /**
   * Reads the limits an item's record must fit, for {@code publish} and {@code watch}: the
   * producer setting as the pipeline reads it ({@link ProducerLimits}, which the ingest library
   * does not see) and the topics' settings from the cluster ({@link ItemSizeLimit#read}).
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @return the bound
   * @throws UserException when {@code max.request.size} is not a number
   * @throws dev.outpost.clients.ClusterAccessException when the cluster cannot be reached
   */
  static ItemSizeLimit itemSizeLimit(final Map<String, Object> kafkaProperties) {
    final int requestMax;
    try {
      requestMax = ProducerLimits.maxRequestSize(kafkaProperties);
    } catch (final IllegalArgumentException e) {
      throw new UserException(e.getMessage(), e);
    }
    return TopicAdmin.withAdmin(
        kafkaProperties, (admin, servers) -> ItemSizeLimit.read(admin, requestMax, Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS)));
  }
}
