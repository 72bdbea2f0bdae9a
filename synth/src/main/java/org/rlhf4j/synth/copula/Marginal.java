package org.rlhf4j.synth.copula;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One variable of the copula and its marginal: a numeric column by its quantile function, a categorical column by
 * consecutive intervals of [0, 1] (one per category, as wide as its frequency), a numeric column's missingness as a
 * two-interval variable. {@link #inverse} maps a uniform back to a value (NaN / the category text).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = Marginal.Quantiles.class, name = "quantiles"),
    @JsonSubTypes.Type(value = Marginal.Categories.class, name = "categories"),
    @JsonSubTypes.Type(value = Marginal.Missingness.class, name = "missingness")})
sealed interface Marginal permits Marginal.Quantiles, Marginal.Categories, Marginal.Missingness {
  String column();

  /** {@code knots[k]} is the (k / (K-1))-quantile of the column's present values; linear in between. */
  record Quantiles(String column, double[] knots) implements Marginal {
    double inverse(double u) {
      double pos = Math.max(0, Math.min(1, u)) * (knots.length - 1);
      int i = (int) Math.floor(pos);
      if (i >= knots.length - 1) return knots[knots.length - 1];
      return knots[i] + (pos - i) * (knots[i + 1] - knots[i]);
    }
  }

  /** {@code cdf[k]} is the right end of category k's interval. */
  record Categories(String column, List<String> categories, double[] cdf) implements Marginal {
    String inverse(double u) {
      for (int k = 0; k < cdf.length; k++) if (u < cdf[k]) return categories.get(k);
      return categories.get(categories.size() - 1);
    }
  }

  /** The share of missing values; u below it means missing. */
  record Missingness(String column, double rate) implements Marginal {
    boolean missing(double u) { return u < rate; }
  }
}
