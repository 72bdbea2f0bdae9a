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
 * Inputs: summed response log-probs of policy and reference; h = (pi_c - pi_r) - (ref_c - ref_r).
 * Sigmoid: -log sigma(beta h) (beta default 0.1); Conservative (cDPO): -(1-eps) log sigma(beta h)
 * - eps log sigma(-beta h); Ipo: (h - 1/(2 beta))^2 (TRL length-normalises: pass
 * {@code LogProbs.sequenceMean}); Hinge (SLiC): relu(1 - beta h). loss = batch mean. Implicit
 * rewards beta*(pi - ref); accuracy = mean[chosen reward > rejected reward] (strict); margin =
 * mean(chosen - rejected reward).
 */
package org.rlhf4j.training.loss;
