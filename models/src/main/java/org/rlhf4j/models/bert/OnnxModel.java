package org.rlhf4j.models.bert;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX ModelProto a weight loader needs: the graph's nodes (op type, name,
 * inputs, outputs) and its float initializers. Field numbers follow onnx.proto3.
 */
final class OnnxModel {
  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1, GRAPH_INITIALIZER = 5;
  private static final int NODE_INPUT = 1, NODE_OUTPUT = 2, NODE_NAME = 3, NODE_OP_TYPE = 4;
  private static final int TENSOR_DIMS = 1, TENSOR_DATA_TYPE = 2, TENSOR_FLOAT_DATA = 4, TENSOR_NAME = 8,
      TENSOR_RAW_DATA = 9, TENSOR_DATA_LOCATION = 14;
  private static final int FLOAT = 1;

  record Node(String opType, String name, List<String> inputs, List<String> outputs) {}

  /** A float32 initializer: shape and row-major values (a view into the model bytes until read). */
  record Initializer(String name, long[] dims, int dataType, ByteBuffer raw, List<Float> floatData) {
    long numel() {
      long n = 1;
      for (long d : dims) n *= d;
      return n;
    }

    float[] floats() {
      if (dataType != FLOAT) {
        throw new IllegalArgumentException("ONNX initializer '" + name + "' has data type " + dataType + ", expected float32 (1)");
      }
      float[] out = new float[Math.toIntExact(numel())];
      if (raw != null) {
        FloatBuffer fb = raw.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer(); // duplicate() resets the order
        if (fb.remaining() != out.length) {
          throw new IllegalArgumentException("ONNX initializer '" + name + "' holds " + fb.remaining()
              + " floats, its shape needs " + out.length);
        }
        fb.get(out);
      } else {
        if (floatData.size() != out.length) {
          throw new IllegalArgumentException("ONNX initializer '" + name + "' holds " + floatData.size()
              + " floats, its shape needs " + out.length);
        }
        for (int i = 0; i < out.length; i++) out[i] = floatData.get(i);
      }
      return out;
    }
  }

  final List<Node> nodes = new ArrayList<>();
  final Map<String, Initializer> initializers = new LinkedHashMap<>();

  static OnnxModel parse(ByteBuffer bytes, String source) {
    OnnxModel m = new OnnxModel();
    try {
      ProtoReader model = new ProtoReader(bytes);
      boolean sawGraph = false;
      while (model.next()) {
        if (model.field() == MODEL_GRAPH && model.wireType() == ProtoReader.LEN) {
          m.readGraph(model.message());
          sawGraph = true;
        } else {
          model.skip();
        }
      }
      if (!sawGraph) throw new IllegalArgumentException("no graph in the model");
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("cannot read ONNX model " + source + ": " + e.getMessage(), e);
    }
    return m;
  }

  private void readGraph(ProtoReader g) {
    while (g.next()) {
      if (g.field() == GRAPH_NODE) {
        nodes.add(readNode(g.message()));
      } else if (g.field() == GRAPH_INITIALIZER) {
        Initializer t = readTensor(g.message());
        initializers.put(t.name(), t);
      } else {
        g.skip();
      }
    }
  }

  private static Node readNode(ProtoReader n) {
    String op = "", name = "";
    List<String> in = new ArrayList<>(), out = new ArrayList<>();
    while (n.next()) {
      switch (n.field()) {
        case NODE_INPUT -> in.add(n.string());
        case NODE_OUTPUT -> out.add(n.string());
        case NODE_NAME -> name = n.string();
        case NODE_OP_TYPE -> op = n.string();
        default -> n.skip();
      }
    }
    return new Node(op, name, in, out);
  }

  private static Initializer readTensor(ProtoReader t) {
    List<Long> dims = new ArrayList<>();
    List<Float> floatData = new ArrayList<>();
    String name = "";
    int dataType = 0;
    ByteBuffer raw = null;
    while (t.next()) {
      switch (t.field()) {
        case TENSOR_DIMS -> t.int64s(dims);
        case TENSOR_DATA_TYPE -> dataType = (int) t.varint();
        case TENSOR_NAME -> name = t.string();
        case TENSOR_RAW_DATA -> raw = t.bytes();
        case TENSOR_FLOAT_DATA -> readFloats(t, floatData);
        case TENSOR_DATA_LOCATION -> {
          if (t.varint() == 1) throw new IllegalArgumentException("initializer '" + name + "' uses external data, which is not supported");
        }
        default -> t.skip();
      }
    }
    return new Initializer(name, dims.stream().mapToLong(Long::longValue).toArray(), dataType, raw, floatData);
  }

  private static void readFloats(ProtoReader t, List<Float> out) {
    if (t.wireType() == ProtoReader.LEN) {
      FloatBuffer fb = t.bytes().asFloatBuffer();
      while (fb.hasRemaining()) out.add(fb.get());
    } else if (t.wireType() == ProtoReader.FIXED32) {
      out.add(t.fixed32Float());
    } else {
      throw new IllegalArgumentException("float_data with wire type " + t.wireType());
    }
  }
}
