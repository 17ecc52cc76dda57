package dev.outpost.ops.lag;

/**
 * A group's lag status changed between two samples, or the group aged out of the report.
 *
 * @param group the group id
 * @param from its status before; null the first time the group is seen
 * @param to its status now; null when it aged out
 * @param reason the rule that set the new status, or why the group aged out
 * @param lagRecords records behind now
 * @param lagSeconds seconds behind now
 * @param atMs when the sample was taken, in epoch milliseconds
 */
public record StatusChange(String group, LagStatus from, LagStatus to, String reason, long lagRecords, double lagSeconds, long atMs) {

  /** @return whether the group aged out of the report rather than changed status */
  public boolean agedOut() {
    return to == null;
  }
}
