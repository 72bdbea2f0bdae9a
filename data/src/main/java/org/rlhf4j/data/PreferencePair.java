package org.rlhf4j.data;

/**
 * A preference between two responses to one prompt. {@code chosenProbability} is the probability
 * that {@code chosen} is preferred: 1.0 for a hard label, a value in [0, 1] for a soft label
 * (e.g. the fraction of raters who preferred it).
 */
public record PreferencePair(Content prompt, Content chosen, Content rejected, double chosenProbability) {
  public PreferencePair {
    Checks.notNull(prompt, "PreferencePair.prompt");
    Checks.notNull(chosen, "PreferencePair.chosen");
    Checks.notNull(rejected, "PreferencePair.rejected");
    if (!(chosenProbability >= 0.0 && chosenProbability <= 1.0)) {
      throw new IllegalArgumentException("PreferencePair.chosenProbability must be in [0, 1] but was " + chosenProbability);
    }
  }

  /** A hard-labelled pair ({@code chosenProbability} = 1). */
  public static PreferencePair of(Content prompt, Content chosen, Content rejected) {
    return new PreferencePair(prompt, chosen, rejected, 1.0);
  }

  /** True when the label is hard (probability exactly 1). */
  public boolean isHard() { return chosenProbability == 1.0; }

  /**
   * The two responses as unpaired (KTO-style) examples: chosen desirable, rejected undesirable
   * (TRL's unpairing rule; the soft label is not carried over).
   */
  public java.util.List<UnpairedExample> unpaired() {
    return java.util.List.of(new UnpairedExample(prompt, chosen, true), new UnpairedExample(prompt, rejected, false));
  }

  /** The same preference with chosen and rejected swapped (probability becomes 1 - p). */
  public PreferencePair swapped() { return new PreferencePair(prompt, rejected, chosen, 1.0 - chosenProbability); }
}
