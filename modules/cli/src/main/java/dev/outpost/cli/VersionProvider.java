package dev.outpost.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest; "development build" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    final String version = Outpost.class.getPackage().getImplementationVersion();
    return new String[] {
      "outpost " + (version != null ? version : "development build"),
      "Java " + Runtime.version() + ", Kafka clients " + kafkaVersion()
    };
  }

  /** The version kafka-clients records in its jar, without reaching into its internals. */
  private static String kafkaVersion() {
    try (InputStream in =
        VersionProvider.class.getClassLoader().getResourceAsStream("kafka/kafka-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      final Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (final IOException e) {
      return "unknown";
    }
  }
}
