package org.rlhf4j.aifeedback.redteam;

import java.util.Objects;
import org.rlhf4j.data.Content;

/**
 * One red-team prompt: the text sent to the policy, the seed request it came from, how it was made
 * ({@code "seed"}, {@code "paraphrase:<template>"} or {@code "jailbreak:<template>"}) and the seed's family
 * (what kind of failure it probes; may be empty).
 */
public record Attack(String id, Content prompt, String seed, String kind, String family) {
  public Attack {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("Attack.id must not be blank");
    Objects.requireNonNull(prompt, "Attack.prompt");
    seed = seed == null ? "" : seed;
    if (kind == null || kind.isBlank()) throw new IllegalArgumentException("Attack.kind must not be blank");
    family = family == null ? "" : family;
  }

  /** "seed", "paraphrase" or "jailbreak": the kind without its template name. */
  public String method() {
    int colon = kind.indexOf(':');
    return colon < 0 ? kind : kind.substring(0, colon);
  }
}
