package org.rlhf4j.synth;

import java.io.IOException;
import java.nio.file.Path;
import org.rlhf4j.synth.table.Table;

/** A fitted tabular synthesizer: draws synthetic rows and saves itself into a folder that {@link Synthesizers#load} reads. */
public interface Synthesizer {
  /** {@code rows} synthetic rows, the same for the same seed (on one machine). */
  Table sample(int rows, long seed);

  /** Writes {@code synthesizer.json} (and any weights) into {@code dir}. */
  void save(Path dir) throws IOException;

  /** The name written in {@code synthesizer.json}: {@code ctgan} or {@code copula}. */
  String kind();
}
