package dev.outpost.registry.server;

/**
 * A {@link SchemaStore} refused an append because the log moved on since this registry last read
 * it: another registry wrote to the same log, or took over the right to write it. Nothing was
 * written. The caller applies {@link SchemaStore#catchUp()}, decides again (the id it picked may be
 * taken now) and retries.
 */
public class SchemaStoreConflictException extends SchemaStoreException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what moved on
   * @param cause the underlying failure, or {@code null}
   */
  public SchemaStoreConflictException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
