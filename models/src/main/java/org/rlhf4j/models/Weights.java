package org.rlhf4j.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.pytorch.Tensor;
import org.rlhf4j.models.nn.Conv1D;
import org.rlhf4j.models.nn.Linear;
import org.rlhf4j.models.nn.Projection;
import org.rlhf4j.runtime.CheckpointException;

/**
 * Named tensors of a checkpoint, handed out to the layers that own them. Every name that is
 * taken is remembered, so a missing tensor or a wrong shape is reported with the file and the
 * tensor's name, and leftovers (a checkpoint of another architecture) can be detected.
 */
public final class Weights {
  private final Map<String, Tensor> tensors;
  private final String source;
  private final Set<String> taken = new TreeSet<>();
  private final Map<String, Projection> projections = new LinkedHashMap<>();

  public Weights(Map<String, Tensor> tensors, String source) {
    this.tensors = new LinkedHashMap<>(tensors);
    this.source = source;
  }

  /** Takes tensor {@code name}, checking its shape. */
  public Tensor take(String name, long... shape) {
    Tensor t = tensors.get(name);
    if (t == null) throw new CheckpointException(source + ": missing tensor '" + name + "'" + hint());
    if (!java.util.Arrays.equals(t.shape(), shape)) {
      throw new CheckpointException(source + ": tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
          + ", expected " + java.util.Arrays.toString(shape) + " (does config.json match this checkpoint?)");
    }
    taken.add(name);
    return t;
  }

  /** Takes {@code name} when present, else returns null. */
  public Tensor takeOptional(String name, long... shape) {
    return tensors.containsKey(name) ? take(name, shape) : null;
  }

  /** A torch-layout Linear {@code module}.weight [out, in] (and .bias [out] when {@code bias}), registered under its module name. */
  public Projection linear(String module, long out, long in, boolean bias) {
    Linear l = new Linear(take(module + ".weight", out, in), bias ? take(module + ".bias", out) : null);
    return register(new Projection(module, l));
  }

  /** A GPT-2 Conv1D {@code module}.weight [in, out] with .bias [out], registered under its module name. */
  public Projection conv1d(String module, long in, long out) {
    return register(new Projection(module, new Conv1D(take(module + ".weight", in, out), take(module + ".bias", out))));
  }

  /** Every projection handed out, by module name, in construction order (what adapters attach to). */
  public Map<String, Projection> projections() { return java.util.Collections.unmodifiableMap(projections); }

  private Projection register(Projection p) {
    if (projections.put(p.name(), p) != null) throw new IllegalStateException("module '" + p.name() + "' built twice");
    return p;
  }

  public boolean has(String name) { return tensors.containsKey(name); }

  /** Names present in the checkpoint that no layer took. */
  public Set<String> unused() {
    Set<String> s = new TreeSet<>(tensors.keySet());
    s.removeAll(taken);
    return s;
  }

  public String source() { return source; }

  private String hint() {
    String some = tensors.keySet().stream().limit(3).reduce((a, b) -> a + ", " + b).orElse("none");
    return " (the file holds " + tensors.size() + " tensors, e.g. " + some + "; is it a checkpoint of another architecture?)";
  }
}
