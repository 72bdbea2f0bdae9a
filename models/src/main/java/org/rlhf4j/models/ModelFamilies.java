package org.rlhf4j.models;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.rlhf4j.models.gpt2.Gpt2Family;
import org.rlhf4j.models.llama.LlamaFamily;

/**
 * The registry of model families: the built-in ones below, plus any a library user
 * {@link #register registers}. A config.json is matched by its {@code model_type} (or, when that is
 * missing, by its {@code architectures} class name).
 */
public final class ModelFamilies {
  public static final ModelFamily LLAMA = LlamaFamily.LLAMA;
  public static final ModelFamily QWEN2 = LlamaFamily.QWEN2;
  public static final ModelFamily GPT2 = Gpt2Family.GPT2;

  private static final List<ModelFamily> FAMILIES = new CopyOnWriteArrayList<>(List.of(LLAMA, QWEN2, GPT2));

  private ModelFamilies() {}

  /** Every registered family, built-in ones first. */
  public static List<ModelFamily> all() { return List.copyOf(FAMILIES); }

  /** Adds a family; its model_type and aliases must not be taken. */
  public static synchronized void register(ModelFamily f) {
    for (String t : types(f)) {
      if (byModelType(t).isPresent()) throw new IllegalArgumentException("model_type '" + t + "' is already registered");
    }
    FAMILIES.add(f);
  }

  /** The family reading {@code model_type}, if any. */
  public static Optional<ModelFamily> byModelType(String type) {
    return FAMILIES.stream().filter(f -> types(f).contains(type)).findFirst();
  }

  /** The family of a config.json: its model_type, else its architectures class name; an error lists what is supported. */
  public static ModelFamily of(ConfigJson json) {
    String type = json.text("model_type", "");
    Optional<ModelFamily> f = type.isEmpty() ? byClassName(json.firstArchitecture()) : byModelType(type);
    return f.orElseThrow(() -> json.error("unsupported model_type '" + type + "' (supported: "
        + FAMILIES.stream().flatMap(x -> types(x).stream()).collect(Collectors.joining(", ")) + ")"));
  }

  private static Optional<ModelFamily> byClassName(String cls) {
    return FAMILIES.stream().filter(f -> f.causalLmClass().equals(cls) || f.sequenceClassifierClass().equals(cls)).findFirst();
  }

  private static List<String> types(ModelFamily f) {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(f.modelType()), f.aliases().stream()).toList();
  }
}
