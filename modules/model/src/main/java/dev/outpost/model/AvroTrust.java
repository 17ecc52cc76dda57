package dev.outpost.model;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro 1.12 load Outpost's own generated classes by name. Avro refuses to instantiate classes
 * that are not on its allow-list when it resolves a schema to a class: reading a container file
 * with a specific reader, filling a record's array default ({@code Alert} without {@code
 * evidence}), or copying a record with {@code newBuilder(other)}. The classes of this package are
 * the project's own code, so trusting them opens nothing to a hostile schema.
 *
 * <p>The {@code outpost} command calls {@link #install()} as it starts; code that uses this module
 * as a library calls it once, before it reads or copies records.
 */
public final class AvroTrust {

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private AvroTrust() {}

  /** Adds this package's classes to Avro's allow-list, keeping whatever it trusted already. */
  public static void install() {
    if (INSTALLED.compareAndSet(false, true)) {
      final ClassSecurityValidator.ClassSecurityPredicate before = ClassSecurityValidator.getGlobal();
      final String ownPackage = AvroTrust.class.getPackageName();
      ClassSecurityValidator.setGlobal(
          ClassSecurityValidator.composite(before, c -> ownPackage.equals(c.getPackageName())));
    }
  }
}
