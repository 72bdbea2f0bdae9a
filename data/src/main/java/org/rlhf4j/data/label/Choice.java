package org.rlhf4j.data.label;

/** A pairwise judgement: response A preferred, response B preferred, or a tie. */
public enum Choice {
  A, B, TIE;

  /** The same judgement with A and B exchanged (TIE stays TIE). */
  public Choice swapped() {
    return switch (this) {
      case A -> B;
      case B -> A;
      case TIE -> TIE;
    };
  }
}
