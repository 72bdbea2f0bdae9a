package org.rlhf4j.runtime;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Element types rlhf4j works with, and their libtorch and safetensors names. */
public enum DType {
  F32(ScalarType.Float, "F32", 4),
  BF16(ScalarType.BFloat16, "BF16", 2),
  F16(ScalarType.Half, "F16", 2),
  F64(ScalarType.Double, "F64", 8),
  I64(ScalarType.Long, "I64", 8),
  I32(ScalarType.Int, "I32", 4),
  I16(ScalarType.Short, "I16", 2),
  I8(ScalarType.Char, "I8", 1),
  U8(ScalarType.Byte, "U8", 1),
  BOOL(ScalarType.Bool, "BOOL", 1);

  private final ScalarType scalarType;
  private final String safetensorsName;
  private final int byteSize;

  DType(ScalarType scalarType, String safetensorsName, int byteSize) {
    this.scalarType = scalarType;
    this.safetensorsName = safetensorsName;
    this.byteSize = byteSize;
  }

  public ScalarType scalarType() { return scalarType; }
  public String safetensorsName() { return safetensorsName; }
  public int byteSize() { return byteSize; }
  public boolean isFloatingPoint() { return this == F32 || this == BF16 || this == F16 || this == F64; }

  public static DType of(ScalarType t) {
    for (DType d : values()) if (d.scalarType.value == t.value) return d;
    throw new IllegalArgumentException("unsupported libtorch dtype " + t);
  }

  /** Parses a safetensors dtype name ("F32", "BF16", ...), or a user spelling such as "bf16" / "float32". */
  public static DType parse(String name) {
    String n = name.trim().toUpperCase(java.util.Locale.ROOT);
    switch (n) {
      case "FLOAT32": case "FLOAT": case "FP32": return F32;
      case "BFLOAT16": return BF16;
      case "FLOAT16": case "HALF": case "FP16": return F16;
      case "FLOAT64": case "DOUBLE": return F64;
      default:
    }
    for (DType d : values()) if (d.safetensorsName.equals(n)) return d;
    throw new IllegalArgumentException("unknown dtype '" + name + "' (expected one of f32, bf16, f16, f64, i64, i32, i16, i8, u8, bool)");
  }
}
