package org.rlhf4j.models.lora;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.nn.Projection;
import org.rlhf4j.runtime.CheckpointException;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.HasParameters;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;

/**
 * The LoRA adapters of one {@link CausalLM} (obtain with {@link CausalLM#addAdapters} or {@link CausalLM#loadAdapters}).
 * Its parameters are named as PEFT's {@code adapter_model.safetensors} names them
 * ({@code base_model.model.<module>.lora_A.weight}, A (r, in), and {@code .lora_B.weight}, B (out, r)), float32 on the
 * model's device, so an optimizer over them and the file agree key for key. {@link #save} writes a folder
 * {@code PeftModel.from_pretrained} loads.
 */
public final class LoraModel implements HasParameters {
  public static final String CONFIG_FILE = "adapter_config.json";
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  static final String PREFIX = "base_model.model.";

  private final LoraConfig config;
  private final List<LoraLayer> layers = new ArrayList<>();
  private final Map<String, Tensor> params = new LinkedHashMap<>();
  private final Map<String, Tensor> savedModules = new LinkedHashMap<>();
  private int disabledDepth;

  private LoraModel(LoraConfig config) { this.config = config; }

  /** Fresh adapters as PEFT initialises them: A ~ kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)), B = 0. */
  public static LoraModel create(CausalLM model, LoraConfig cfg, long seed) {
    List<Projection> targets = select(model, cfg, "--lora-targets");
    LoraConfig saved = cfg.targets() instanceof TargetModules.AllLinear
        ? cfg.withTargets(TargetModules.leafNames(targets.stream().map(Projection::name).toList())) : cfg;
    LoraModel m = new LoraModel(saved);
    Generator g = torch.createCPUGenerator(seed);
    for (Projection p : targets) {
      long in = p.base().inFeatures(), out = p.base().outFeatures();
      double bound = 1.0 / Math.sqrt(in);
      Tensor a = Tensors.zeros(DType.F32, org.rlhf4j.runtime.Device.CPU, cfg.r(), in).uniform_(-bound, bound, new GeneratorOptional(g));
      m.add(p, onDevice(a, model), Tensors.zeros(DType.F32, model.device(), out, cfg.r()));
    }
    return m;
  }

  /** The adapters of a PEFT folder, checked against the model: every targeted module's A and B, and nothing else. */
  public static LoraModel load(CausalLM model, Path dir) { return load(model, dir, PeftTask.CAUSAL_LM); }

  /**
   * The adapters of a PEFT folder saved for {@code task}, checked against the model: every targeted module's A and B
   * and, for {@link PeftTask#SEQ_CLS}, the head's tensors ({@link #savedModules}), and nothing else.
   */
  public static LoraModel load(CausalLM model, Path dir, PeftTask task) {
    Path cfgFile = dir.resolve(CONFIG_FILE), weights = dir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(cfgFile)) throw new CheckpointException(dir + ": no " + CONFIG_FILE + " (is it a PEFT adapter folder?)");
    if (!Files.isRegularFile(weights)) {
      String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
          ? " (it holds adapter_model.bin: re-save it with PEFT's safe_serialization=True)" : "";
      throw new CheckpointException(dir + ": no " + WEIGHTS_FILE + hint);
    }
    AdapterConfigFile.Read read = AdapterConfigFile.read(cfgFile);
    checkTask(cfgFile, read.task(), task);
    LoraConfig cfg = read.config();
    Map<String, Tensor> file = new LinkedHashMap<>(Safetensors.load(weights));
    LoraModel m = new LoraModel(cfg);
    for (Projection p : select(model, cfg, cfgFile + " target_modules")) {
      Tensor a = take(file, weights, key(p, "lora_A"), cfg.r(), p.base().inFeatures());
      Tensor b = take(file, weights, key(p, "lora_B"), p.base().outFeatures(), cfg.r());
      m.add(p, onDevice(a.to(torch.ScalarType.Float), model), onDevice(b.to(torch.ScalarType.Float), model));
    }
    for (String module : read.modulesToSave()) {
      String prefix = PREFIX + module + ".";
      for (var it = file.entrySet().iterator(); it.hasNext();) {
        var e = it.next();
        if (!e.getKey().startsWith(prefix)) continue;
        m.savedModules.put(e.getKey().substring(PREFIX.length()), onDevice(e.getValue().to(torch.ScalarType.Float), model));
        it.remove();
      }
    }
    if (!file.isEmpty()) {
      throw new CheckpointException(weights + ": " + file.size() + " tensors belong to no module its target_modules or "
          + "modules_to_save select, e.g. '" + file.keySet().iterator().next() + "'");
    }
    return m;
  }

  /** Whether {@code dir} is a PEFT adapter folder (it has {@code adapter_config.json}). */
  public static boolean isAdapterFolder(Path dir) { return Files.isRegularFile(dir.resolve(CONFIG_FILE)); }

  /** The LoRA configuration of a PEFT folder's {@code adapter_config.json} (its {@code base_model_name_or_path} too). */
  public static LoraConfig configOf(Path dir) { return AdapterConfigFile.read(dir.resolve(CONFIG_FILE)).config(); }

  private static void checkTask(Path cfgFile, PeftTask found, PeftTask wanted) {
    if (found == wanted) return;
    if (found == PeftTask.SEQ_CLS) {
      throw new CheckpointException(cfgFile + ": task_type is SEQ_CLS, a sequence-classification (reward model) adapter: "
          + "load it onto a reward model (score/eval-reward --adapter, ppo/rloo/grpo/best-of-n --reward-adapter)");
    }
    throw new CheckpointException(cfgFile + ": task_type is not SEQ_CLS: not a reward-model adapter (its score head is not in it; "
        + "a causal LM's adapter goes with generate --adapter)");
  }

  public LoraConfig config() { return config; }

  /** lora_A / lora_B of every adapted module under PEFT's file names. */
  @Override public Map<String, Tensor> parameters() { return Collections.unmodifiableMap(params); }

  /**
   * The tensors a {@link PeftTask#SEQ_CLS} folder saved whole beside the adapters ({@code modules_to_save}), by their
   * name in the base model ({@code score.weight}); empty for a causal LM's adapters and for fresh ones.
   */
  public Map<String, Tensor> savedModules() { return Collections.unmodifiableMap(savedModules); }

  /** The adapted modules' names, in model order. */
  public List<String> modules() { return layers.stream().map(l -> l.target().name()).toList(); }

  /** Number of adapter weights. */
  public long parameterCount() { return params.values().stream().mapToLong(Tensor::numel).sum(); }

  /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} (PEFT layout, CAUSAL_LM) into {@code dir}. */
  public void save(Path dir) { save(dir, PeftTask.CAUSAL_LM, Map.of()); }

  /**
   * Writes the PEFT folder of {@code task}: with {@link PeftTask#SEQ_CLS} the head's tensors {@code modules}, named
   * as in the base model ({@code score.weight}), go into {@code adapter_model.safetensors} as PEFT saves a
   * {@code modules_to_save} module ({@code base_model.model.score.weight}).
   */
  public void save(Path dir, PeftTask task, Map<String, Tensor> modules) {
    if (!modules.isEmpty() && task != PeftTask.SEQ_CLS) throw new IllegalArgumentException("only a SEQ_CLS adapter saves modules beside it");
    try {
      Files.createDirectories(dir);
      boolean conv = layers.stream().anyMatch(l -> l.target().base().fanInFanOut());
      AdapterConfigFile.write(dir.resolve(CONFIG_FILE), config, conv, task);
      Safetensors.save(dir.resolve(WEIGHTS_FILE), withModules(modules), Map.of("format", "pt"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the adapter to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * This adapter's tensors and {@code modules} (named as in the base model) under the names a SEQ_CLS
   * {@code adapter_model.safetensors} gives them: what a checkpoint of a LoRA reward model saves and restores.
   */
  public Map<String, Tensor> withModules(Map<String, Tensor> modules) {
    Map<String, Tensor> all = new LinkedHashMap<>(params);
    modules.forEach((k, t) -> {
      if (k.startsWith(PREFIX)) throw new IllegalArgumentException("module tensor '" + k + "' is named with PEFT's prefix; give its base-model name");
      all.put(PREFIX + k, t);
    });
    return Collections.unmodifiableMap(all);
  }

  /** Runs {@code body} with every adapter switched off (the base model's outputs); nests. */
  public <T> T disabled(Supplier<T> body) {
    disabledDepth++;
    try {
      return body.get();
    } finally {
      disabledDepth--;
    }
  }

  /** Folds scaling * B A into each base weight (the adapters then add nothing until {@link #unmerge}). */
  public void merge() { layers.forEach(LoraLayer::merge); }

  /** Subtracts what {@link #merge} added (up to rounding in the base dtype). */
  public void unmerge() { layers.forEach(LoraLayer::unmerge); }

  public boolean merged() { return !layers.isEmpty() && layers.get(0).merged(); }

  boolean enabled() { return disabledDepth == 0; }

  /** Called by CausalLM when attaching. */
  public void install() {
    for (LoraLayer l : layers) {
      if (l.target().adapter() != null) throw new IllegalStateException("module " + l.target().name() + " already has an adapter");
    }
    for (LoraLayer l : layers) l.target().adapter(l);
  }

  /** Called by CausalLM when unloading. */
  public void detach() {
    for (LoraLayer l : layers) if (l.target().adapter() == l) l.target().adapter(null);
  }

  public void requiresGrad(boolean on) {
    for (Tensor t : params.values()) t.requires_grad_(on);
  }

  private void add(Projection p, Tensor a, Tensor b) {
    layers.add(new LoraLayer(p, a, b, config.scaling(), config.dropout(), this));
    params.put(key(p, "lora_A"), a);
    params.put(key(p, "lora_B"), b);
  }

  private static String key(Projection p, String which) { return PREFIX + p.name() + "." + which + ".weight"; }

  private static List<Projection> select(CausalLM model, LoraConfig cfg, String what) {
    List<Projection> out = model.projections().values().stream().filter(p -> cfg.targets(p.name())).toList();
    if (out.isEmpty()) {
      List<String> leaves = model.projections().keySet().stream().map(n -> n.substring(n.lastIndexOf('.') + 1)).distinct().toList();
      throw new IllegalArgumentException(what + ": " + describe(cfg.targets()) + " matches no module of this "
          + model.config().family().modelType() + " model (its projections: " + String.join(", ", leaves) + ")");
    }
    return out;
  }

  private static String describe(TargetModules t) {
    if (t instanceof TargetModules.Names n) return String.join(",", n.names());
    if (t instanceof TargetModules.Regex r) return "regex '" + r.pattern() + "'";
    return "all-linear";
  }

  private static Tensor take(Map<String, Tensor> file, Path source, String key, long... shape) {
    Tensor t = file.remove(key);
    if (t == null) throw new CheckpointException(source + ": missing tensor '" + key + "'");
    if (!Arrays.equals(t.shape(), shape)) {
      throw new CheckpointException(source + ": tensor '" + key + "' has shape " + Arrays.toString(t.shape()) + ", expected "
          + Arrays.toString(shape) + " (r in adapter_config.json, or another base model?)");
    }
    return t;
  }

  private static Tensor onDevice(Tensor t, CausalLM model) {
    return model.device().isCuda() ? t.to(model.device().torch(), torch.ScalarType.Float) : t;
  }
}
