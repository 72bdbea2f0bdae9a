package org.rlhf4j.models.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * An {@link Affine} layer under its checkpoint module name (e.g. {@code model.layers.0.self_attn.q_proj}),
 * with a slot for one {@link Adapter} (LoRA) whose output is added to the layer's. Module names are
 * what PEFT's {@code target_modules} patterns match.
 */
public final class Projection {
  /** A trainable addition to a projection's output. */
  public interface Adapter {
    /** The addition for input x (..., in): (..., out), or null when the adapter is switched off or merged. */
    Tensor delta(Tensor x);
  }

  private final String name;
  private final Affine base;
  private Adapter adapter;

  public Projection(String name, Affine base) {
    if (name == null || name.isEmpty() || base == null) throw new IllegalArgumentException("Projection: name and base are required");
    this.name = name;
    this.base = base;
  }

  public Tensor forward(Tensor x) {
    Tensor y = base.forward(x);                           // (..., out)
    Tensor d = adapter == null ? null : adapter.delta(x); // (..., out)
    return d == null ? y : y.add(d.to(y.scalar_type()));
  }

  public String name() { return name; }
  public Affine base() { return base; }
  public Adapter adapter() { return adapter; }

  /** Installs (or, with null, removes) the adapter. */
  public void adapter(Adapter a) { this.adapter = a; }
}
