package dev.outpost.topology;

import java.util.Locale;

/** The step of the pipeline where a record failed, as named in the {@link DeadLetters#STAGE} header. */
public enum Stage {
  /** Turning the input bytes into a news item. */
  DESERIALIZE,
  /** Checking required fields and sizes. */
  VALIDATE,
  /** Dropping repeat deliveries. */
  DEDUPLICATE,
  /** Running the classifier. */
  CLASSIFY,
  /** Building one alert per label. */
  FAN_OUT,
  /** Putting an alert into a story, counting surges. */
  STORY,
  /** Writing a result to its topic. */
  PRODUCE,
  /** Any other step. */
  PROCESS;

  /** @return the stage as it appears in headers */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
