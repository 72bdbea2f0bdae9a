package org.rlhf4j.runtime;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;

/**
 * Where tensors live. No code path may assume CPU: take a {@code Device} and pass it on.
 * {@link #auto()} picks CUDA when GPU natives are on the classpath and a GPU answers.
 */
public record Device(Kind kind, int index) {
  public enum Kind { CPU, CUDA }

  public static final Device CPU = new Device(Kind.CPU, -1);

  public Device {
    if (kind == null) throw new IllegalArgumentException("device kind is required");
    if (kind == Kind.CUDA && index < 0) throw new IllegalArgumentException("a CUDA device needs an index >= 0");
  }

  public static Device cuda(int index) { return new Device(Kind.CUDA, index); }

  /** CUDA device 0 when available, else CPU. */
  public static Device auto() {
    return Runtime.cudaAvailable() ? cuda(0) : CPU;
  }

  /** Parses "cpu", "cuda", "cuda:1" or "auto". */
  public static Device parse(String s) {
    String v = s.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("auto")) return auto();
    if (v.equals("cpu")) return CPU;
    if (v.equals("cuda") || v.equals("gpu")) return cuda(0);
    if (v.startsWith("cuda:")) return cuda(Integer.parseInt(v.substring(5)));
    throw new IllegalArgumentException("unknown device '" + s + "' (expected cpu, cuda, cuda:N or auto)");
  }

  public DeviceType deviceType() { return kind == Kind.CPU ? DeviceType.CPU : DeviceType.CUDA; }

  /** A fresh libtorch device handle (callers inside a step scope get it freed with the scope). */
  public org.bytedeco.pytorch.Device torch() {
    return kind == Kind.CPU ? new org.bytedeco.pytorch.Device(DeviceType.CPU)
        : new org.bytedeco.pytorch.Device(DeviceType.CUDA, (byte) index);
  }

  /** Where {@code t} lives. */
  public static Device of(org.bytedeco.pytorch.Tensor t) {
    org.bytedeco.pytorch.Device d = t.device();
    return d.is_cuda() ? cuda(Math.max(0, d.index())) : CPU;
  }

  public boolean isCuda() { return kind == Kind.CUDA; }

  @Override public String toString() { return kind == Kind.CPU ? "cpu" : "cuda:" + index; }

  static boolean torchCudaAvailable() { return torch.cuda_is_available(); }
}
