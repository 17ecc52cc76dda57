package dev.outpost.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Checks a candidate schema against a subject's existing versions under a {@link
 * CompatibilityLevel}, with Avro's own {@link SchemaCompatibility}. Shared by the embedded registry
 * server and the in-memory client, so both refuse exactly what a real registry refuses.
 */
public final class CompatibilityChecker {

  private CompatibilityChecker() {}

  /**
   * @param level the subject's compatibility level
   * @param candidate the schema to be registered
   * @param existingOldestFirst the subject's current versions, oldest first; may be empty
   * @return one message per incompatibility found; empty when the candidate is compatible
   */
  public static List<String> check(
      final CompatibilityLevel level, final Schema candidate, final List<Schema> existingOldestFirst) {
    final List<String> problems = new ArrayList<>();
    if (level == CompatibilityLevel.NONE || existingOldestFirst.isEmpty()) {
      return problems;
    }
    final List<Schema> against =
        level.isTransitive()
            ? existingOldestFirst
            : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
    final boolean backward =
        level == CompatibilityLevel.BACKWARD
            || level == CompatibilityLevel.BACKWARD_TRANSITIVE
            || level == CompatibilityLevel.FULL
            || level == CompatibilityLevel.FULL_TRANSITIVE;
    final boolean forward =
        level == CompatibilityLevel.FORWARD
            || level == CompatibilityLevel.FORWARD_TRANSITIVE
            || level == CompatibilityLevel.FULL
            || level == CompatibilityLevel.FULL_TRANSITIVE;
    // Newest first, like the registry: the most relevant conflict is reported first.
    for (int i = against.size() - 1; i >= 0; i--) {
      final Schema existing = against.get(i);
      if (backward) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing).getResult(),
            "new schema cannot read data written with an existing one", problems);
      }
      if (forward) {
        describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate).getResult(),
            "an existing schema cannot read data written with the new one", problems);
      }
    }
    return problems;
  }

  private static void describe(
      final SchemaCompatibilityResult result, final String direction, final List<String> out) {
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    for (final Incompatibility incompatibility : result.getIncompatibilities()) {
      out.add(
          direction
              + ": "
              + incompatibility.getType()
              + " at '"
              + incompatibility.getLocation()
              + "': "
              + incompatibility.getMessage());
    }
  }
}
