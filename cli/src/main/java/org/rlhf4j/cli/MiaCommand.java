package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlhf4j.data.PreferencePair;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.data.format.DataFiles;
import org.rlhf4j.privacy.mia.LossThresholdAttack;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j mia}: loss-threshold membership inference against a reward model. */
@Command(name = "mia", mixinStandardHelpOptions = true,
    description = {"Membership inference against a reward model: each pair's Bradley-Terry loss -log sigmoid(r_chosen - r_rejected) "
        + "under --model, for the pairs it was trained on (--members) and pairs it never saw (--non-members); the attack guesses "
        + "'member' below a loss threshold. Prints ROC AUC (0.5 = chance) and TPR at --fpr (default 1%)."})
public final class MiaCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Reward model folder.") Path model;
  @Option(names = "--members", required = true, description = "Preference pairs the model was trained on.") Path members;
  @Option(names = "--non-members", required = true, description = "Preference pairs from the same distribution it never saw.") Path nonMembers;
  @Option(names = "--fpr", defaultValue = "0.01", description = "False-positive rate for the TPR (default ${DEFAULT-VALUE}).") double fpr;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override public Integer call() throws Exception {
    if (!Files.isRegularFile(model.resolve("config.json"))) throw new UserError("model folder " + model + " has no config.json");
    RewardModel rm = RewardModel.load(model).requiresGrad(false);
    LossThresholdAttack.Result r;
    try {
      r = LossThresholdAttack.evaluate(losses(rm, DataFiles.readPreferences(members)), losses(rm, DataFiles.readPreferences(nonMembers)), fpr);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("auc", r.auc());
      o.put("tpr_at_fpr", r.tprAtFpr());
      o.put("fpr", r.fpr());
      o.put("members", r.members());
      o.put("non_members", r.nonMembers());
      System.out.println(new ObjectMapper().writeValueAsString(o));
    } else {
      System.out.printf(Locale.ROOT, "mia: loss-threshold attack AUC %.4f, TPR %.4f at FPR %.3f (%d members, %d non-members)%n",
          r.auc(), r.tprAtFpr(), r.fpr(), r.members(), r.nonMembers());
    }
    return 0;
  }

  /** Per-pair Bradley-Terry loss, softplus(-(r_c - r_r)). */
  static double[] losses(RewardModel rm, List<PreferencePair> pairs) {
    List<PromptCompletion> items = new ArrayList<>(2 * pairs.size());
    for (PreferencePair p : pairs) {
      items.add(new PromptCompletion(p.prompt(), p.chosen()));
      items.add(new PromptCompletion(p.prompt(), p.rejected()));
    }
    double[] s = rm.score(items);
    double[] out = new double[pairs.size()];
    for (int i = 0; i < out.length; i++) {
      double m = s[2 * i] - s[2 * i + 1];
      out[i] = m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    }
    return out;
  }
}
