package org.rlhf4j.training.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.rlhf4j.testkit.Shared;

/** Test support: losses.json as tensors, and closeness checks against its expected numbers. */
final class Fixture {
  private Fixture() {}

  /** The two precisions every fixture check runs in, with the fixture's tolerances. */
  enum Precision {
    F64(ScalarType.Double, 1e-6), F32(ScalarType.Float, 1e-5);

    final ScalarType type;
    final double tol;

    Precision(ScalarType type, double tol) {
      this.type = type;
      this.tol = tol;
    }
  }

  static JsonNode section(String name) {
    try {
      JsonNode root = new ObjectMapper().readTree(Shared.require("fixtures/losses.json").toFile());
      JsonNode s = root.get(name);
      assertThat(s).as("section " + name).isNotNull();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Tensor tensor(JsonNode n, ScalarType type) {
    List<Long> shape = new ArrayList<>();
    for (JsonNode c = n; c.isArray(); c = c.get(0)) shape.add((long) c.size());
    List<Double> flat = new ArrayList<>();
    flatten(n, flat);
    double[] data = flat.stream().mapToDouble(Double::doubleValue).toArray();
    long[] dims = shape.stream().mapToLong(Long::longValue).toArray();
    Tensor t = AbstractTensor.create(data, dims); // f64
    return type == ScalarType.Double ? t : t.to(type);
  }

  static Tensor longs(JsonNode n) {
    return tensor(n, ScalarType.Double).to(ScalarType.Long);
  }

  static Tensor of(ScalarType type, double... values) {
    Tensor t = AbstractTensor.create(values, values.length); // (N) f64
    return type == ScalarType.Double ? t : t.to(type);
  }

  private static void flatten(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      for (JsonNode c : n) flatten(c, out);
    } else {
      out.add(n.asDouble());
    }
  }

  static double[] values(Tensor t) {
    Tensor flat = t.detach().to(ScalarType.Double).contiguous().reshape(-1);
    DoubleIndexer idx = flat.createIndexer();
    double[] out = new double[(int) flat.numel()];
    for (int i = 0; i < out.length; i++) out[i] = idx.get(i);
    idx.close();
    return out;
  }

  /** |actual - expected| <= tol * max(1, |expected|) element-wise, and the same element count. */
  static void assertClose(String what, Tensor actual, JsonNode expected, double tol) {
    List<Double> exp = new ArrayList<>();
    flatten(expected, exp);
    double[] act = values(actual);
    assertThat(act).as(what + " element count").hasSize(exp.size());
    for (int i = 0; i < act.length; i++) assertClose(what + "[" + i + "]", act[i], exp.get(i), tol);
  }

  static void assertClose(String what, double actual, double expected, double tol) {
    assertThat(actual).as(what).isCloseTo(expected, within(tol * Math.max(1, Math.abs(expected))));
  }
}
