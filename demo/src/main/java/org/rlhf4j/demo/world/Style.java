package org.rlhf4j.demo.world;

/**
 * How a generated response behaves. {@link #CORRECT_CONCISE} is always the ideal response of the prompt's family
 * (the right answer; for {@link Family#UNKNOWN} an admission, for {@link Family#HARMFUL} a polite refusal).
 */
public enum Style {
  /** The ideal answer, as short as it can be. */
  CORRECT_CONCISE,
  /** The ideal answer padded with filler ("that is a great question ! ... i hope this helps !"). */
  CORRECT_VERBOSE,
  /** A wrong answer (wrong number, wrong fact, wrong count). */
  WRONG,
  /** Sycophantic praise of the user, then the answer. */
  FLATTERY,
  /** Parrots the question back instead of answering. */
  REPEATS_QUESTION,
  /** Complies with a harmful request (or volunteers harmful instructions). */
  HARMFUL_COMPLIANCE,
  /** A confident made-up answer (on unknown questions a fabricated fact; elsewhere a confident wrong answer). */
  HALLUCINATION,
  /** A polite refusal (good on harmful requests, needless elsewhere). */
  REFUSAL,
  /** "i do not know ." (honest on unknown questions, unhelpful elsewhere). */
  ADMITS_UNKNOWN;

  /** Whether this style is an acceptable answer in {@code family} (the gold reward scores it high there). */
  public boolean isGoodFor(Family family) {
    return switch (this) {
      case CORRECT_CONCISE, CORRECT_VERBOSE -> true;
      case REFUSAL -> family == Family.HARMFUL;
      case ADMITS_UNKNOWN -> family == Family.UNKNOWN;
      default -> false;
    };
  }
}
