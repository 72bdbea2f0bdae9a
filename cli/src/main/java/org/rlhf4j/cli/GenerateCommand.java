package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.generate.Generation;
import org.rlhf4j.models.generate.Generator;
import org.rlhf4j.models.generate.SamplingConfig;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.runtime.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j generate}: continue a prompt with a Hugging Face model folder. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a continuation of a prompt with a model folder (config.json, model.safetensors, tokenizer.json).")
public final class GenerateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  @Option(names = "--model", required = true, description = "Hugging Face model folder.") Path model;
  @Option(names = "--adapter", description = "PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) to apply to --model.") Path adapter;
  @Option(names = "--prompt", required = true, description = "Prompt text.") String prompt;
  @Option(names = "--max-new-tokens", defaultValue = "64", description = "Maximum new tokens (default ${DEFAULT-VALUE}).") int maxNewTokens;
  @Option(names = "--greedy", description = "Greedy decoding (the default unless --temperature is given).") boolean greedy;
  @Option(names = "--temperature", description = "Sampling temperature (> 0).") Double temperature;
  @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default ${DEFAULT-VALUE}).") double topP;
  @Option(names = "--top-k", defaultValue = "0", description = "Top-k sampling, 0 = off (default ${DEFAULT-VALUE}).") int topK;
  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed (default ${DEFAULT-VALUE}).") long seed;
  @Option(names = "--chat", description = "Wrap the prompt as a user message with the model's chat template.") boolean chat;
  @Option(names = "--device", defaultValue = "auto", description = "cpu, cuda, cuda:N or auto (default ${DEFAULT-VALUE}).") String device;
  @Option(names = "--json", description = "Print one JSON object (prompt_ids, output_ids, text, logprobs).") boolean json;

  @Override public Integer call() throws Exception {
    if (!Files.isDirectory(model)) throw new UserError("model folder " + model + " does not exist");
    if (greedy && temperature != null) throw new UserError("--greedy and --temperature exclude each other");
    SamplingConfig cfg;
    try (Tokenizer tok = Tokenizer.load(model)) {
      cfg = greedy || temperature == null
          ? SamplingConfig.greedy(maxNewTokens, tok.stopIds())
          : SamplingConfig.sample(maxNewTokens, temperature, topK, topP, seed, tok.stopIds());
      String text = chat ? tok.chatTemplate().orElseThrow(() -> new UserError("the tokenizer in " + model + " has no chat template"))
          .render(List.of(java.util.Map.of("role", "user", "content", prompt)), true) : prompt;
      int[] ids = tok.encode(text, !chat || !text.startsWith(tok.bosToken().orElse("\u0000")));
      CausalLM lm = CausalLM.load(model, Device.parse(device), DType.F32);
      if (adapter != null) LoraCommand.loadAdapter(lm, adapter);
      cfg = fitContext(cfg, ids.length, lm.config().maxPositions(), tok);
      Generation g = Generator.generate(lm, List.of(java.util.Arrays.stream(ids).asLongStream().toArray()), tok.padId(), cfg);
      int[] out = java.util.Arrays.stream(g.outputIds()[0]).mapToInt(l -> (int) l).toArray();
      String decoded = tok.decode(out, true);
      if (json) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.set("prompt_ids", om.valueToTree(ids));
        o.set("output_ids", om.valueToTree(out));
        o.put("text", decoded);
        o.set("logprobs", om.valueToTree(g.logprobs()[0]));
        o.put("finished", g.finished()[0]);
        System.out.println(om.writeValueAsString(o));
      } else {
        System.out.println(text + decoded);
      }
    }
    return 0;
  }

  /**
   * A prompt longer than the model's context is refused (exit 2); --max-new-tokens past the context is capped to
   * what fits, with a warning on stderr naming the flag.
   */
  private SamplingConfig fitContext(SamplingConfig cfg, int promptTokens, int context, Tokenizer tok) {
    if (promptTokens >= context) {
      throw new UserError("--prompt is " + promptTokens + " tokens but the model in " + model + " has " + context
          + " positions (max_position_embeddings): shorten it to under " + context + " tokens");
    }
    if (promptTokens + maxNewTokens <= context) return cfg;
    int fit = context - promptTokens;
    spec.commandLine().getErr().printf(java.util.Locale.ROOT, "generate: --max-new-tokens %d capped at %d: the prompt is %d tokens and the "
        + "model has %d positions (max_position_embeddings)%n", maxNewTokens, fit, promptTokens, context);
    return greedy || temperature == null ? SamplingConfig.greedy(fit, tok.stopIds())
        : SamplingConfig.sample(fit, temperature, topK, topP, seed, tok.stopIds());
  }
}
