package dev.outpost.registry.serde;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversion;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@link SpecificData} a deserializer reads with.
 *
 * <p>Since Avro 1.12, {@link SpecificData#getClass(Schema)} refuses to load any class that is not
 * on the {@code org.apache.avro.SERIALIZABLE_PACKAGES} allow-list, generated classes included, so
 * reading a specific record would need a JVM-wide system property. This model instead trusts
 * exactly the generated classes the target class's own schema names (its nested records, enums
 * and fixed types), found through the target class's loader and checked to be generated types;
 * every other name still goes through Avro's validation. Names in a writer schema never load a
 * class: resolution builds the reader's types.
 */
final class ReaderModel extends SpecificData {

  private final Map<String, Class<?>> trusted;

  private ReaderModel(final ClassLoader loader, final Map<String, Class<?>> trusted) {
    super(loader);
    this.trusted = Map.copyOf(trusted);
  }

  /**
   * @param type a generated record class
   * @return a model that reads it and the types it contains, with its logical-type conversions
   */
  static SpecificData forClass(final Class<? extends SpecificRecord> type) {
    final SpecificData original = SpecificData.getForClass(type);
    final Schema schema = original.getSchema(type);
    final ClassLoader loader =
        type.getClassLoader() != null ? type.getClassLoader() : ReaderModel.class.getClassLoader();
    final Map<String, Class<?>> trusted = new HashMap<>();
    collect(schema, loader, trusted, new HashSet<>());
    final ReaderModel model = new ReaderModel(loader, trusted);
    for (final Conversion<?> conversion : original.getConversions()) {
      model.addLogicalTypeConversion(conversion);
    }
    return model;
  }

  /**
   * @param schema a schema
   * @return the trusted generated class for a named type of the reader schema, else whatever Avro
   *     itself decides (with its class validation)
   */
  @Override
  public Class<?> getClass(final Schema schema) {
    switch (schema.getType()) {
      case RECORD:
      case ENUM:
      case FIXED:
        final Class<?> known = trusted.get(schema.getFullName());
        if (known != null) {
          return known;
        }
        break;
      default:
        break;
    }
    return super.getClass(schema);
  }

  private static void collect(
      final Schema schema,
      final ClassLoader loader,
      final Map<String, Class<?>> trusted,
      final Set<String> seen) {
    switch (schema.getType()) {
      case RECORD:
        if (seen.add(schema.getFullName())) {
          trust(schema, loader, SpecificRecord.class, trusted);
          for (final Schema.Field field : schema.getFields()) {
            collect(field.schema(), loader, trusted, seen);
          }
        }
        break;
      case ENUM:
        if (seen.add(schema.getFullName())) {
          trust(schema, loader, Enum.class, trusted);
        }
        break;
      case FIXED:
        if (seen.add(schema.getFullName())) {
          trust(schema, loader, SpecificFixed.class, trusted);
        }
        break;
      case ARRAY:
        collect(schema.getElementType(), loader, trusted, seen);
        break;
      case MAP:
        collect(schema.getValueType(), loader, trusted, seen);
        break;
      case UNION:
        for (final Schema branch : schema.getTypes()) {
          collect(branch, loader, trusted, seen);
        }
        break;
      default:
        break;
    }
  }

  private static void trust(
      final Schema schema,
      final ClassLoader loader,
      final Class<?> mustBe,
      final Map<String, Class<?>> trusted) {
    try {
      // Not initialized until it proves to be a generated type.
      final Class<?> found = Class.forName(SpecificData.getClassName(schema), false, loader);
      if (mustBe.isAssignableFrom(found)) {
        trusted.put(schema.getFullName(), found);
      }
    } catch (final ClassNotFoundException e) {
      // No generated class: Avro reads the type generically, as it would anyway.
    }
  }
}
