package org.rlhf4j.training.pretrain;

import org.rlhf4j.common.Reporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.batch.Packing;
import org.rlhf4j.training.batch.Row;
import org.rlhf4j.training.loop.TrainConfig;
import org.rlhf4j.training.loop.TrainResult;
import org.rlhf4j.training.loss.SftLoss;

/**
 * Causal-LM pre-training on a text corpus: each document is tokenized (BOS when the tokenizer
 * adds it, EOS appended), the documents are packed into blocks of {@code seqLength} tokens and
 * every token is a target. Checkpoints and the final model are Hugging Face folders.
 *
 * <pre>{@code
 * double loss = Pretrainer.run(model, tok, docs, TrainConfig.defaults(out), 64, 16);
 * }</pre>
 */
public final class Pretrainer {
  private Pretrainer() {}

  /** Trains and returns the final step's loss; the final model is saved in {@code cfg.outputDir()}. */
  public static double run(CausalLM model, Tokenizer tok, List<String> docs, TrainConfig cfg, int seqLength, int batchSize) {
    return train(model, tok, docs, cfg, new PretrainOptions(seqLength, batchSize), null).finalLoss();
  }

  /**
   * @param tokenizerDir folder whose tokenizer files are copied into checkpoints and the output (may be null)
   */
  public static TrainResult train(CausalLM model, Tokenizer tok, List<String> docs, TrainConfig cfg,
      PretrainOptions opts, Path tokenizerDir) {
    if (docs.isEmpty()) throw new IllegalArgumentException("pretrain: the corpus has no documents");
    Encoder enc = new Encoder(tok);
    List<Row> blocks = Packing.blocks(docs.stream().map(enc::document).toList(), opts.seqLength());
    Reporter.get().info("pretrain: %d documents -> %d blocks of %d tokens", docs.size(), blocks.size(), blocks.get(0).length());
    return LmTraining.train(model, blocks, opts.batchSize(), enc.padId(), SftLoss.Config.DEFAULT, cfg, tokenizerDir);
  }

  /** Documents of a text file: paragraphs separated by blank lines (the whole file when there are none). */
  public static List<String> readDocuments(Path file) {
    try {
      if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
      String text = org.rlhf4j.common.TextFiles.readUtf8(file); // refuses invalid UTF-8 naming the line
      List<String> docs = java.util.Arrays.stream(text.split("\\R\\s*\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      if (docs.isEmpty()) throw new IllegalArgumentException(file + ": the corpus is empty");
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read corpus " + file + ": " + e.getMessage(), e);
    }
  }
}
