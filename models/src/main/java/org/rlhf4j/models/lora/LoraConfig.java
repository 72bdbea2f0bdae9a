package org.rlhf4j.models.lora;

/**
 * A LoRA configuration (PEFT's {@code LoraConfig} for plain LoRA): each targeted projection W gets
 * y = W x + scaling * B A dropout(x) with A (r, in), B (out, r), scaling = alpha / r, or alpha / sqrt(r)
 * with {@code rsLora} (rank-stabilised LoRA). {@code exclude} (may be null) removes modules the targets match.
 *
 * @param baseModel written as {@code base_model_name_or_path} (may be null)
 */
public record LoraConfig(int r, double alpha, double dropout, TargetModules targets, TargetModules exclude, boolean rsLora,
    String baseModel) {
  public LoraConfig {
    if (r < 1) throw new IllegalArgumentException("lora r must be at least 1, got " + r);
    if (!(alpha > 0) || !Double.isFinite(alpha)) throw new IllegalArgumentException("lora alpha must be positive, got " + alpha);
    if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("lora dropout must be in [0, 1), got " + dropout);
    if (targets == null) throw new IllegalArgumentException("lora target modules are required (e.g. q_proj,v_proj or all-linear)");
  }

  /** r, alpha and targets in the command-line form ({@code q_proj,v_proj}, {@code all-linear}, {@code regex:...}). */
  public static LoraConfig of(int r, double alpha, String targets) {
    return new LoraConfig(r, alpha, 0.0, TargetModules.parse(targets), null, false, null);
  }

  public LoraConfig withDropout(double d) { return new LoraConfig(r, alpha, d, targets, exclude, rsLora, baseModel); }

  public LoraConfig withRsLora(boolean on) { return new LoraConfig(r, alpha, dropout, targets, exclude, on, baseModel); }

  public LoraConfig withBaseModel(String b) { return new LoraConfig(r, alpha, dropout, targets, exclude, rsLora, b); }

  public LoraConfig withTargets(TargetModules t) { return new LoraConfig(r, alpha, dropout, t, exclude, rsLora, baseModel); }

  /** The factor on B A x. */
  public double scaling() { return rsLora ? alpha / Math.sqrt(r) : alpha / r; }

  /** Whether {@code module} gets an adapter. */
  public boolean targets(String module) {
    return targets.matches(module) && (exclude == null || !exclude.matches(module));
  }
}
