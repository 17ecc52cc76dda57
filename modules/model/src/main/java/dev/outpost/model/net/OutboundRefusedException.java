package dev.outpost.model.net;

import java.io.IOException;

/**
 * A request Outpost refused to make: its target, or a redirect's, is an address the {@link
 * OutboundPolicy} does not allow. An {@link IOException}, so code that sends requests has to
 * handle it; unlike other I/O failures it will not change on a retry.
 */
public final class OutboundRefusedException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused and why, with any URL already redacted
   */
  public OutboundRefusedException(final String message) {
    super(message);
  }
}
