package org.rlhf4j.models.bert;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format reader (varints, length-delimited fields, fixed32/64):
 * enough to walk an ONNX ModelProto without generated classes. Reads a slice of a buffer.
 */
final class ProtoReader {
  static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

  private final ByteBuffer buf;
  private int fieldNumber;
  private int wireType;

  ProtoReader(ByteBuffer buf) {
    this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Advances to the next field; false at the end of the message. */
  boolean next() {
    if (!buf.hasRemaining()) return false;
    long tag = varint();
    fieldNumber = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    if (fieldNumber == 0) throw new IllegalArgumentException("corrupt protobuf: field number 0 at byte " + buf.position());
    return true;
  }

  int field() { return fieldNumber; }

  int wireType() { return wireType; }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buf.hasRemaining()) throw new IllegalArgumentException("corrupt protobuf: truncated varint");
      byte b = buf.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return result;
    }
    throw new IllegalArgumentException("corrupt protobuf: varint longer than 10 bytes");
  }

  /** The payload of the current length-delimited field, as a little-endian view (no copy). */
  ByteBuffer bytes() {
    long len = varint();
    if (len < 0 || len > buf.remaining()) {
      throw new IllegalArgumentException("corrupt protobuf: field " + fieldNumber + " claims " + len
          + " bytes, " + buf.remaining() + " remain");
    }
    ByteBuffer out = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    out.limit((int) len);
    buf.position(buf.position() + (int) len);
    return out;
  }

  String string() {
    ByteBuffer b = bytes();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new String(a, StandardCharsets.UTF_8);
  }

  ProtoReader message() { return new ProtoReader(bytes()); }

  /** Reads a repeated int64 field in either packed or unpacked form, appending to {@code out}. */
  void int64s(java.util.List<Long> out) {
    if (wireType == LEN) {
      ProtoReader packed = new ProtoReader(bytes());
      while (packed.buf.hasRemaining()) out.add(packed.varint());
    } else {
      out.add(varint());
    }
  }

  float fixed32Float() { return buf.getFloat(); }

  void skip() {
    switch (wireType) {
      case VARINT -> varint();
      case FIXED64 -> buf.position(buf.position() + 8);
      case LEN -> bytes();
      case FIXED32 -> buf.position(buf.position() + 4);
      default -> throw new IllegalArgumentException("corrupt protobuf: unsupported wire type " + wireType
          + " for field " + fieldNumber);
    }
  }
}
