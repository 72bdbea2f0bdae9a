/**
 * RLHF losses as TRL computes them: each a static function of libtorch tensors plus a config
 * record; it returns the differentiable loss tensor and a metrics record of plain doubles
 * (read from detached tensors). Numbers and conventions are pinned by
 * {@code ../shared/fixtures/losses.json} (float64 within 1e-6, float32 within 1e-5).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Dtypes: f64 inputs compute in f64; f32, bf16 and f16 compute in f32 (logits are upcast
 *       before log-softmax). Masks may be bool, integer or float: 1 counts, 0 is ignored.</li>
 *   <li>{@link org.rlhf4j.training.loss.Masked#mean masked mean} = sum(x*m)/sum(m) over the whole
 *       batch (token-level), never a mean of per-row means unless stated.</li>
 *   <li>Shapes: B batch, T time, V vocabulary, P prompts, K samples per prompt.</li>
 * </ul>
 *
 * <h2>Log-probs ({@link org.rlhf4j.training.loss.LogProbs})</h2>
 * gather: log_softmax(logits)[labels], (B,T,V),(B,T) to (B,T); shifted: logits[:, :-1] scored
 * against ids[:, 1:]; sequence: sum_t logp*m; sequenceMean: that sum / sum_t m; entropy:
 * H = logsumexp(z) - sum softmax(z)*z.
 *
 * <h2>SFT ({@link org.rlhf4j.training.loss.SftLoss})</h2>
 * nll[b,t] = -log_softmax(logits[b,t])[ids[b,t+1]] for t = 0..T-2, counted iff
 * lossMask[b,t+1] = 1 (prompt and padding 0; HF labels = -100 is the same mask). loss =
 * sum(nll*m)/sum(m) over the batch (TOKEN_MEAN, default) or the mean of row means
 * (SEQUENCE_MEAN). Token accuracy = masked mean of argmax(logits[t]) == ids[t+1].
 *
 * <h2>Reward model ({@link org.rlhf4j.training.loss.RewardLoss})</h2>
 * Bradley-Terry: d = r_c - r_r - margin; loss = mean(-p log sigma(d) - (1-p) log sigma(-d)) with
 * p = 1 - labelSmoothing or a per-pair soft target (p = 1: -log sigma(d), TRL RewardTrainer);
 * plus centerRewardsCoef * mean((r_c + r_r)^2). Accuracy = mean[r_c > r_r] (strict, no margin);
 * reward std is the unbiased std over all 2B rewards.
 *
 * <h2>DPO family ({@link org.rlhf4j.training.loss.DpoLoss})</h2>
 * Inputs: summed response log-probs of policy and reference and, optionally, response lengths
 * ({@code DpoLoss.Inputs}); h = (pi_c - pi_r) - (ref_c - ref_r). Each variant states
 * needsReference() and lengthNormalised(); with lengths, a length-normalised variant reads
 * sum/length log-probs (without lengths the log-probs are used as given) and the chosen NLL is
 * -sum(pi_c)/sum(len_c). Sigmoid: -log sigma(beta h) (beta default 0.1); Conservative (cDPO):
 * -(1-eps) log sigma(beta h) - eps log sigma(-beta h); Ipo: (h - 1/(2 beta))^2, length-normalised
 * as TRL; Hinge (SLiC): relu(1 - beta h). loss = batch mean. Implicit rewards beta*(pi - ref) in
 * the variant's view (ref = 0 without reference); accuracy = mean[chosen reward > rejected
 * reward] (strict); margin = mean(chosen - rejected reward).
 *
 * <h2>PPO ({@link org.rlhf4j.training.loss.KlEstimator}, {@link org.rlhf4j.training.loss.PpoRewards},
 * {@link org.rlhf4j.training.loss.Gae}, {@link org.rlhf4j.training.loss.PpoLoss},
 * {@link org.rlhf4j.training.loss.KlController})</h2>
 * All per-token arrays are (B, T) over response tokens, right-padded, mask 0 on padding.
 * <ul>
 *   <li>KL per token (samples from p = rollout policy, q = reference): k1 = log p - log q;
 *       k2 = 0.5 (log p - log q)^2; k3 = (r - 1) - log r with r = q/p; 0 on padding.</li>
 *   <li>Rewards: -klCoef * kl at each response token, plus the score added at the last real
 *       token (index sum(mask)-1; TRL puts it one later, its padding_mask_p1 quirk).</li>
 *   <li>GAE: delta_t = r_t + gamma V_{t+1} - V_t (V = 0 past the last real token),
 *       A_t = delta_t + gamma lam A_{t+1}, returns = A + V; 0 on padding.</li>
 *   <li>Whitening ({@link org.rlhf4j.training.loss.Masked#whiten}): (A - mean)/sqrt(var + 1e-8)
 *       over the real tokens of the whole batch, var UNBIASED (N-1) as TRL's masked_whiten (a
 *       biased option exists); then 0 on padding.</li>
 *   <li>Policy: ratio = exp(new - old); loss = masked_mean(max(-A ratio, -A clamp(ratio, 1-eps,
 *       1+eps))); clipfrac = masked_mean[clipped > unclipped] (strict); approxKl =
 *       0.5 masked_mean((new - old)^2) (over real tokens); approxKlK3 = masked_mean((r-1) - log r).</li>
 *   <li>Value: v_clip = clamp(v, v_old - c, v_old + c); loss = 0.5 masked_mean(max((v - R)^2,
 *       (v_clip - R)^2)); clipfrac = masked_mean[(v_clip - R)^2 > (v - R)^2]. Total =
 *       policy + vfCoef * value.</li>
 *   <li>KL controllers: Fixed(value); Adaptive(value, target, horizon) (Ziegler et al.):
 *       e = clip(kl/target - 1, -0.2, 0.2), value *= 1 + e * nSteps / horizon.</li>
 * </ul>
 * Entropy mean = masked_mean(LogProbs.entropy(logits), mask).
 *
 * <h2>RLOO and GRPO ({@link org.rlhf4j.training.loss.GroupAdvantages})</h2>
 * Rewards (P prompts, K samples). RLOO: A_ij = r_ij - (sum_k r_ik - r_ij)/(K-1). GRPO:
 * A_ij = (r_ij - mean_i)/(std_i + 1e-4) with std_i the UNBIASED (K-1) row std (torch.std
 * default, TRL); equal rewards give 0. scaleByStd = false gives r_ij - mean_i (Dr. GRPO).
 * zeroStd/fracZeroStd: groups whose unbiased std is within 1e-8 of 0 (TRL frac_reward_zero_std).
 * {@link org.rlhf4j.training.loss.OverlongPenalty} (DAPO): 0 up to L_max - L_cache tokens, then
 * ((L_max - L_cache) - len)/L_cache, -1 beyond L_max.
 *
 * <h2>GRPO policy loss family ({@link org.rlhf4j.training.loss.GrpoLoss}; also for RLOO advantages)</h2>
 * Importance weight w = exp(logp - logp_old) per token, or per sequence (GSPO,
 * ImportanceLevel.SEQUENCE) w_b = exp(sum_t (logp - logp_old) m / sum_t m); old = logp.detach()
 * for one update per batch. Per token -min(w A_b, clamp(w, 1-epsLow, 1+epsHigh) A_b) + beta k3,
 * k3 = exp(ref - logp) - (ref - logp) - 1. Aggregation: SequenceMean ("grpo", mean of row token
 * means), TokenMean ("bnpo", this micro-batch's tokens), GlobalTokenMean ("dapo", masked sum / the
 * optimizer step's tokens, passed per micro-batch as batchTokens), FixedLength(L) ("dr_grpo",
 * masked sum / (B L)). Clip ratios (TRL clip_ratio/low_mean, high_mean, region_mean) = mean over
 * counted tokens (counted sequences for GSPO) of (w &lt; 1-epsLow and A &lt; 0), (w &gt;
 * 1+epsHigh and A &gt; 0), either; low_min/high_max over per-sequence fractions.
 *
 * <p>Sealed variants carry their behaviour (each DPO variant its per-example loss and what it
 * needs, each GRPO aggregation its reduction): callers never ask which variant they hold.
 * libtorch note: {@code Tensor.scalar_type()} returns fresh enum instances
 * under JavaCPP, so dtype checks compare {@code .value}, never {@code ==}.
 */
package org.rlhf4j.training.loss;
