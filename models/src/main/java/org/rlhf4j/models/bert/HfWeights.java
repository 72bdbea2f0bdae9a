package org.rlhf4j.models.bert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Brings BERT weights from an ONNX graph or a checkpoint to Hugging Face {@code BertModel} names
 * and layouts ({@code embeddings.*}, {@code encoder.layer.N.*}; Linear weights [out, in]).
 */
final class HfWeights {
  private HfWeights() {}

  /**
   * The BertModel-relative name of {@code name} ("bert.encoder.layer.0..." and
   * "0.auto_model.embeddings..." become "encoder.layer.0..." / "embeddings..."), or null when it
   * is not a BERT module name.
   */
  static String normalise(String name) {
    String n = name.replace('/', '.');
    while (n.startsWith(".")) n = n.substring(1);
    for (String root : new String[] {"embeddings.", "encoder.", "pooler."}) {
      if (n.startsWith(root)) return n;
      int i = n.indexOf("." + root);
      if (i >= 0) return n.substring(i + 1);
    }
    return null;
  }

  /** Checkpoint tensors keyed by their normalised names (non-BERT entries such as heads are dropped). */
  static Map<String, Tensor> fromCheckpoint(Map<String, Tensor> tensors) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    tensors.forEach((k, v) -> {
      String n = normalise(k);
      if (n != null) out.put(n, v);
    });
    return out;
  }

  /**
   * Weights of an exported BERT graph. Initializers that kept their module names are taken as
   * they are. Linear weights that the exporter renamed (e.g. {@code onnx::MatMul_885}, stored
   * transposed [in, out]) are found by graph structure: the MatMul node that consumes the
   * initializer is named after its module ({@code /encoder/layer.0/attention/self/query/MatMul}),
   * so the weight becomes {@code encoder.layer.0.attention.self.query.weight}, transposed back.
   */
  static Map<String, Tensor> fromOnnx(OnnxModel model, String source) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (OnnxModel.Initializer init : model.initializers.values()) {
      String n = normalise(init.name());
      if (n != null && init.dataType() == 1 && (n.endsWith(".weight") || n.endsWith(".bias"))) {
        out.put(n, tensor(init));
      }
    }
    for (OnnxModel.Node node : model.nodes) {
      if (!node.opType().equals("MatMul") || node.inputs().size() != 2) continue;
      OnnxModel.Initializer w = model.initializers.get(node.inputs().get(1));
      if (w == null || w.dims().length != 2 || normalise(w.name()) != null) continue;
      String module = modulePath(node);
      if (module == null) continue;
      Tensor prev = out.put(module + ".weight", tensor(w).t().contiguous()); // [in, out] -> [out, in]
      if (prev != null) {
        throw new IllegalArgumentException("ONNX model " + source + ": two weights map to " + module + ".weight");
      }
    }
    return out;
  }

  /** "/encoder/layer.0/attention/self/query/MatMul" (or its output name) -> "encoder.layer.0.attention.self.query". */
  private static String modulePath(OnnxModel.Node node) {
    String label = !node.name().isEmpty() ? node.name() : node.outputs().isEmpty() ? "" : node.outputs().get(0);
    int slash = label.lastIndexOf('/');
    if (slash <= 0) return null;
    return normalise(label.substring(0, slash));
  }

  private static Tensor tensor(OnnxModel.Initializer init) {
    return Tensor.create(init.floats(), init.dims()); // dims as stored
  }
}
