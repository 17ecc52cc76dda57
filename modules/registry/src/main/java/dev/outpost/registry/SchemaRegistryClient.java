package dev.outpost.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * What Outpost needs of a Confluent-compatible schema registry. Implemented over HTTP by {@code
 * HttpSchemaRegistryClient} and in memory by {@code InMemorySchemaRegistryClient} for unit tests.
 *
 * <p>Every method throws a subclass of {@link SchemaRegistryException} on failure: {@link
 * SubjectNotFoundException}, {@link VersionNotFoundException}, {@link SchemaNotFoundException},
 * {@link IncompatibleSchemaException}, {@link InvalidSchemaException} or {@link
 * RegistryServerException}.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers a schema under a subject, or returns the id it already has there. {@code POST
   * /subjects/{subject}/versions}.
   *
   * @param subject the subject
   * @param schema the schema
   * @return the schema id
   */
  int register(String subject, Schema schema);

  /**
   * Finds the version of a subject that has this schema. {@code POST /subjects/{subject}}.
   *
   * @param subject the subject
   * @param schema the schema
   * @return its id and version under the subject
   */
  RegisteredSchema lookup(String subject, Schema schema);

  /**
   * {@code GET /schemas/ids/{id}}.
   *
   * @param id a schema id
   * @return the schema with that id
   */
  Schema getById(int id);

  /**
   * {@code GET /subjects}.
   *
   * @return all subjects
   */
  List<String> subjects();

  /**
   * {@code GET /subjects/{subject}/versions}.
   *
   * @param subject the subject
   * @return its versions, ascending
   */
  List<Integer> versions(String subject);

  /**
   * {@code GET /subjects/{subject}/versions/{version}}.
   *
   * @param subject the subject
   * @param version a version number
   * @return that version
   */
  RegisteredSchema version(String subject, int version);

  /**
   * {@code GET /subjects/{subject}/versions/latest}.
   *
   * @param subject the subject
   * @return its latest version
   */
  RegisteredSchema latest(String subject);

  /**
   * Tests a schema against the latest version of a subject. {@code POST
   * /compatibility/subjects/{subject}/versions/latest?verbose=true}.
   *
   * @param subject the subject
   * @param schema the candidate
   * @return empty when compatible, else the registry's reasons
   */
  List<String> testCompatibility(String subject, Schema schema);

  /**
   * Tests a schema against one version of a subject. {@code POST
   * /compatibility/subjects/{subject}/versions/{version}?verbose=true}.
   *
   * @param subject the subject
   * @param version the version to test against
   * @param schema the candidate
   * @return empty when compatible, else the registry's reasons
   */
  List<String> testCompatibility(String subject, int version, Schema schema);

  /**
   * {@code GET /config}.
   *
   * @return the global compatibility level
   */
  CompatibilityLevel globalCompatibility();

  /**
   * {@code PUT /config}.
   *
   * @param level the new global level
   */
  void setGlobalCompatibility(CompatibilityLevel level);

  /**
   * {@code GET /config/{subject}?defaultToGlobal=true}.
   *
   * @param subject the subject
   * @return the subject's level, or the global one when it has none of its own
   */
  CompatibilityLevel subjectCompatibility(String subject);

  /**
   * {@code PUT /config/{subject}}.
   *
   * @param subject the subject
   * @param level its new level
   */
  void setSubjectCompatibility(String subject, CompatibilityLevel level);

  /** Releases connections and caches. Does not throw. */
  @Override
  void close();
}
