package dev.outpost.registry.server;

/**
 * An error the registry answers with, as Confluent's registry words it: an HTTP status and a body
 * {@code {"error_code":N,"message":"..."}}. Expected client errors, so it carries no stack trace.
 */
final class RestError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  static final int SUBJECT_NOT_FOUND = 40401;
  static final int VERSION_NOT_FOUND = 40402;
  static final int SCHEMA_NOT_FOUND = 40403;
  static final int SUBJECT_SOFT_DELETED = 40404;
  static final int SUBJECT_NOT_SOFT_DELETED = 40405;
  static final int VERSION_SOFT_DELETED = 40406;
  static final int VERSION_NOT_SOFT_DELETED = 40407;
  static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  static final int SUBJECT_MODE_NOT_CONFIGURED = 40409;
  // Confluent's code since Confluent Platform 8.2.0; it answered 409 before.
  static final int INCOMPATIBLE_SCHEMA = 40901;
  static final int INVALID_SCHEMA = 42201;
  static final int INVALID_VERSION = 42202;
  static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  static final int INVALID_MODE = 42204;
  static final int OPERATION_NOT_PERMITTED = 42205;
  static final int REFERENCE_EXISTS = 42206;
  static final int STORE_ERROR = 50001;
  static final int STORE_TIMEOUT = 50002;

  /** The HTTP status. */
  private final int status;

  /** The registry's error code. */
  private final int errorCode;

  /** The methods the path allows, for a 405; otherwise null. */
  private final String allow;

  private RestError(final int status, final int errorCode, final String message, final String allow) {
    super(message, null, false, false);
    this.status = status;
    this.errorCode = errorCode;
    this.allow = allow;
  }

  RestError(final int status, final int errorCode, final String message) {
    this(status, errorCode, message, null);
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  String allow() {
    return allow;
  }

  static RestError subjectNotFound(final String subject) {
    return new RestError(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
  }

  static RestError versionNotFound(final int version) {
    return new RestError(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
  }

  static RestError schemaNotFound() {
    return new RestError(404, SCHEMA_NOT_FOUND, "Schema not found");
  }

  static RestError schemaNotFound(final int id) {
    return new RestError(404, SCHEMA_NOT_FOUND, "Schema " + id + " not found");
  }

  // Deletes: Confluent answers each of these with 404.

  static RestError subjectSoftDeleted(final String subject) {
    return new RestError(
        404,
        SUBJECT_SOFT_DELETED,
        "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
  }

  static RestError subjectNotSoftDeleted(final String subject) {
    return new RestError(
        404,
        SUBJECT_NOT_SOFT_DELETED,
        "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  static RestError versionSoftDeleted(final String subject, final int version) {
    return new RestError(
        404,
        VERSION_SOFT_DELETED,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was soft deleted. Set permanent=true to delete permanently");
  }

  static RestError versionNotSoftDeleted(final String subject, final int version) {
    return new RestError(
        404,
        VERSION_NOT_SOFT_DELETED,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was not deleted first before being permanently deleted");
  }

  static RestError subjectCompatibilityNotConfigured(final String subject) {
    return new RestError(
        404,
        SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RestError subjectModeNotConfigured(final String subject) {
    return new RestError(
        404,
        SUBJECT_MODE_NOT_CONFIGURED,
        "Subject '" + subject + "' does not have subject-level mode configured");
  }

  static RestError invalidMode() {
    return new RestError(
        422,
        INVALID_MODE,
        "Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE, IMPORT and FORWARD.");
  }

  /** 42205: the registry's mode (or a rule such as "no overwriting an id") forbids the change. */
  static RestError operationNotPermitted(final String message) {
    return new RestError(422, OPERATION_NOT_PERMITTED, message);
  }

  /** 42206: a version other schemas reference cannot be deleted. */
  static RestError referenceExists(final String subject, final int version) {
    return new RestError(
        422,
        REFERENCE_EXISTS,
        "One or more references exist to the schema {subject="
            + subject
            + ",version="
            + version
            + "}.");
  }

  static RestError incompatible(final String message) {
    return new RestError(409, INCOMPATIBLE_SCHEMA, message);
  }

  static RestError invalidSchema(final String message) {
    return new RestError(422, INVALID_SCHEMA, message);
  }

  static RestError invalidVersion(final String version) {
    return new RestError(
        422,
        INVALID_VERSION,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
            + " \"latest\"");
  }

  static RestError invalidCompatibilityLevel() {
    return new RestError(
        422,
        INVALID_COMPATIBILITY_LEVEL,
        "Invalid compatibility level. Valid values are none, backward, forward, full,"
            + " backward_transitive, forward_transitive, and full_transitive");
  }

  static RestError unprocessable(final String message) {
    return new RestError(422, 422, message);
  }

  static RestError malformedJson(final String detail) {
    return new RestError(400, 400, "Unparseable JSON in the request body: " + detail);
  }

  static RestError notFound() {
    return new RestError(404, 404, "HTTP 404 Not Found");
  }

  static RestError methodNotAllowed(final String allow) {
    return new RestError(405, 405, "HTTP 405 Method Not Allowed", allow);
  }

  static RestError unsupportedMediaType() {
    return new RestError(415, 415, "HTTP 415 Unsupported Media Type");
  }

  static RestError tooLarge(final int limit) {
    return new RestError(413, 413, "Request body larger than " + limit + " bytes");
  }

  static RestError busy() {
    return new RestError(
        503,
        503,
        "HTTP 503 Service Unavailable: every worker of the registry is busy and its queue is"
            + " full; retry later");
  }

  /**
   * A read found nothing, and the store did not answer in time when read for other registries'
   * newer writes: the answer is not known yet. 503 with Confluent's "operation timed out" code,
   * which clients retry.
   */
  static RestError storeSlow(final String miss, final java.time.Duration waited) {
    return new RestError(
        503,
        STORE_TIMEOUT,
        miss
            + " here, and the schema store on Kafka did not answer within "
            + waited.toMillis()
            + " ms when read for newer schemas; retry later, and check that Kafka is reachable if"
            + " this persists");
  }

  /** The store failed: 500 with code 50001, saying what failed and what to check. */
  static RestError storeFailed(final String message) {
    return new RestError(
        500,
        STORE_ERROR,
        "The schema store on Kafka did not answer: "
            + message
            + "; check that Kafka is reachable");
  }
}
