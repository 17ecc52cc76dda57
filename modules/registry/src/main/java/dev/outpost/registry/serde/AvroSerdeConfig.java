package dev.outpost.registry.serde;

import dev.outpost.registry.RegistryClientConfig;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * The configuration keys of Outpost's Avro serdes, with Confluent's names, and their parsed
 * values. The registry-client keys ({@value #SCHEMA_REGISTRY_URL_CONFIG}, authentication, retries,
 * timeouts) are read by {@link RegistryClientConfig#fromProperties(Map)} from the same map.
 */
public final class AvroSerdeConfig {

  /** Comma-separated registry URLs; required unless a client is passed to the serde. */
  public static final String SCHEMA_REGISTRY_URL_CONFIG = RegistryClientConfig.URL_CONFIG;

  /**
   * Register the record's schema when serializing (default true). When false, the schema must
   * already be registered under the subject, and serializing fails clearly if it is not.
   */
  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";

  /**
   * Write with the subject's latest schema instead of the record's own (default false); requires
   * {@value #AUTO_REGISTER_SCHEMAS_CONFIG}=false. The record is converted to the latest schema by
   * Avro schema resolution, so the latest schema must be able to read the record's.
   */
  public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";

  /** The {@link SubjectNameStrategy} for keys (default {@link TopicNameStrategy}). */
  public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";

  /** The {@link SubjectNameStrategy} for values (default {@link TopicNameStrategy}). */
  public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";

  /**
   * Read specific records (default true here). Outpost's deserializer only produces specific
   * records, so false is refused rather than silently ignored.
   */
  public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";

  /** The generated class keys are read into, as a {@link Class} or a class name. */
  public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";

  /** The generated class values are read into, as a {@link Class} or a class name. */
  public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";

  private static final String CONFLUENT_STRATEGY_PACKAGE = "io.confluent.kafka.serializers.subject.";

  private final boolean key;
  private final boolean autoRegisterSchemas;
  private final boolean useLatestVersion;
  private final SubjectNameStrategy subjectNameStrategy;
  private final Class<? extends SpecificRecord> specificType;

  private AvroSerdeConfig(
      final boolean key,
      final boolean autoRegisterSchemas,
      final boolean useLatestVersion,
      final SubjectNameStrategy subjectNameStrategy,
      final Class<? extends SpecificRecord> specificType) {
    this.key = key;
    this.autoRegisterSchemas = autoRegisterSchemas;
    this.useLatestVersion = useLatestVersion;
    this.subjectNameStrategy = subjectNameStrategy;
    this.specificType = specificType;
  }

  /**
   * The settings of a serde that was never configured: auto-register, topic-name subjects.
   *
   * @param isKey true for a key serde
   * @return the defaults
   */
  public static AvroSerdeConfig defaults(final boolean isKey) {
    return new AvroSerdeConfig(isKey, true, false, new TopicNameStrategy(), null);
  }

  /**
   * Parses the serde keys of a Kafka client configuration; other keys are ignored.
   *
   * @param configs the configuration, as passed to {@code configure}
   * @param isKey true for a key serde, which reads the {@code key.*} keys
   * @return the parsed settings
   * @throws IllegalArgumentException naming the key and the value when a value is invalid
   */
  public static AvroSerdeConfig from(final Map<String, ?> configs, final boolean isKey) {
    Objects.requireNonNull(configs, "configs");
    final boolean autoRegister = bool(configs, AUTO_REGISTER_SCHEMAS_CONFIG, true);
    final boolean useLatest = bool(configs, USE_LATEST_VERSION_CONFIG, false);
    if (autoRegister && useLatest) {
      throw new IllegalArgumentException(
          "Config '"
              + USE_LATEST_VERSION_CONFIG
              + "'=true needs '"
              + AUTO_REGISTER_SCHEMAS_CONFIG
              + "'=false: the serializer either registers the record's schema or uses the latest"
              + " registered one");
    }
    if (!bool(configs, SPECIFIC_AVRO_READER_CONFIG, true)) {
      throw new IllegalArgumentException(
          "Invalid value 'false' for config '"
              + SPECIFIC_AVRO_READER_CONFIG
              + "': Outpost's Avro deserializer reads only specific records");
    }
    final String strategyKey =
        isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
    final Object strategyValue = configs.get(strategyKey);
    final SubjectNameStrategy strategy =
        strategyValue == null ? new TopicNameStrategy() : strategy(strategyKey, strategyValue);
    final String typeKey = isKey ? SPECIFIC_AVRO_KEY_TYPE_CONFIG : SPECIFIC_AVRO_VALUE_TYPE_CONFIG;
    final Object typeValue = configs.get(typeKey);
    final Class<? extends SpecificRecord> type =
        typeValue == null ? null : specificType(typeKey, typeValue);
    return new AvroSerdeConfig(isKey, autoRegister, useLatest, strategy, type);
  }

  /**
   * Resolves a subject name strategy from configuration. Accepts a {@link SubjectNameStrategy}
   * instance or class, the short names {@code TopicNameStrategy}, {@code RecordNameStrategy} and
   * {@code TopicRecordNameStrategy}, the same names in Confluent's package (so Confluent
   * configurations work unchanged), or the name of any class implementing {@link
   * SubjectNameStrategy} with a public no-argument constructor.
   *
   * @param key the config key, for error messages
   * @param value the configured value
   * @return the strategy
   * @throws IllegalArgumentException naming the key and the value when it names no usable strategy
   */
  public static SubjectNameStrategy strategy(final String key, final Object value) {
    if (value instanceof SubjectNameStrategy) {
      return (SubjectNameStrategy) value;
    }
    if (value instanceof Class) {
      return instantiate(key, (Class<?>) value);
    }
    if (!(value instanceof String)) {
      throw invalid(key, value, "expected a strategy name or class");
    }
    final String name = ((String) value).trim();
    final String shortName =
        name.startsWith(CONFLUENT_STRATEGY_PACKAGE)
            ? name.substring(CONFLUENT_STRATEGY_PACKAGE.length())
            : name;
    switch (shortName) {
      case "TopicNameStrategy":
        return new TopicNameStrategy();
      case "RecordNameStrategy":
        return new RecordNameStrategy();
      case "TopicRecordNameStrategy":
        return new TopicRecordNameStrategy();
      default:
        break;
    }
    final Class<?> type;
    try {
      type = Class.forName(name, true, classLoader());
    } catch (final ClassNotFoundException e) {
      throw invalid(
          key,
          value,
          "expected TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy or the name of"
              + " a class implementing "
              + SubjectNameStrategy.class.getName());
    }
    return instantiate(key, type);
  }

  /**
   * @return true for a key serde
   */
  public boolean isKey() {
    return key;
  }

  /**
   * @return whether the serializer registers the record's schema
   */
  public boolean autoRegisterSchemas() {
    return autoRegisterSchemas;
  }

  /**
   * @return whether the serializer writes with the subject's latest schema
   */
  public boolean useLatestVersion() {
    return useLatestVersion;
  }

  /**
   * @return the strategy for this serde's side (key or value)
   */
  public SubjectNameStrategy subjectNameStrategy() {
    return subjectNameStrategy;
  }

  /**
   * @return the configured class to read into, or null when none was configured
   */
  public Class<? extends SpecificRecord> specificType() {
    return specificType;
  }

  private static SubjectNameStrategy instantiate(final String key, final Class<?> type) {
    if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
      throw invalid(
          key, type.getName(), "the class does not implement " + SubjectNameStrategy.class.getName());
    }
    try {
      return (SubjectNameStrategy) type.getConstructor().newInstance();
    } catch (final NoSuchMethodException
        | InstantiationException
        | IllegalAccessException
        | InvocationTargetException e) {
      throw invalid(key, type.getName(), "cannot create it with a public no-argument constructor: " + e);
    }
  }

  private static Class<? extends SpecificRecord> specificType(final String key, final Object value) {
    final Class<?> type;
    if (value instanceof Class) {
      type = (Class<?>) value;
    } else if (value instanceof String) {
      try {
        type = Class.forName(((String) value).trim(), true, classLoader());
      } catch (final ClassNotFoundException e) {
        throw invalid(key, value, "no such class");
      }
    } else {
      throw invalid(key, value, "expected a class or a class name");
    }
    if (!SpecificRecord.class.isAssignableFrom(type)) {
      throw invalid(key, type.getName(), "not an Avro SpecificRecord class");
    }
    return type.asSubclass(SpecificRecord.class);
  }

  private static boolean bool(final Map<String, ?> configs, final String key, final boolean fallback) {
    final Object value = configs.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      final String text = ((String) value).trim().toLowerCase(Locale.ROOT);
      if (text.equals("true")) {
        return true;
      }
      if (text.equals("false")) {
        return false;
      }
    }
    throw invalid(key, value, "expected true or false");
  }

  private static ClassLoader classLoader() {
    final ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : AvroSerdeConfig.class.getClassLoader();
  }

  private static IllegalArgumentException invalid(
      final String key, final Object value, final String why) {
    return new IllegalArgumentException(
        "Invalid value '" + value + "' for config '" + key + "': " + why);
  }
}
