package dev.outpost.registry.server;

/** Avro schemas for the tests: an {@code Alert} record with a few variations. */
final class Schemas {

  private Schemas() {}

  /** {@code Alert} with the given field declarations, such as {@code {"name":"a","type":"int"}}. */
  static String alert(final String... fields) {
    return "{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":\"dev.outpost.test\",\"fields\":["
        + String.join(",", fields)
        + "]}";
  }

  static final String A_INT = "{\"name\":\"a\",\"type\":\"int\"}";
  static final String A_LONG = "{\"name\":\"a\",\"type\":\"long\"}";
  static final String A_STRING = "{\"name\":\"a\",\"type\":\"string\"}";
  static final String B_STRING = "{\"name\":\"b\",\"type\":\"string\"}";
  static final String B_STRING_DEFAULT = "{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}";

  /** {@code Alert{a:int}}. */
  static final String V1 = alert(A_INT);

  /** {@code Alert{a:int, b:string="x"}}: v1 plus a field with a default. */
  static final String V2 = alert(A_INT, B_STRING_DEFAULT);

  /** {@code Alert{a:int, b:string}}: v1 plus a field without a default. */
  static final String V2_NO_DEFAULT = alert(A_INT, B_STRING);
}
