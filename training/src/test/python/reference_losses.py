#!/usr/bin/env python3
"""Independent float64 reference numbers for the preference and GRPO-family losses.

Written from the papers' definitions (and TRL's documented conventions), not from TRL's code,
with numpy only. Run by hand: `python3 training/src/test/python/reference_losses.py`; the printed
numbers are pasted into DpoVariantsTest and GrpoLossFamilyTest (tolerance 1e-6 in float64).
"""
import numpy as np

np.set_printoptions(precision=12, floatmode="fixed", suppress=False)


def logsig(x):
    # log sigma(x) = -log(1 + e^-x), computed stably
    return -np.logaddexp(0.0, -x)


def sig(x):
    return np.exp(logsig(x))


def show(name, per_example):
    per_example = np.asarray(per_example, dtype=np.float64)
    print(f"{name}: loss {per_example.mean():.12f} per_example {[float(f'{v:.12f}') for v in per_example]}")


# ---- preference pairs (B = 4): summed response log-probs and lengths ---------------------------
pc = np.array([-12.5, -30.25, -8.0, -45.5])   # policy chosen
pr = np.array([-14.0, -29.5, -9.75, -40.0])   # policy rejected
rc = np.array([-13.0, -31.0, -8.5, -44.0])    # reference chosen
rr = np.array([-13.5, -30.0, -9.0, -41.5])    # reference rejected
lc = np.array([5.0, 12.0, 4.0, 20.0])         # chosen lengths
lr = np.array([6.0, 11.0, 5.0, 17.0])         # rejected lengths
beta = 0.1

cl = pc - rc            # chosen log-ratio log pi/pi_ref (y_w)
rl = pr - rr            # rejected log-ratio (y_l)
h = cl - rl             # DPO's implicit reward gap / beta

# Robust DPO (Chowdhury et al. 2024, eq. for the unbiased loss): [(1-e) l(w,l) - e l(l,w)] / (1-2e),
# l(w,l) = -log sigma(beta h)
eps = 0.1
show("robust eps=0.1", ((1 - eps) * -logsig(beta * h) - eps * -logsig(-beta * h)) / (1 - 2 * eps))

# BCO pair (Jung et al. 2024): BCE with chosen -> 1, rejected -> 0 on rewards r = beta*log-ratio,
# shifted by delta = mean of the rewards (one batch: the batch mean of all 2B rewards)
r_w, r_l = beta * cl, beta * rl
delta = np.concatenate([r_w, r_l]).mean()
show("bco_pair", -logsig(r_w - delta) - logsig(-(r_l - delta)))
print(f"bco_pair delta {delta:.12f}")
# second batch with the running mean over both batches (the first batch above, then these)
r_w2, r_l2 = beta * np.array([0.5, -1.0, 2.0, 0.0]), beta * np.array([-0.5, 1.5, -2.0, 1.0])
delta2 = np.concatenate([r_w, r_l, r_w2, r_l2]).mean()
show("bco_pair second batch, running delta", -logsig(r_w2 - delta2) - logsig(-(r_l2 - delta2)))
print(f"bco_pair running delta {delta2:.12f}")

# APO (D'Oosterlinck et al. 2024) eq. 7 / 8, shifted by +1 so the loss is >= 0 (TRL's form)
show("apo_zero", (1 - sig(beta * cl)) + sig(beta * rl))
show("apo_down", sig(beta * cl) + (1 - sig(beta * (cl - rl))))

# NCA pair (Chen et al. 2024): -log sigma(r_w) - 1/2 log sigma(-r_w) - 1/2 log sigma(-r_l)
show("nca_pair", -logsig(beta * cl) - 0.5 * logsig(-beta * cl) - 0.5 * logsig(-beta * rl))

# SPPO hard labels (Wu et al. 2024): (log-ratio_w - 1/(2 beta))^2 + (log-ratio_l + 1/(2 beta))^2
show("sppo_hard", (cl - 0.5 / beta) ** 2 + (rl + 0.5 / beta) ** 2)

# EXO pair (Ji et al. 2024): KL(p_f || p_rh) over {w, l}, p_f = softmax(beta*log-ratios) = (sigma(bh), sigma(-bh)),
# p_rh = (1 - e, e)
e = 1e-3
pw, pl = sig(beta * h), sig(-beta * h)
show("exo_pair eps=1e-3", pw * (np.log(pw) - np.log(1 - e)) + pl * (np.log(pl) - np.log(e)))

# AOT (Melnyk et al. 2024): sigmoid loss on sorted quantiles. Paired: sort(pi_w - pi_l) vs sort(ref_w - ref_l);
# unpaired (TRL aot_pair / aot_unpaired): sort(log-ratio_w) vs sort(log-ratio_l). label smoothing 0.
d_aot = np.sort(pc - pr) - np.sort(rc - rr)
show("aot", -logsig(beta * d_aot))
d_aotp = np.sort(cl) - np.sort(rl)
show("aot_pair", -logsig(beta * d_aotp))
# a batch where sorting changes the pairing (beta 0.5, label smoothing 0.1)
apc, apr = np.array([-5.0, -7.0, -6.0, -4.0]), np.array([-6.0, -5.0, -8.0, -9.0])
arc, arr = np.array([-4.5, -7.5, -5.0, -6.0]), np.array([-7.0, -5.5, -6.0, -8.0])
d1 = np.sort(apc - apr) - np.sort(arc - arr)
show("aot beta=0.5 ls=0.1 (sorted)", -0.9 * logsig(0.5 * d1) - 0.1 * logsig(-0.5 * d1))
d2 = np.sort(apc - arc) - np.sort(apr - arr)
show("aot_pair beta=0.5 ls=0.1 (sorted)", -0.9 * logsig(0.5 * d2) - 0.1 * logsig(-0.5 * d2))
hh = (apc - apr) - (arc - arr)
show("  (unsorted sigmoid on the same batch, for contrast)", -0.9 * logsig(0.5 * hh) - 0.1 * logsig(-0.5 * hh))

# SimPO (Meng et al. 2024): -log sigma(beta (pi_w/|w| - pi_l/|l|) - gamma), no reference
gamma = 0.5
show("simpo beta=0.1 gamma=0.5", -logsig(beta * (pc / lc - pr / lr) - gamma))
b2, g2 = 2.0, 1.0
show("simpo beta=2 gamma=1", -logsig(b2 * (pc / lc - pr / lr) - g2))

# ORPO (Hong et al. 2024): L = NLL(chosen) + lambda * L_OR, L_OR = -log sigma(log odds_w / odds_l),
# odds = P / (1 - P), P = exp(mean token log-prob); NLL = token mean over the batch's chosen tokens
lam = 0.1
aw, al = pc / lc, pr / lr
log_odds = (aw - np.log1p(-np.exp(aw))) - (al - np.log1p(-np.exp(al)))
nll = -pc.sum() / lc.sum()
show("orpo lambda=0.1", nll - lam * logsig(log_odds))
print(f"orpo nll_loss {nll:.12f} log_odds_chosen {log_odds.mean():.12f} log_odds_ratio {logsig(log_odds).mean():.12f}")
# a case where the mean log-prob is close to 0 (P near 1): log(1 - P) needs the expm1 form
aw3, al3 = np.array([-1e-4, -0.5]), np.array([-2.0, -0.01])
lo3 = (aw3 - np.log(-np.expm1(aw3))) - (al3 - np.log(-np.expm1(al3)))
print(f"orpo near-zero log_odds {[float(f'{v:.12f}') for v in lo3]}")

# mixture (TRL loss_type list with loss_weights): 0.8 sigmoid + 0.2 bco_pair + 1.0 sft
mix = 0.8 * -logsig(beta * h) + 0.2 * (-logsig(r_w - delta) - logsig(-(r_l - delta))) + 1.0 * nll
show("mixture 0.8 sigmoid + 0.2 bco_pair + 1.0 sft", mix)


# ---- GRPO family: B = 3 completions, T = 4, one update after a policy step ---------------------
def grpo_case():
    logp = np.array([[-1.0, -0.5, -2.0, 0.0], [-0.3, -1.2, 0.0, 0.0], [-0.7, -0.9, -1.1, -0.2]])
    old = np.array([[-1.2, -0.4, -1.5, 0.0], [-0.1, -1.0, 0.0, 0.0], [-0.7, -1.3, -1.0, -0.6]])
    ref = np.array([[-1.1, -0.6, -1.8, 0.0], [-0.2, -1.1, 0.0, 0.0], [-0.8, -1.0, -1.0, -0.4]])
    mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=np.float64)
    adv = np.array([1.0, -0.5, 0.8])
    return logp, old, ref, mask, adv


def k3(logp, ref):
    x = ref - logp
    return np.exp(x) - x - 1


def grpo_per_token(logp, old, ref, mask, adv, e_low, e_high, beta, sequence):
    if sequence:   # GSPO: one ratio per sequence, exp(mean over its tokens of log ratio)
        lw = ((logp - old) * mask).sum(1) / np.maximum(mask.sum(1), 1)
        ratio = np.exp(lw)[:, None] * np.ones_like(logp)
    else:
        ratio = np.exp((logp - old) * mask)
    a = adv[:, None]
    clipped = np.clip(ratio, 1 - e_low, 1 + e_high)
    loss = -np.minimum(ratio * a, clipped * a) + beta * k3(logp, ref)
    low = (ratio < 1 - e_low) & (a < 0)
    high = (ratio > 1 + e_high) & (a > 0)
    return loss * mask, ratio, low, high


def aggregations(name, masked, mask, L):
    seq = (masked.sum(1) / np.maximum(mask.sum(1), 1)).mean()
    tok = masked.sum() / mask.sum()
    dr = masked.sum() / (masked.shape[0] * L)
    print(f"{name}: grpo {seq:.12f} bnpo/dapo {tok:.12f} dr_grpo(L={L}) {dr:.12f}")


logp, old, ref, mask, adv = grpo_case()
m, ratio, low, high = grpo_per_token(logp, old, ref, mask, adv, 0.2, 0.28, 0.04, False)
aggregations("token ratio eps 0.2/0.28 beta 0.04", m, mask, 6)
n = mask.sum()
print(f"  clip low {(low * mask).sum() / n:.12f} high {(high * mask).sum() / n:.12f} "
      f"region {((low | high) * mask).sum() / n:.12f} kl {(k3(logp, ref) * mask).sum() / n:.12f}")
print(f"  per-row low {(low * mask).sum(1) / mask.sum(1)} high {(high * mask).sum(1) / mask.sum(1)}")
m, ratio, low, high = grpo_per_token(logp, old, ref, mask, adv, 3e-4, 4e-4, 0.0, True)
aggregations("GSPO sequence ratio eps 3e-4/4e-4 beta 0", m, mask, 6)
print(f"  sequence ratios {ratio[:, 0]} clip low {low[:, 0].mean():.12f} high {high[:, 0].mean():.12f}")
m, ratio, low, high = grpo_per_token(logp, old, ref, mask, adv, 0.2, 0.2, 0.0, True)
aggregations("GSPO sequence ratio eps 0.2 beta 0", m, mask, 6)

# DAPO token-level mean over a batch split into two micro-batches: rows {0, 1} and {2}
m, *_ = grpo_per_token(logp, old, ref, mask, adv, 0.2, 0.28, 0.0, False)
print(f"dapo global: {m.sum() / mask.sum():.12f} = micro {m[:2].sum() / mask.sum():.12f} + micro {m[2:].sum() / mask.sum():.12f}")


# DAPO soft overlong punishment: L_max = 20, L_cache = 5
def overlong(length, l_max, l_cache):
    if length <= l_max - l_cache:
        return 0.0
    if length <= l_max:
        return ((l_max - l_cache) - length) / l_cache
    return -1.0


print("overlong(20, 5):", [overlong(x, 20, 5) for x in (0, 15, 16, 18, 20, 21)])

# frac_reward_zero_std over groups (P = 4, K = 3)
groups = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.5], [2.0, -1.0, 0.5]])
print("frac_reward_zero_std", np.isclose(groups.std(1, ddof=1), 0).mean())
