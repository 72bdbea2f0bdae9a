package org.rlhf4j.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.rlhf4j.common.FileOps;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, JSON header,
 * raw little-endian data), single files and sharded checkpoints with
 * {@code model.safetensors.index.json}. Reading memory-maps the file and copies each tensor
 * into libtorch memory, so the returned tensors own their storage.
 */
public final class Safetensors {
  public static final String SINGLE = "model.safetensors";
  public static final String INDEX = "model.safetensors.index.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** Header entry of one tensor. */
  public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    public long numel() {
      long n = 1;
      for (long s : shape) n *= s;
      return n;
    }
  }

  /** Reads only the header of {@code file}: tensor entries in file order, plus metadata. */
  public static Header header(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return readHeader(file, ch);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** A parsed header: entries, metadata and where the data section starts. */
  public record Header(Map<String, Entry> entries, Map<String, String> metadata, long dataStart, long fileSize) {}

  /** Loads every tensor of one safetensors file, in file order. */
  public static Map<String, Tensor> load(Path file) {
    return load(file, null);
  }

  /** Loads the named tensors (or all when {@code names} is null) of one safetensors file. */
  public static Map<String, Tensor> load(Path file, java.util.Collection<String> names) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      Header h = readHeader(file, ch);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Entry e : h.entries().values()) {
        if (names != null && !names.contains(e.name())) continue;
        out.put(e.name(), readTensor(file, ch, h, e));
      }
      return out;
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Loads a checkpoint directory: {@code model.safetensors}, or the shards listed by
   * {@code model.safetensors.index.json}.
   */
  public static Map<String, Tensor> loadDir(Path dir) {
    Path index = dir.resolve(INDEX);
    Path single = dir.resolve(SINGLE);
    if (Files.isRegularFile(single)) return load(single);
    if (!Files.isRegularFile(index)) {
      throw new CheckpointException(dir + ": no " + SINGLE + " or " + INDEX + " found");
    }
    Map<String, List<String>> byShard = new TreeMap<>();
    try {
      JsonNode map = JSON.readTree(index.toFile()).path("weight_map");
      if (!map.isObject()) throw new CheckpointException(index + ": missing \"weight_map\" object");
      map.fields().forEachRemaining(f -> byShard.computeIfAbsent(f.getValue().asText(), k -> new ArrayList<>()).add(f.getKey()));
    } catch (IOException e) {
      throw new CheckpointException(index + ": malformed JSON: " + e.getMessage(), e);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (var shard : byShard.entrySet()) {
      Path shardFile = dir.resolve(shard.getKey());
      if (!Files.isRegularFile(shardFile)) throw new CheckpointException(index + ": shard " + shardFile + " is missing");
      Map<String, Tensor> part = load(shardFile, shard.getValue());
      for (String n : shard.getValue()) {
        if (!part.containsKey(n)) throw new CheckpointException(shardFile + ": tensor '" + n + "' listed in " + INDEX + " is missing");
      }
      out.putAll(part);
    }
    return out;
  }

  /** Writes tensors to one file atomically (temp file + rename). Tensors may live on any device. */
  public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    try (NativeScope scope = NativeScope.open()) {
      List<Tensor> cpu = new ArrayList<>();
      ObjectNode header = JSON.createObjectNode();
      if (metadata != null && !metadata.isEmpty()) header.set("__metadata__", JSON.valueToTree(new TreeMap<>(metadata)));
      long offset = 0;
      for (var e : tensors.entrySet()) {
        Tensor t = e.getValue().detach().cpu().contiguous();
        DType dt = DType.of(t.scalar_type());
        long bytes = t.numel() * dt.byteSize();
        ObjectNode node = header.putObject(e.getKey());
        node.put("dtype", dt.safetensorsName());
        var shape = node.putArray("shape");
        for (long s : t.shape()) shape.add(s);
        node.putArray("data_offsets").add(offset).add(offset + bytes);
        offset += bytes;
        cpu.add(t);
      }
      byte[] headerBytes = padHeader(JSON.writeValueAsBytes(header));
      FileOps.writeAtomically(file, tmp -> writeFile(tmp, headerBytes, cpu));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeFile(Path tmp, byte[] headerBytes, List<Tensor> cpu) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).flip();
      writeFully(ch, len);
      writeFully(ch, ByteBuffer.wrap(headerBytes));
      for (Tensor t : cpu) {
        long bytes = t.numel() * DType.of(t.scalar_type()).byteSize();
        if (bytes == 0) continue;
        ByteBuffer data = new BytePointer(t.data_ptr()).capacity(bytes).asByteBuffer();
        writeFully(ch, data);
      }
      ch.force(true);
    }
  }

  /**
   * Writes a checkpoint directory: one {@code model.safetensors} when it fits in
   * {@code maxShardBytes}, else numbered shards plus {@code model.safetensors.index.json}.
   */
  public static void saveDir(Path dir, Map<String, Tensor> tensors, Map<String, String> metadata, long maxShardBytes) {
    List<Map<String, Tensor>> shards = new ArrayList<>();
    Map<String, Tensor> current = new LinkedHashMap<>();
    long size = 0, total = 0;
    for (var e : tensors.entrySet()) {
      long bytes = e.getValue().numel() * DType.of(e.getValue().scalar_type()).byteSize();
      if (!current.isEmpty() && size + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        size = 0;
      }
      current.put(e.getKey(), e.getValue());
      size += bytes;
      total += bytes;
    }
    shards.add(current);
    if (shards.size() == 1) {
      save(dir.resolve(SINGLE), tensors, metadata);
      return;
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      save(dir.resolve(name), shards.get(i), metadata);
      for (String k : shards.get(i).keySet()) weightMap.put(k, name);
    }
    ObjectNode index = JSON.createObjectNode();
    index.putObject("metadata").put("total_size", total);
    index.set("weight_map", JSON.valueToTree(weightMap));
    try {
      FileOps.writeAtomically(dir.resolve(INDEX), tmp -> JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(INDEX) + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------

  private static Header readHeader(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size < 8) throw new CheckpointException(file + ": truncated safetensors file (" + size + " bytes, no header)");
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, len, 0);
    long n = len.flip().getLong();
    if (n <= 0 || n > 100_000_000L || 8 + n > size) {
      throw new CheckpointException(file + ": not a safetensors file or truncated (header length " + n + ", file size " + size + ")");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    readFully(ch, hb, 8);
    Map<String, JsonNode> raw;
    try {
      raw = JSON.readValue(new String(hb.array(), StandardCharsets.UTF_8).trim(), new TypeReference<LinkedHashMap<String, JsonNode>>() {});
    } catch (IOException e) {
      throw new CheckpointException(file + ": malformed safetensors header: " + e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (var e : raw.entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        e.getValue().fields().forEachRemaining(f -> meta.put(f.getKey(), f.getValue().asText()));
        continue;
      }
      entries.add(parseEntry(file, e.getKey(), e.getValue()));
    }
    entries.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry e : entries) byName.put(e.name(), e);
    return new Header(byName, meta, 8 + n, size);
  }

  private static Entry parseEntry(Path file, String name, JsonNode node) {
    try {
      DType dt = DType.parse(node.path("dtype").asText());
      JsonNode shapeNode = node.path("shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
      JsonNode off = node.path("data_offsets");
      Entry e = new Entry(name, dt, shape, off.get(0).asLong(), off.get(1).asLong());
      if (e.end() - e.begin() != e.numel() * dt.byteSize()) {
        throw new CheckpointException(file + ": tensor '" + name + "' has " + (e.end() - e.begin()) + " bytes for shape "
            + java.util.Arrays.toString(shape) + " of " + dt);
      }
      return e;
    } catch (CheckpointException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CheckpointException(file + ": malformed header entry for tensor '" + name + "': " + e.getMessage(), e);
    }
  }

  private static Tensor readTensor(Path file, FileChannel ch, Header h, Entry e) throws IOException {
    long start = h.dataStart() + e.begin();
    long bytes = e.end() - e.begin();
    if (start + bytes > h.fileSize()) {
      throw new CheckpointException(file + ": truncated: tensor '" + e.name() + "' needs bytes up to " + (start + bytes)
          + " but the file has " + h.fileSize());
    }
    Tensor t = torch.empty(e.shape(), new TensorOptions(e.dtype().scalarType()), new org.bytedeco.pytorch.MemoryFormatOptional());
    if (bytes == 0) return t;
    Pointer dst = t.data_ptr();
    long done = 0;
    while (done < bytes) { // map in chunks below 2 GiB
      long chunk = Math.min(bytes - done, 1L << 30);
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, start + done, chunk);
      Pointer.memcpy(new BytePointer(dst).position(done), new BytePointer(map), chunk);
      done += chunk;
    }
    return t;
  }

  private static byte[] padHeader(byte[] json) {
    int padded = (json.length + 7) / 8 * 8; // align the data section to 8 bytes, as the reference writer does
    byte[] out = java.util.Arrays.copyOf(json, padded);
    java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      int r = ch.read(buf, pos + buf.position());
      if (r < 0) throw new IOException("unexpected end of file");
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) ch.write(buf);
  }
}
