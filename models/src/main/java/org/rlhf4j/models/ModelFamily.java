package org.rlhf4j.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * One model family (Llama, Qwen2, GPT-2, ...): everything about it that is not a layer. A family
 * reads and writes its {@code config.json} fields, maps its checkpoint's tensor names, builds its
 * decoder stack and declares its parameters with their init rules (from which {@link Init} draws
 * fresh weights and {@link ModelConfig#parameterCount()} counts them). Families are listed in
 * {@link ModelFamilies}; nothing outside a family's own files asks which family a model is.
 */
public interface ModelFamily {
  /** The {@code model_type} written to config.json (and read back). */
  String modelType();

  /** Further {@code model_type} values read as this family (e.g. a fork with the same weights). */
  default List<String> aliases() { return List.of(); }

  /** The {@code architectures} class name of the causal LM, e.g. {@code LlamaForCausalLM}. */
  String causalLmClass();

  /** The {@code architectures} class name of a sequence classifier (reward model), e.g. {@code LlamaForSequenceClassification}. */
  String sequenceClassifierClass();

  /** Settings every config of this family starts from (e.g. GPT-2 always has q/k/v biases). */
  default void defaults(ModelConfig.Builder b) {}

  /** Family-specific checks beyond {@link ModelConfig}'s own; throws IllegalArgumentException naming the field. */
  default void validate(ModelConfig c) {}

  /** Reads this family's config.json fields (the family is known from {@code model_type}). */
  ModelConfig read(ConfigJson json);

  /** Writes this family's config.json fields; {@link ModelConfig#toJson} writes the shared ones around them. */
  void write(ModelConfig c, ObjectNode o);

  /** The modules LoRA adapts when none are named (PEFT's per-architecture default target_modules); empty: none. */
  default List<String> loraTargets() { return List.of(); }

  /** Checkpoint tensor names as found in files, mapped to the names this family's layers take. */
  default Map<String, Tensor> canonicalNames(Map<String, Tensor> fromFile) { return fromFile; }

  /** The decoder stack, taking its tensors from {@code w}. */
  Backbone backbone(ModelConfig c, Weights w);

  /** Declares every parameter except {@code lm_head.weight}: name, shape and init rule, in checkpoint order. */
  void layout(ModelConfig c, ParameterLayout p);
}
