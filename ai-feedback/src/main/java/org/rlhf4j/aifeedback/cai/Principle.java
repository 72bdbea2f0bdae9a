package org.rlhf4j.aifeedback.cai;

/**
 * One principle of a constitution. For the supervised stage (critique, then revise) it has a critique request and a
 * revision request; for the RL stage a preference question that the feedback model answers by choosing between two
 * responses. A principle may serve both stages; at least one of them.
 */
public record Principle(String name, String critiqueRequest, String revisionRequest, String preferenceQuestion) {
  public Principle {
    if (name == null || name.isBlank()) throw new IllegalArgumentException("Principle.name must not be blank");
    if ((critiqueRequest == null) != (revisionRequest == null)) {
      throw new IllegalArgumentException("principle '" + name + "' needs both a critique_request and a revision_request, or neither");
    }
    if (critiqueRequest == null && preferenceQuestion == null) {
      throw new IllegalArgumentException("principle '" + name + "' has neither critique/revision requests nor a preference_question");
    }
  }

  /** Usable by critique-revise (SL-CAI). */
  public boolean critiques() { return critiqueRequest != null; }

  /** Usable by AI preference labelling (RL-CAI). */
  public boolean prefers() { return preferenceQuestion != null; }
}
