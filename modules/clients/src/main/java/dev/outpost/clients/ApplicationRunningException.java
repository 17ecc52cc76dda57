package dev.outpost.clients;

/**
 * A Kafka Streams application still has members in its consumer group, so its offsets, internal
 * topics and state must not be changed under it: stop every instance, then try again.
 *
 * @see PipelineAdmin
 */
public final class ApplicationRunningException extends ClientsException {

  private static final long serialVersionUID = 1L;

  private final String applicationId;
  private final int members;

  /**
   * @param applicationId the application
   * @param members how many members its group had when it was described; 1 when the broker only
   *     said that the group is not empty
   */
  ApplicationRunningException(final String applicationId, final int members) {
    super("Application '" + applicationId + "' is running (" + members + " member(s))");
    this.applicationId = applicationId;
    this.members = members;
  }

  /** @return the application's id, which is its consumer group */
  public String applicationId() {
    return applicationId;
  }

  /** @return how many members its group had, at least 1 */
  public int members() {
    return members;
  }
}
