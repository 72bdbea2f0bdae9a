package org.rlhf4j.aifeedback.label;

import org.rlhf4j.data.agreement.Agreement;
import org.rlhf4j.data.agreement.Ratings;

/**
 * How often the judge picks the response the reference labels picked: raw agreement and Cohen's kappa over the
 * pairs the reference decided (P != 0.5), each side's choice being A, B or (exactly 0.5) a tie.
 */
public record JudgeAgreement(int n, double raw, double cohenKappa) {
  public static final String JUDGE = "judge";
  public static final String REFERENCE = "reference";

  /** {@code judgeA[i]} and {@code referenceA[i]}: P(A) from each; pairs the reference left at 0.5 are skipped. */
  public static JudgeAgreement of(double[] judgeA, double[] referenceA) {
    Ratings.Builder<String> b = Ratings.builder();
    int n = 0;
    for (int i = 0; i < judgeA.length; i++) {
      if (referenceA[i] == 0.5) continue;
      b.add("pair-" + i, JUDGE, choice(judgeA[i]));
      b.add("pair-" + i, REFERENCE, choice(referenceA[i]));
      n++;
    }
    if (n == 0) return new JudgeAgreement(0, Double.NaN, Double.NaN);
    Ratings<String> r = b.build();
    return new JudgeAgreement(n, Agreement.rawAgreement(r), Agreement.cohenKappa(r, JUDGE, REFERENCE));
  }

  static String choice(double pA) { return pA > 0.5 ? "A" : pA < 0.5 ? "B" : "tie"; }
}
