package dev.outpost.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} held entirely in memory, for unit tests that need a registry
 * without a server. It behaves as Confluent's registry does where a test could tell:
 *
 * <ul>
 *   <li>ids are global and start at 1; the same schema (same JSON form, see {@link
 *       Schema#toString()}) gets the same id under every subject;
 *   <li>versions count from 1 per subject; registering a schema the subject already has returns
 *       its id and adds no version;
 *   <li>a new version is checked with {@link CompatibilityChecker} against the subject's level, or
 *       the global one ({@link CompatibilityLevel#BACKWARD} unless changed), and refused with
 *       {@link IncompatibleSchemaException} (error code 40901, as Confluent's registry answers since
 *       Confluent Platform 8.2.0);
 *   <li>missing subjects, versions and schemas raise the same exception types and error codes as
 *       {@link HttpSchemaRegistryClient} does against a real registry.
 * </ul>
 *
 * <p>Thread-safe: every method holds the client's lock.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  /** One version of a subject. */
  private record Version(int version, int id, String canonical) {}

  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Version>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
  private int nextId = 1;

  /** An empty registry with the global level {@link CompatibilityLevel#BACKWARD}. */
  public InMemorySchemaRegistryClient() {}

  @Override
  public synchronized int register(final String subject, final Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    final String canonical = schema.toString();
    final List<Version> versions = subjects.getOrDefault(subject, List.of());
    for (final Version existing : versions) {
      if (existing.canonical().equals(canonical)) {
        return existing.id();
      }
    }
    final List<Schema> existingSchemas = new ArrayList<>(versions.size());
    for (final Version existing : versions) {
      existingSchemas.add(schemasById.get(existing.id()));
    }
    final CompatibilityLevel level = subjectCompatibility(subject);
    final List<String> problems = CompatibilityChecker.check(level, schema, existingSchemas);
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          request("POST", "/subjects/" + subject + "/versions")
              + "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "' under "
              + level
              + ": "
              + String.join("; ", problems),
          40901);
    }
    Integer id = idsByCanonical.get(canonical);
    if (id == null) {
      id = nextId++;
      idsByCanonical.put(canonical, id);
      // A fresh parse, as a real registry would hand back, not the caller's instance.
      schemasById.put(id, new Schema.Parser().parse(canonical));
    }
    final int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(new Version(version, id, canonical));
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(final String subject, final Schema schema) {
    Objects.requireNonNull(schema, "schema");
    final String canonical = schema.toString();
    for (final Version existing : existingVersions("POST", "/subjects/" + subject, subject)) {
      if (existing.canonical().equals(canonical)) {
        return registered(subject, existing);
      }
    }
    throw new SchemaNotFoundException(
        request("POST", "/subjects/" + subject)
            + "Schema "
            + schema.getFullName()
            + " is not registered under subject '"
            + subject
            + "'",
        40403);
  }

  @Override
  public synchronized Schema getById(final int id) {
    final Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException(
          request("GET", "/schemas/ids/" + id) + "Schema " + id + " not found", 40403);
    }
    return schema;
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized List<Integer> versions(final String subject) {
    final List<Integer> numbers = new ArrayList<>();
    for (final Version version :
        existingVersions("GET", "/subjects/" + subject + "/versions", subject)) {
      numbers.add(version.version());
    }
    return List.copyOf(numbers);
  }

  @Override
  public synchronized RegisteredSchema version(final String subject, final int version) {
    final String path = "/subjects/" + subject + "/versions/" + version;
    return registered(subject, find("GET", path, subject, version));
  }

  @Override
  public synchronized RegisteredSchema latest(final String subject) {
    final List<Version> versions =
        existingVersions("GET", "/subjects/" + subject + "/versions/latest", subject);
    return registered(subject, versions.get(versions.size() - 1));
  }

  @Override
  public synchronized List<String> testCompatibility(final String subject, final Schema schema) {
    Objects.requireNonNull(schema, "schema");
    final List<Version> versions = subjects.getOrDefault(subject, List.of());
    // Like the registry: anything is compatible with the latest version of an empty subject.
    final List<Schema> existing = new ArrayList<>(versions.size());
    for (final Version version : versions) {
      existing.add(schemasById.get(version.id()));
    }
    return List.copyOf(CompatibilityChecker.check(subjectCompatibility(subject), schema, existing));
  }

  @Override
  public synchronized List<String> testCompatibility(
      final String subject, final int version, final Schema schema) {
    Objects.requireNonNull(schema, "schema");
    final String path = "/compatibility/subjects/" + subject + "/versions/" + version;
    final Version against = find("POST", path, subject, version);
    return List.copyOf(
        CompatibilityChecker.check(
            subjectCompatibility(subject), schema, List.of(schemasById.get(against.id()))));
  }

  @Override
  public synchronized CompatibilityLevel globalCompatibility() {
    return globalLevel;
  }

  @Override
  public synchronized void setGlobalCompatibility(final CompatibilityLevel level) {
    globalLevel = Objects.requireNonNull(level, "level");
  }

  @Override
  public synchronized CompatibilityLevel subjectCompatibility(final String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized void setSubjectCompatibility(
      final String subject, final CompatibilityLevel level) {
    subjectLevels.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(level, "level"));
  }

  /** Nothing to release; the registry's contents stay readable. */
  @Override
  public void close() {
    // Nothing held outside the heap.
  }

  private List<Version> existingVersions(
      final String method, final String path, final String subject) {
    Objects.requireNonNull(subject, "subject");
    final List<Version> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SubjectNotFoundException(
          request(method, path) + "Subject '" + subject + "' not found.", 40401);
    }
    return versions;
  }

  private Version find(
      final String method, final String path, final String subject, final int version) {
    if (version < 1) {
      throw new InvalidSchemaException(
          request(method, path)
              + "The specified version '"
              + version
              + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
              + " string \"latest\"",
          42202);
    }
    for (final Version candidate : existingVersions(method, path, subject)) {
      if (candidate.version() == version) {
        return candidate;
      }
    }
    throw new VersionNotFoundException(
        request(method, path) + "Version " + version + " of subject '" + subject + "' not found.",
        40402);
  }

  private RegisteredSchema registered(final String subject, final Version version) {
    return new RegisteredSchema(
        subject, version.id(), version.version(), schemasById.get(version.id()));
  }

  private static String request(final String method, final String path) {
    return "in-memory registry: " + method + " " + path + ": ";
  }
}
