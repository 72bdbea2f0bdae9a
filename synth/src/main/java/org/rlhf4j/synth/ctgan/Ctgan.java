package org.rlhf4j.synth.ctgan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import org.rlhf4j.runtime.NativeScope;
import org.rlhf4j.runtime.Runtime;
import org.rlhf4j.runtime.Safetensors;
import org.rlhf4j.runtime.Tensors;
import org.rlhf4j.synth.SynthJson;
import org.rlhf4j.synth.Synthesizer;
import org.rlhf4j.synth.table.Table;
import org.rlhf4j.synth.transform.DataTransformer;

/**
 * A trained CTGAN: the data transformer and the generator. Sampling draws conditions as the training data's
 * category frequencies, runs the generator in full batches (its batch norm uses batch statistics), applies the
 * output activations and decodes.
 */
public final class Ctgan implements Synthesizer {
  public static final String KIND = "ctgan";
  static final String WEIGHTS = "generator.safetensors";

  private final CtganConfig config;
  private final DataTransformer transformer;
  private final CtganGenerator generator;
  private final ConditionalSampler sampler;
  private final Device device;

  Ctgan(CtganConfig config, DataTransformer transformer, CtganGenerator generator, Device device) {
    this.config = config;
    this.transformer = transformer;
    this.generator = generator;
    this.sampler = ConditionalSampler.forGeneration(transformer);
    this.device = device;
  }

  public CtganConfig config() { return config; }

  public DataTransformer transformer() { return transformer; }

  @Override public String kind() { return KIND; }

  /**
   * How {@link #sample(int, long, Conditions)} draws each row's condition. {@link Kind#FREQUENCY} (the default):
   * column uniform, category by its training frequency, so the mixture over conditions is the data distribution.
   * {@link Kind#TRAINING}: the training-by-sampling draw (category by log(1 + count)), which is what the reference's
   * {@code sample_original_condvec} draws (it normalises the log-frequency table), rare categories over-represented.
   * {@link Kind#COLUMN}: every row conditioned on one discrete column, its categories in exactly their training
   * proportions (largest remainder, shuffled), so that column's share in the sample is the training share however
   * the generator's unconditioned share drifts (SDV's conditional sampling, with the training counts as conditions).
   *
   * @param column the conditioned column for {@code COLUMN}; null otherwise
   */
  public record Conditions(Kind kind, String column) {
    public enum Kind { FREQUENCY, TRAINING, COLUMN }

    public static final Conditions FREQUENCY = new Conditions(Kind.FREQUENCY, null);
    public static final Conditions TRAINING = new Conditions(Kind.TRAINING, null);

    public Conditions {
      java.util.Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.COLUMN) != (column != null)) throw new IllegalArgumentException("a column is named by COLUMN conditions only");
      if (column != null && column.isBlank()) throw new IllegalArgumentException("the conditioned column name is empty");
    }

    public static Conditions column(String name) { return new Conditions(Kind.COLUMN, name); }

    /** {@code frequency}, {@code training} or {@code column:NAME}. */
    public static Conditions parse(String s) {
      if (s.equals("frequency")) return FREQUENCY;
      if (s.equals("training")) return TRAINING;
      if (s.startsWith("column:")) return column(s.substring("column:".length()));
      throw new IllegalArgumentException("conditions must be frequency, training or column:NAME, got '" + s + "'");
    }

    @Override public String toString() { return kind == Kind.COLUMN ? "column:" + column : kind.name().toLowerCase(java.util.Locale.ROOT); }
  }

  @Override public Table sample(int rows, long seed) { return sample(rows, seed, Conditions.FREQUENCY); }

  public Table sample(int rows, long seed, Conditions conditions) {
    if (rows < 1) throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    Runtime.seed(seed);
    Random rng = new Random(seed);
    int b = config.batchSize(), w = transformer.width();
    int[] categories = conditions.kind() == Conditions.Kind.COLUMN ? sampler.proportional(columnIndex(conditions.column()), rows, rng) : null;
    List<float[]> batches = new ArrayList<>();
    for (int done = 0; done < rows; done += b) {
      ConditionalSampler.Draw c = switch (conditions.kind()) {
        case FREQUENCY -> sampler.original(b, rng);
        case TRAINING -> sampler.train(b, rng);
        case COLUMN -> sampler.fixed(columnIndex(conditions.column()), categories, done, b, rng);
      };
      batches.add(sampleBatch(b, c));
    }
    float[] all = new float[rows * w];
    for (int i = 0; i < batches.size(); i++) {
      int n = Math.min(b, rows - i * b);
      System.arraycopy(batches.get(i), 0, all, i * b * w, n * w);
    }
    return transformer.decode(all, rows);
  }

  /** The index among the discrete columns of {@code name}; a clear error when it is not one. */
  private int columnIndex(String name) {
    List<String> names = transformer.discrete().stream().map(o -> o.name()).toList();
    int j = names.indexOf(name);
    if (j < 0) throw new IllegalArgumentException("conditions: '" + name + "' is not a discrete column of this model (discrete: " + names + ")");
    return j;
  }

  /** One batch of activated generator outputs, (b, width) row-major. */
  private float[] sampleBatch(int b, ConditionalSampler.Draw cond) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard();
      Tensor in = input(torch.randn(new long[] {b, config.embeddingDim()}, Tensors.options(DType.F32, device)), cond, b); // (b, E + C)
      return Tensors.toFloats(GanLosses.activate(generator.forward(in), transformer.spans(), config.tau())); // (b, D)
    }
  }

  /** (noise | condition) for the generator; the noise alone when there is no discrete column. */
  Tensor input(Tensor noise, ConditionalSampler.Draw cond, int b) {
    return cond == null ? noise : Tensors.cat(1, noise, condTensor(cond, b));
  }

  Tensor condTensor(ConditionalSampler.Draw cond, int b) {
    return Tensors.floats(cond.cond(), device, b, sampler.width()); // (b, C)
  }

  @Override public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    Safetensors.save(dir.resolve(WEIGHTS), generator.parameters(), Map.of("format", "pt"));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("kind", KIND);
    json.put("config", config);
    json.put("transformer", transformer);
    SynthJson.write(dir.resolve("synthesizer.json"), json);
  }

  /** Reads a folder written by {@link #save}. */
  public static Ctgan load(Path dir, JsonNode json, Device device) {
    try {
      CtganConfig config = SynthJson.MAPPER.treeToValue(json.get("config"), CtganConfig.class);
      DataTransformer t = SynthJson.MAPPER.treeToValue(json.get("transformer"), DataTransformer.class);
      CtganGenerator g = newGenerator(config, t, device);
      copyInto(g.parameters(), dir.resolve(WEIGHTS));
      return new Ctgan(config, t, g, device);
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + ": synthesizer.json is not a CTGAN description: " + e.getMessage());
    }
  }

  static CtganGenerator newGenerator(CtganConfig c, DataTransformer t, Device device) {
    return new CtganGenerator(c.embeddingDim() + ConditionalSampler.forGeneration(t).width(), c.generatorDims(), t.width(), device);
  }

  static void copyInto(Map<String, Tensor> params, Path file) {
    try (NativeScope scope = NativeScope.open()) {
      new NoGradGuard();
      Map<String, Tensor> saved = Safetensors.load(file);
      params.forEach((name, p) -> {
        Tensor t = saved.get(name);
        if (t == null || t.numel() != p.numel()) throw new IllegalArgumentException(file + ": no tensor '" + name + "' of " + p.numel() + " values");
        p.copy_(t);
      });
    }
  }
}
