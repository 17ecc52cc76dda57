package dev.outpost.subscribers;

import dev.outpost.model.Alert;

/**
 * Which alerts a per-story subscriber gets: the alert that started a story, then one each time
 * the story reaches a milestone of alerts, 5, 10, 25, 50, 100, 250, 500, 1000 and every multiple
 * of 1000 after that. An alert without a story (written before stories, or by a pipeline running
 * without them) always passes.
 *
 * <p>Stateless on purpose. Every alert carries {@code storyItems}, how many alerts its story had
 * once it joined, and each count is reached by exactly one alert of a story. So a milestone is a
 * property of the alert alone: any number of readers, over any partitions, in any group, each
 * deliver a story's first alert and one per milestone, with nothing to remember, share or restore
 * after a restart.
 *
 * @see AlertFilter#perStory()
 */
public final class StoryMilestones {

  /** The milestones below {@link #EVERY}, in order; from there on, every multiple of it is one. */
  private static final int[] FIRST = {1, 5, 10, 25, 50, 100, 250, 500};

  /** Past the first milestones, a story is delivered again every this many alerts. */
  private static final int EVERY = 1000;

  private StoryMilestones() {}

  /**
   * @param storyItems how many alerts a story had once an alert joined it, that one included
   * @return whether that count is a milestone: 1, 5, 10, 25, 50, 100, 250, 500, or a positive
   *     multiple of 1000; never for 0 or less, which no alert of a story has
   */
  public static boolean isMilestone(final int storyItems) {
    if (storyItems >= EVERY) {
      return storyItems % EVERY == 0;
    }
    for (final int milestone : FIRST) {
      if (storyItems == milestone) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param alert an alert
   * @return whether a per-story subscriber gets it: always when it has no story, otherwise only
   *     when its {@code storyItems} is a milestone ({@link #isMilestone})
   */
  public static boolean delivers(final Alert alert) {
    return alert.getStoryId() == null || isMilestone(alert.getStoryItems());
  }
}
