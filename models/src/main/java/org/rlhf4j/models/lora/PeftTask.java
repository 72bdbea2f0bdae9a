package org.rlhf4j.models.lora;

import java.util.List;

/**
 * PEFT's {@code task_type} of an adapter folder, with what it saves beside the adapters. {@link #CAUSAL_LM}: the
 * adapters alone ({@code PeftModelForCausalLM}). {@link #SEQ_CLS}: a sequence classifier's adapters (a reward model,
 * {@code PeftModelForSequenceClassification}), whose head PEFT trains whole and saves as a {@code modules_to_save}
 * module: its config lists {@code modules_to_save: ["classifier", "score"]} (the names PEFT adds for this task) and
 * {@code adapter_model.safetensors} holds the head's own tensors under {@code base_model.model.<module>.<param>}
 * ({@code base_model.model.score.weight}: {@code ModulesToSaveWrapper.adapter_state_dict} without the
 * {@code modules_to_save.default.} part).
 */
public enum PeftTask {
  CAUSAL_LM(List.of()),
  SEQ_CLS(List.of("classifier", "score"));

  private final List<String> modulesToSave;

  PeftTask(List<String> modulesToSave) { this.modulesToSave = modulesToSave; }

  /** The field's value in {@code adapter_config.json}. */
  public String field() { return name(); }

  /** The {@code modules_to_save} PEFT writes for this task (empty: {@code null} in the file). */
  public List<String> modulesToSave() { return modulesToSave; }

  /** Whether the file's {@code modules_to_save} entry {@code module} is one this task saves (the head). */
  boolean saves(String module) { return modulesToSave.contains(module); }

  /** The task of a config's {@code task_type}: SEQ_CLS, else (CAUSAL_LM, null, anything else) CAUSAL_LM. */
  static PeftTask of(String taskType) { return "SEQ_CLS".equals(taskType) ? SEQ_CLS : CAUSAL_LM; }
}
