package org.rlhf4j.synth.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

/**
 * Machine-learning utility: train a classifier of {@code target} on the synthetic table (TSTR) and on the real
 * training table (TRTR), test both on the real hold-out; accuracy, F1 and ROC AUC of the positive class (the rarer
 * class of the real training data; macro F1 and mean one-vs-rest AUC for more than two classes). Classifiers from
 * Tribuo: logistic regression (its SGD trainer, AdaGrad, 5 epochs) and gradient-boosted trees (XGBoost, 100 trees of
 * depth 6). Features: numeric columns standardised with the training table's mean and deviation (missing values at
 * the mean plus a missing indicator), categorical columns one-hot.
 *
 * <p>Two more figures for a binary target separate ranking from calibration: the share of hold-out rows predicted
 * positive at the classifier's own threshold, and F1 when as many hold-out rows as the training table's positive
 * share are called positive in score order ({@code f1AtBaseRate}). A synthetic table whose label depends more
 * weakly on the features gives probabilities nearer the base rate: few rows cross 0.5, F1 falls while AUC holds,
 * and {@code f1AtBaseRate} shows how much of the gap is that threshold alone.
 */
public final class Utility {
  private Utility() {}

  /**
   * @param predictedPositive share of hold-out rows predicted positive (binary targets; NaN otherwise)
   * @param f1AtBaseRate      F1 with the top {@code base rate} share of hold-out rows by positive score called positive
   */
  public record Scores(double accuracy, double f1, double auc, double predictedPositive, double f1AtBaseRate) {}

  /** Per classifier: TSTR and TRTR scores. */
  public record Result(String target, String positive, Map<String, Scores> tstr, Map<String, Scores> trtr) {}

  private static final LabelFactory LABELS = new LabelFactory();

  public static Result of(Table realTrain, Table synth, Table realTest, String target, long seed) {
    int t = realTrain.schema().indexOf(target);
    Map<String, Integer> counts = classCounts(realTrain, target);
    String positive = positive(realTrain, target);
    Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    Map<String, Scores> tstr = new LinkedHashMap<>(), trtr = new LinkedHashMap<>();
    for (String k : trainers(seed).keySet()) { // a fresh trainer per fit: Tribuo's trainers advance their own random stream
      tstr.put(k, score(trainers(seed).get(k), synth, realTest, t, positive, counts.size()));
      trtr.put(k, score(trainers(seed).get(k), realTrain, realTest, t, positive, counts.size()));
    }
    return new Result(target, positive, tstr, trtr);
  }

  /**
   * TSTR alone with one classifier ({@code xgboost} or {@code logistic_regression}): trained on {@code synth}, tested
   * on {@code realTest}, the positive class the rarer one of {@code realTrain} (what checkpoint selection scores).
   */
  public static Scores tstr(Table realTrain, Table synth, Table realTest, String target, String classifier, long seed) {
    int classes = classCounts(realTrain, target).size();
    Trainer<Label> trainer = trainers(seed).get(classifier);
    if (trainer == null) throw new IllegalArgumentException("classifier must be one of " + trainers(seed).keySet() + ", got '" + classifier + "'");
    Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    return score(trainer, synth, realTest, realTrain.schema().indexOf(target), positive(realTrain, target), classes);
  }

  /** The positive class of a target: its rarer class in {@code realTrain} (ties: the first in first-seen order). */
  public static String positive(Table realTrain, String target) {
    return classCounts(realTrain, target).entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static Map<String, Integer> classCounts(Table realTrain, String target) {
    int t = realTrain.schema().indexOf(target);
    if (!(realTrain.column(t) instanceof Column.Categorical rc)) {
      throw new IllegalArgumentException("--target column '" + target + "' must be categorical");
    }
    Map<String, Integer> counts = rc.counts();
    if (counts.size() < 2) throw new IllegalArgumentException("--target column '" + target + "' has a single class");
    return counts;
  }

  private static Map<String, Trainer<Label>> trainers(long seed) {
    Map<String, Trainer<Label>> m = new LinkedHashMap<>();
    m.put("logistic_regression", new LogisticRegressionTrainer());
    m.put("xgboost", new XGBoostClassificationTrainer(100, 0.3, 0.0, 6, 1.0, 1.0, 1.0, 1.0, 0.0,
        java.lang.Runtime.getRuntime().availableProcessors(), true, seed));
    return m;
  }

  private static Scores score(Trainer<Label> trainer, Table train, Table test, int target, String positive, int classes) {
    Features f = new Features(train, target);
    Model<Label> model = trainer.train(f.dataset(train, "train"));
    LabelEvaluation ev = LABELS.getEvaluator().evaluate(model, f.dataset(test, "test"));
    Label pos = new Label(positive);
    if (classes != 2) return new Scores(ev.accuracy(), ev.macroAveragedF1(), ev.averageAUCROC(false), Double.NaN, Double.NaN);
    List<org.tribuo.Prediction<Label>> preds = ev.getPredictions();
    double[] score = new double[preds.size()];
    boolean[] truth = new boolean[preds.size()];
    int predictedPos = 0;
    for (int i = 0; i < score.length; i++) {
      org.tribuo.Prediction<Label> p = preds.get(i);
      Label l = p.getOutputScores().get(positive);
      score[i] = l == null ? 0 : l.getScore();
      truth[i] = p.getExample().getOutput().getLabel().equals(positive);
      if (p.getOutput().getLabel().equals(positive)) predictedPos++;
    }
    String[] y = ((Column.Categorical) train.column(target)).values();
    double baseRate = java.util.Arrays.stream(y).filter(positive::equals).count() / (double) y.length;
    return new Scores(ev.accuracy(), ev.f1(pos), ev.AUCROC(pos), predictedPos / (double) score.length,
        f1AtRate(score, truth, baseRate));
  }

  /**
   * F1 when the {@code round(rate * n)} rows of highest {@code score} are called positive (ties broken by row order).
   */
  static double f1AtRate(double[] score, boolean[] truth, double rate) {
    int n = score.length, k = (int) Math.round(rate * n), tp = 0, positives = 0;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      if (truth[i]) positives++;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    for (int i = 0; i < k; i++) if (truth[order[i]]) tp++;
    return k + positives == 0 ? 0 : 2.0 * tp / (k + positives);
  }

  /** The feature encoding fitted on one training table (standardisation statistics, column order). */
  static final class Features {
    private final int target;
    private final double[] mean, sd;

    Features(Table train, int target) {
      this.target = target;
      int c = train.schema().size();
      mean = new double[c];
      sd = new double[c];
      for (int j = 0; j < c; j++) {
        if (train.column(j) instanceof Column.Numeric n) {
          double[] p = Fidelity.present(n.values());
          double m = 0, v = 0;
          for (double x : p) m += x;
          m /= Math.max(1, p.length);
          for (double x : p) v += (x - m) * (x - m);
          mean[j] = m;
          sd[j] = p.length > 1 && v > 0 ? Math.sqrt(v / (p.length - 1)) : 1;
        }
      }
    }

    Dataset<Label> dataset(Table t, String name) {
      MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance(name, LABELS), LABELS);
      String label[] = ((Column.Categorical) t.column(target)).values();
      for (int r = 0; r < t.rows(); r++) {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int j = 0; j < t.schema().size(); j++) {
          if (j == target) continue;
          Column c = t.column(j);
          if (c instanceof Column.Numeric n) {
            double v = n.values()[r];
            names.add(c.name());
            values.add(Double.isNaN(v) ? 0 : (v - mean[j]) / sd[j]);
            if (Double.isNaN(v)) {
              names.add(c.name() + "@missing");
              values.add(1.0);
            }
          } else {
            names.add(c.name() + "=" + ((Column.Categorical) c).values()[r]);
            values.add(1.0);
          }
        }
        d.add(new ArrayExample<>(new Label(label[r]), names.toArray(String[]::new), values.stream().mapToDouble(Double::doubleValue).toArray()));
      }
      return d;
    }
  }
}
