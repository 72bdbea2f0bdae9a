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
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.privacy.mia.LossThresholdAttack;
import org.rlhf4j.training.dpo.DpoPair;
import org.rlhf4j.training.rollout.ResponseBatch;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j mia}: loss-threshold membership inference against a reward model or a policy. */
@Command(name = "mia", mixinStandardHelpOptions = true,
    description = {"Membership inference against a reward model (--model: each pair's Bradley-Terry loss -log sigmoid(r_chosen - "
        + "r_rejected)) or a policy (--policy: the chosen response's negative log-likelihood -log pi(chosen | prompt); with "
        + "--reference also the shadow-free likelihood ratio: minus the pair's implicit DPO reward margin, "
        + "(log pi - log pi_ref)(rejected) - (log pi - log pi_ref)(chosen), the reference standing in for a model that never saw "
        + "the pair), for the pairs it was trained on (--members) and pairs it never saw (--non-members); the attack guesses "
        + "'member' below a loss threshold. Prints ROC AUC (0.5 = chance) and TPR at --fpr (default 1%)."})
public final class MiaCommand implements Callable<Integer> {
  @Option(names = "--model", description = "Reward model folder.") Path model;
  @Option(names = "--policy", description = "Policy folder (a causal LM, e.g. what sft or dpo saved) instead of --model.") Path policy;
  @Option(names = "--reference", description = "With --policy: the model it was trained from (adds the likelihood-ratio attack).") Path reference;
  @Option(names = "--members", required = true, description = "Preference pairs the model was trained on.") Path members;
  @Option(names = "--non-members", required = true, description = "Preference pairs from the same distribution it never saw.") Path nonMembers;
  @Option(names = "--fpr", defaultValue = "0.01", description = "False-positive rate for the TPR (default ${DEFAULT-VALUE}).") double fpr;
  @Option(names = "--json", description = "Print JSON.") boolean json;

  @Override public Integer call() throws Exception {
    if ((model == null) == (policy == null)) throw new UserError("give --model (a reward model) or --policy, one of them");
    if (reference != null && policy == null) throw new UserError("--reference goes with --policy");
    List<PreferencePair> in = DataFiles.readPreferences(members), out = DataFiles.readPreferences(nonMembers);
    Map<String, LossThresholdAttack.Result> attacks = new LinkedHashMap<>();
    try {
      if (model != null) {
        if (!Files.isRegularFile(model.resolve("config.json"))) throw new UserError("model folder " + model + " has no config.json");
        RewardModel rm = RewardModel.load(model).requiresGrad(false);
        attacks.put("loss", LossThresholdAttack.evaluate(losses(rm, in), losses(rm, out), fpr));
      } else {
        PolicyLosses a = PolicyLosses.of(policy, reference, in), b = PolicyLosses.of(policy, reference, out);
        attacks.put("loss", LossThresholdAttack.evaluate(a.nll(), b.nll(), fpr));
        if (reference != null) attacks.put("likelihood_ratio", LossThresholdAttack.evaluate(a.ratio(), b.ratio(), fpr));
      }
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    print(attacks);
    return 0;
  }

  /** The first attack's figures at the top level (as before), each attack's under its name. */
  private void print(Map<String, LossThresholdAttack.Result> attacks) throws Exception {
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>(figures(attacks.values().iterator().next()));
      attacks.forEach((name, r) -> o.put(name, figures(r)));
      System.out.println(new ObjectMapper().writeValueAsString(o));
      return;
    }
    attacks.forEach((name, r) -> System.out.printf(Locale.ROOT, "mia: %s attack AUC %.4f (se %.4f), TPR %.4f at FPR %.3f (%d members, %d non-members)%n",
        name.equals("loss") ? "loss-threshold" : "likelihood-ratio", r.auc(), r.aucStandardError(), r.tprAtFpr(), r.fpr(), r.members(), r.nonMembers()));
  }

  private static Map<String, Object> figures(LossThresholdAttack.Result r) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("auc", r.auc());
    if (Double.isFinite(r.aucStandardError())) o.put("auc_standard_error", r.aucStandardError());
    o.put("tpr_at_fpr", r.tprAtFpr());
    o.put("fpr", r.fpr());
    o.put("members", r.members());
    o.put("non_members", r.nonMembers());
    return o;
  }

  /**
   * Per-pair attack losses against a policy: the chosen response's negative log-likelihood, and (with a reference)
   * minus the implicit DPO reward margin, the pair's DPO loss up to a monotone map (so the same AUC for any β).
   */
  record PolicyLosses(double[] nll, double[] ratio) {
    static PolicyLosses of(Path policyDir, Path referenceDir, List<PreferencePair> pairs) {
      try (Tokenizer tok = Settings.tokenizer(policyDir)) {
        List<DpoPair> enc = DpoPair.encode(pairs, tok);
        List<long[]> prompts = new ArrayList<>(), responses = new ArrayList<>();
        for (DpoPair p : enc) {
          prompts.add(p.prompt());
          responses.add(p.chosen());
        }
        for (DpoPair p : enc) {
          prompts.add(p.prompt());
          responses.add(p.rejected());
        }
        double[] pi = logprobs(policyDir, prompts, responses, tok.padId());
        double[] ref = referenceDir == null ? null : logprobs(referenceDir, prompts, responses, tok.padId());
        int n = enc.size();
        double[] nll = new double[n], ratio = new double[n];
        for (int i = 0; i < n; i++) {
          nll[i] = -pi[i];
          if (ref != null) ratio[i] = (pi[n + i] - ref[n + i]) - (pi[i] - ref[i]);
        }
        return new PolicyLosses(nll, ratio);
      }
    }

    private static double[] logprobs(Path dir, List<long[]> prompts, List<long[]> responses, int padId) {
      CausalLM m = Settings.model(dir);
      m.requiresGrad(false);
      return ResponseBatch.sequenceLogprobs(m, prompts, responses, padId, 16);
    }
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
