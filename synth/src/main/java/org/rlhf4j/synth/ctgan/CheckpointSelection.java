package org.rlhf4j.synth.ctgan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.rlhf4j.common.FileOps;
import org.rlhf4j.common.Reporter;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.quality.Utility;
import org.rlhf4j.synth.table.Column;
import org.rlhf4j.synth.table.Table;

/**
 * Checkpoint selection on a validation split of the training table: every {@code every} epochs (and at the last) the
 * live generator draws as many rows as the fitted part holds, a classifier of {@code target} is trained on them and
 * tested on the validation rows (TSTR), and the generator with the best score so far is saved to {@code OUT/best/}
 * (a complete model folder for {@code synth sample}). Each evaluation is one line of {@code OUT/selection.jsonl}.
 * The validation rows are never trained on, and no other table is looked at.
 *
 * <p>Sampling changes no training state (the generator has no running statistics, and every epoch reseeds its own
 * random streams), so a run with selection trains exactly the weights a run without it does. The trainer calls
 * this before it checkpoints an epoch: a resumed run replays the epochs after its checkpoint, and their stale lines
 * are dropped and evaluated again (with the same seeds, to the same figures).
 */
public final class CheckpointSelection implements CtganTrainer.Listener {
  public static final String LOG = "selection.jsonl", BEST = "best";

  /** What a checkpoint is scored by: the TSTR F1 or ROC AUC of the positive (rarer) class on the validation rows. */
  public enum Score { F1, AUC }

  /**
   * @param target     the categorical column the classifier predicts
   * @param every      epochs between evaluations
   * @param score      what is maximised
   * @param classifier {@code xgboost} or {@code logistic_regression} (Tribuo, as in the quality report)
   * @param conditions how the evaluation's rows are drawn (as {@code synth sample} will draw them)
   * @param seed       the sampling and classifier seed
   */
  public record Config(String target, int every, Score score, String classifier, Ctgan.Conditions conditions, long seed) {
    public Config {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(score, "score");
      Objects.requireNonNull(conditions, "conditions");
      if (every < 1) throw new IllegalArgumentException("selection every must be >= 1 epoch, got " + every);
      if (!classifier.equals("xgboost") && !classifier.equals("logistic_regression")) {
        throw new IllegalArgumentException("selection classifier must be xgboost or logistic_regression, got '" + classifier + "'");
      }
    }
  }

  /** A table split into the rows a synthesizer fits and the validation rows it never sees. */
  public record Split(Table fit, Table validation) {
    public Split {
      Objects.requireNonNull(fit, "fit");
      Objects.requireNonNull(validation, "validation");
    }

    /** {@code round(fraction * rows)} rows, chosen by a permutation seeded with {@code seed}, are the validation part. */
    public static Split of(Table t, double fraction, long seed) {
      if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
      int n = t.rows(), v = (int) Math.round(fraction * n);
      if (v < 1 || v >= n) throw new IllegalArgumentException("validation fraction " + fraction + " of " + n + " rows leaves an empty part");
      int[] perm = CtganTrainer.permutation(n, new Random(seed ^ 0x5E1EC7L));
      int[] val = Arrays.copyOfRange(perm, 0, v), fit = Arrays.copyOfRange(perm, v, n);
      Arrays.sort(val);
      Arrays.sort(fit);
      return new Split(t.select(fit), t.select(val));
    }
  }

  private final Config config;
  private final Split split;
  private final Path out;
  private final String positive;
  private final List<JsonNode> lines = new ArrayList<>();

  /** Selection for a run in {@code out}; lines an earlier run of this folder wrote are read back. */
  public CheckpointSelection(Config config, Split split, Path out) throws IOException {
    this.config = Objects.requireNonNull(config, "config");
    this.split = Objects.requireNonNull(split, "split");
    this.out = Objects.requireNonNull(out, "out");
    positive = Utility.positive(split.fit(), config.target());
    Path log = out.resolve(LOG);
    if (Files.isRegularFile(log)) {
      for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) if (!l.isBlank()) lines.add(SynthJson.MAPPER.readTree(l));
    }
  }

  @Override public void epoch(int epoch, int epochs, Map<String, Object> metrics, Ctgan model) throws IOException {
    if (epoch % config.every() != 0 && epoch != epochs) return;
    lines.removeIf(l -> l.path("epoch").asInt() >= epoch); // left by a run that stopped before checkpointing them
    long t0 = System.nanoTime();
    Table synth = model.sample(split.fit().rows(), config.seed(), config.conditions());
    Utility.Scores s = Utility.tstr(split.fit(), synth, split.validation(), config.target(), config.classifier(), config.seed());
    double value = config.score() == Score.F1 ? s.f1() : s.auc();
    double best = lines.stream().mapToDouble(l -> l.path("score").asDouble()).max().orElse(Double.NEGATIVE_INFINITY);
    boolean better = value > best;
    if (better) saveBest(model);
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("epoch", epoch);
    line.put("score", value);
    line.put("f1", s.f1());
    line.put("auc", s.auc());
    line.put("predicted_positive", s.predictedPositive());
    line.put("synthetic_positive_share", share(synth));
    line.put("best", better);
    line.put("seconds", (System.nanoTime() - t0) / 1e9);
    lines.add(SynthJson.MAPPER.valueToTree(line));
    writeLog();
    Reporter.get().info("ctgan: epoch %d validation %s %.4f (AUC %.4f, synthetic %s share %.3f)%s", epoch,
        config.score().name().toLowerCase(Locale.ROOT), value, s.auc(), positive, share(synth), better ? " - best so far" : "");
  }

  public Split split() { return split; }

  /** The selected epoch and score so far, or null before the first evaluation. */
  public JsonNode best() {
    return lines.stream().max(Comparator.comparingDouble(l -> l.path("score").asDouble())).orElse(null);
  }

  private double share(Table synth) {
    String[] y = ((Column.Categorical) synth.column(config.target())).values();
    return Arrays.stream(y).filter(positive::equals).count() / (double) y.length;
  }

  private void saveBest(Ctgan model) throws IOException {
    Path tmp = out.resolve("." + BEST + ".tmp"), target = out.resolve(BEST), old = out.resolve("." + BEST + ".old");
    FileOps.deleteTree(tmp);
    model.save(tmp);
    FileOps.deleteTree(old);
    if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    FileOps.deleteTree(old);
  }

  private void writeLog() throws IOException {
    StringBuilder b = new StringBuilder();
    var w = SynthJson.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);
    for (JsonNode l : lines) b.append(w.writeValueAsString(l)).append('\n');
    FileOps.writeString(out.resolve(LOG), b.toString());
  }
}
