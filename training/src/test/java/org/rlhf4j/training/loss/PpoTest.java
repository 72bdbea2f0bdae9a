package org.rlhf4j.training.loss;

import static org.rlhf4j.training.loss.Fixture.assertClose;
import static org.rlhf4j.training.loss.Fixture.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.training.loss.Fixture.Precision;

/** Every quantity of the fixture's "ppo" section, in f64 (1e-6) and f32 (1e-5). */
class PpoTest {

  private static final class Case {
    final JsonNode in, exp, params;
    final Tensor mask, old, ref, neu, oldV, newV, scores;

    Case(Precision p) {
      JsonNode ppo = Fixture.section("ppo");
      in = ppo.get("inputs");
      exp = ppo.get("expected");
      params = ppo.get("params");
      mask = tensor(in.get("response_mask"), p.type); // (2, 6)
      old = tensor(in.get("old_logprobs"), p.type); // (2, 6)
      ref = tensor(in.get("ref_logprobs"), p.type); // (2, 6)
      neu = tensor(in.get("new_logprobs"), p.type); // (2, 6)
      oldV = tensor(in.get("old_values"), p.type); // (2, 6)
      newV = tensor(in.get("new_values"), p.type); // (2, 6)
      scores = tensor(in.get("scores"), p.type); // (2)
    }

    double param(String name) { return params.get(name).asDouble(); }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void klEstimatorsAndRewards(Precision p) {
    try (var s = NativeScope.open()) {
      Case c = new Case(p);
      Tensor k1 = KlEstimator.K1.perToken(c.old, c.ref, c.mask); // (2, 6)
      Tensor k3 = KlEstimator.K3.perToken(c.old, c.ref, c.mask); // (2, 6)
      assertClose("kl_k1", k1, c.exp.get("kl_k1"), p.tol);
      assertClose("kl_k2", KlEstimator.K2.perToken(c.old, c.ref, c.mask), c.exp.get("kl_k2"), p.tol);
      assertClose("kl_k3", k3, c.exp.get("kl_k3"), p.tol);
      assertClose("kl_k1_mean", Masked.mean(k1, c.mask), c.exp.get("kl_k1_mean"), p.tol);
      assertClose("kl_k3_mean", Masked.mean(k3, c.mask), c.exp.get("kl_k3_mean"), p.tol);
      double klCoef = c.param("kl_coef");
      assertClose("rewards_k1", PpoRewards.perToken(c.scores, k1, c.mask, klCoef), c.exp.get("rewards_k1"), p.tol);
      assertClose("rewards_k3", PpoRewards.perToken(c.scores, k3, c.mask, klCoef), c.exp.get("rewards_k3"), p.tol);
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void gaeAndWhitening(Precision p) {
    try (var s = NativeScope.open()) {
      Case c = new Case(p);
      Tensor rewards = PpoRewards.perToken(c.scores, KlEstimator.K1.perToken(c.old, c.ref, c.mask), c.mask,
          c.param("kl_coef")); // (2, 6)
      double lam = c.param("lam");
      var g1 = Gae.compute(new Gae.Config(1.0, lam), rewards, c.oldV, c.mask);
      assertClose("advantages_gamma1", g1.advantages(), c.exp.get("advantages_gamma1"), p.tol);
      assertClose("returns_gamma1", g1.returns(), c.exp.get("returns_gamma1"), p.tol);
      var g99 = Gae.compute(new Gae.Config(0.99, lam), rewards, c.oldV, c.mask);
      assertClose("advantages_gamma0.99", g99.advantages(), c.exp.get("advantages_gamma0.99"), p.tol);
      assertClose("returns_gamma0.99", g99.returns(), c.exp.get("returns_gamma0.99"), p.tol);
      double eps = c.param("whiten_eps");
      assertClose("whitened", Masked.whiten(g1.advantages(), c.mask, true, eps, true),
          c.exp.get("whitened_advantages"), p.tol);
      assertClose("whitened biased", Masked.whiten(g1.advantages(), c.mask, false, eps, true),
          c.exp.get("whitened_advantages_biased_var"), p.tol);
    }
  }

  @ParameterizedTest
  @EnumSource(Precision.class)
  void policyValueAndEntropy(Precision p) {
    try (var s = NativeScope.open()) {
      Case c = new Case(p);
      Tensor rewards = PpoRewards.perToken(c.scores, KlEstimator.K1.perToken(c.old, c.ref, c.mask), c.mask,
          c.param("kl_coef")); // (2, 6)
      var gae = Gae.compute(new Gae.Config(1.0, c.param("lam")), rewards, c.oldV, c.mask);
      Tensor adv = Masked.whiten(gae.advantages(), c.mask, true, c.param("whiten_eps"), true); // (2, 6)
      var cfg = new PpoLoss.Config(c.param("cliprange"), c.param("cliprange_value"), 0.1);
      var pol = PpoLoss.policy(cfg, c.neu, c.old, adv, c.mask);
      assertClose("ratio", pol.ratio(), c.exp.get("ratio"), p.tol);
      assertClose("policy_loss", pol.loss(), c.exp.get("policy_loss"), p.tol);
      assertClose("policy_clipfrac", pol.metrics().clipfrac(), c.exp.get("policy_clipfrac").asDouble(), p.tol);
      assertClose("approx_kl", pol.metrics().approxKl(), c.exp.get("approx_kl").asDouble(), p.tol);
      assertClose("approx_kl_k3", pol.metrics().approxKlK3(), c.exp.get("approx_kl_k3").asDouble(), p.tol);
      var val = PpoLoss.value(cfg, c.newV, c.oldV, gae.returns(), c.mask);
      assertClose("value_loss", val.loss(), c.exp.get("value_loss"), p.tol);
      assertClose("value_clipfrac", val.metrics().clipfrac(), c.exp.get("value_clipfrac").asDouble(), p.tol);
      double total = c.exp.get("policy_loss").asDouble() + 0.1 * c.exp.get("value_loss").asDouble();
      assertClose("total", PpoLoss.total(cfg, pol, val).item_double(), total, p.tol);

      Tensor h = LogProbs.entropy(tensor(c.in.get("entropy_logits"), p.type)); // (2, 6)
      assertClose("entropy", h, c.exp.get("entropy"), p.tol);
      assertClose("entropy_mean", Masked.mean(h, c.mask), c.exp.get("entropy_mean"), p.tol);
    }
  }
}
