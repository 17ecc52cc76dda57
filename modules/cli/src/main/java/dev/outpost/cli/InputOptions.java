package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Setting;
import dev.outpost.cli.config.Settings;
import dev.outpost.ingest.InputLimit;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The bound on what a command reads whole (a file, a URL's body). It can also come from {@code
 * OUTPOST_MAX_INPUT_BYTES} or the {@code --config} file, under key {@code max.input.bytes}.
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
}
