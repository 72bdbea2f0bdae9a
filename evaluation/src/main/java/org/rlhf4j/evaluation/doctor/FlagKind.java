package org.rlhf4j.evaluation.doctor;

/** The pathologies the {@link RunDoctor} recognises in a PPO / DPO / RLOO / GRPO run. */
public enum FlagKind {
  /** Proxy (learned) reward keeps rising while the gold / judge reward falls from its peak. */
  REWARD_HACKING,
  /** Mean response length has grown or shrunk a lot against the start of the run. */
  LENGTH_DRIFT,
  /** Responses repeat themselves: the repeated n-gram fraction is above the threshold. */
  REPETITION,
  /** KL to the reference policy is above the threshold, accelerating, or not finite. */
  KL_BLOWUP,
  /** Policy entropy has fallen to a small fraction of its starting value. */
  ENTROPY_COLLAPSE,
  /** Value-head loss is many times its typical level, or not finite. */
  VALUE_LOSS_EXPLOSION,
  /** Mean importance ratio {@code val/ratio} is far from 1: policy updates are too large. */
  RATIO_DRIFT,
  /** DPO: log-probability of the chosen responses keeps falling while the reward margin rises. */
  CHOSEN_LOGPS_FALLING
}
