package org.rlhf4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.rlhf4j.data.Content;
import org.rlhf4j.privacy.pii.PiiRecords;
import org.rlhf4j.data.PromptCompletion;
import org.rlhf4j.models.CausalLM;
import org.rlhf4j.models.tokenizer.Tokenizer;
import org.rlhf4j.runtime.DType;
import org.rlhf4j.training.batch.Encoder;
import org.rlhf4j.training.loss.Gae;
import org.rlhf4j.training.loss.KlController;
import org.rlhf4j.training.loss.KlEstimator;
import org.rlhf4j.training.loss.PpoLoss;
import org.rlhf4j.training.ppo.PpoBench;
import org.rlhf4j.training.ppo.PpoConfig;
import org.rlhf4j.training.ppo.PpoTrainer;
import org.rlhf4j.training.rollout.Scorer;
import org.rlhf4j.training.reward.RewardModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rlhf4j ppo}: PPO against a reward model (TRL PPOTrainer defaults), or {@code --bench}. */
@Command(name = "ppo", mixinStandardHelpOptions = true,
    description = {"PPO (InstructGPT / TRL PPOTrainer) of --model against --reward-model on the prompts in --data "
        + "(JSONL {\"prompt\"} or {prompt, completion}); --max-steps counts iterations (rollout batches).",
        "--bench times one iteration of a GPT-2-124M-shaped policy (random weights) split into generation, reward, "
            + "no-grad forwards and training, with the frozen models in fp32 and in bf16; prints JSON lines."})
public final class PpoCommand implements Callable<Integer> {
  static final Set<String> KEYS = Set.of("reward_model", "reward_adapter", "response_length", "temperature", "kl_coef", "kl_estimator",
      "adaptive_kl_target", "adaptive_kl_horizon", "num_ppo_epochs", "num_mini_batches", "missing_eos_penalty",
      "cliprange", "cliprange_value", "vf_coef", "gamma", "lam", "whiten_rewards", "value_detached", "value_lr_scale", "ref_dtype");

  @Mixin TrainFlags flags;
  @Mixin RlFlags rl;
  @Option(names = "--bench", description = "Benchmark one PPO iteration instead of training.") boolean bench;
  @Option(names = "--bench-batch", defaultValue = "32", description = "Benchmark prompts (default ${DEFAULT-VALUE}).") int benchBatch;
  @Option(names = "--bench-new-tokens", defaultValue = "64", description = "Benchmark new tokens (default ${DEFAULT-VALUE}).") int benchTokens;
  @Option(names = "--bench-epochs", defaultValue = "1", description = "Benchmark PPO epochs (default ${DEFAULT-VALUE}; TRL uses 4).") int benchEpochs;

  @Override public Integer call() throws IOException {
    if (bench) return bench();
    Ranks.join("ppo"); // launch / torchrun variables: this process is one data-parallel rank
    Settings c = flags.settings(KEYS, "model", "data", "output");
    rl.apply(c);
    PpoConfig d = PpoConfig.defaults(c.path("output"));
    PpoConfig cfg = ppoConfig(c, d);
    try (Tokenizer tok = Settings.tokenizer(c.path("model"))) {
      CausalLM policy = Settings.model(c.path("model"), c.device());
      LoraSettings.attach(c, policy, c.path("model"));
      List<long[]> prompts = RlFlags.prompts(c, tok);
      RlFlags.checkContext(prompts, policy, cfg.maxNewTokens(), c);
      Scorer scorer = RlFlags.scorer(c, tok);
      if (Ranks.writes()) c.write(cfg.train().outputDir());
      var r = DoctorWatch.around(cfg.train().outputDir(), cfg.iterations(), System.err,
          () -> PpoTrainer.run(policy, RlFlags.reference(policy, c), null, scorer, prompts, tok, cfg));
      if (Ranks.writes()) RunOutput.finalPolicy("ppo", c, policy, cfg.train().outputDir());
      double[] s = r.scores();
      System.out.printf(Locale.ROOT, "ppo: %d iterations, objective/scores %.4f -> %.4f; model saved to %s%n", s.length,
          s.length == 0 ? Double.NaN : s[0], s.length == 0 ? Double.NaN : s[s.length - 1], cfg.train().outputDir());
    }
    return 0;
  }

  private static PpoConfig ppoConfig(Settings c, PpoConfig d) {
    try {
      KlController kl = c.has("adaptive_kl_target")
          ? new KlController.Adaptive(c.number("kl_coef", d.kl().value()), c.number("adaptive_kl_target", 6), c.number("adaptive_kl_horizon", 10000))
          : new KlController.Fixed(c.number("kl_coef", d.kl().value()));
      return d.with(c.integer("max_steps", d.iterations()), c.integer("batch_size", d.batchSize()),
              c.integer("num_mini_batches", d.numMiniBatches()), c.integer("num_ppo_epochs", d.ppoEpochs()),
              c.integer("response_length", d.maxNewTokens()))
          .withSampling(c.number("temperature", d.temperature()), Set.of(), c.number("missing_eos_penalty", 0))
          .withKl(KlEstimator.valueOf(c.string("kl_estimator", "k1").toUpperCase(Locale.ROOT)), kl)
          .withLoss(new PpoLoss.Config(c.number("cliprange", 0.2), c.number("cliprange_value", 0.2), c.number("vf_coef", 0.1)),
              new Gae.Config(c.number("gamma", 1.0), c.number("lam", 0.95)), c.bool("whiten_rewards", false))
          .withCritic(new PpoConfig.Critic(c.bool("value_detached", false), c.number("value_lr_scale", 1.0)))
          .withTrain(c.trainConfig(d.train()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private int bench() throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (DType frozen : new DType[] {DType.F32, DType.BF16}) {
      PpoBench.Timing t = PpoBench.run(PpoBench.gpt2Small(), benchBatch, 64, benchTokens, benchEpochs, 8, frozen, 0);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("bench", "ppo_iteration");
      o.put("model", "gpt2-124m-shape");
      o.put("frozen_dtype", t.frozenDtype());
      o.put("batch", t.batch());
      o.put("prompt_tokens", t.promptLength());
      o.put("new_tokens", t.newTokens());
      o.put("ppo_epochs", t.ppoEpochs());
      o.put("generation_s", t.generation());
      o.put("reward_s", t.scoring());
      o.put("ref_value_forwards_s", t.forwards());
      o.put("training_s", t.training());
      o.put("total_s", t.total());
      o.put("generation_share", t.generationShare());
      System.out.println(json.writeValueAsString(o));
    }
    return 0;
  }

  /** Options shared by ppo, rloo, grpo and best-of-n (picocli mixin), and their loading helpers. */
  public static final class RlFlags {
    @Option(names = "--reward-model", description = "Reward model folder (Hugging Face sequence classifier, as `rlhf4j reward` saves).") Path rewardModel;
    @Option(names = "--reward-adapter", description = RlFlags.ADAPTER_DOC) Path rewardAdapter;
    @Option(names = "--max-new-tokens", description = "Response length in tokens.") Integer maxNewTokens;
    @Option(names = "--temperature", description = "Sampling temperature.") Double temperature;
    @Option(names = "--kl-coef", description = "KL coefficient (ppo, rloo) / beta (grpo).") Double klCoef;

    void apply(Settings c) {
      c.put("reward_model", rewardModel);
      c.put("reward_adapter", rewardAdapter);
      c.put("response_length", maxNewTokens);
      c.put("temperature", temperature);
      c.put("kl_coef", klCoef);
    }

    /** The frozen reference: the policy as loaded, in {@code ref_dtype} (f32 default, bf16 to halve its cost). */
    static CausalLM reference(CausalLM policy, Settings c) {
      if (policy.adapters().isPresent()) return policy.frozenReference(); // the base with adapters off: no copy
      return policy.copy(DType.parse(c.string("ref_dtype", "f32")));
    }

    static final String ADAPTER_DOC = "PEFT SEQ_CLS LoRA adapter folder (a LoRA `rlhf4j reward` run's adapter/) applied to "
        + "--reward-model, then its base (a causal LM or reward model folder); --reward-model may also be such a folder itself.";

    /** The reward model of {@code reward_model} (and {@code reward_adapter}) as a scorer over decoded text. */
    static Scorer scorer(Settings c, Tokenizer tok) {
      return scorer(c.path("reward_model"), c.has("reward_adapter") ? c.path("reward_adapter") : null, tok);
    }

    /** A learned reward model (with a PEFT SEQ_CLS adapter on it when {@code adapter} is not null) as a scorer over decoded text. */
    static Scorer scorer(Path dir, Path adapter, Tokenizer tok) {
      if (!Files.isDirectory(dir)) throw new UserError("reward model folder " + dir + " does not exist");
      RewardModel rm = ScoreCommand.load(dir, adapter, "--reward-model", "--reward-adapter").requiresGrad(false);
      return Scorer.text(tok, (prompts, responses) -> {
        List<PromptCompletion> items = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) items.add(new PromptCompletion(Content.text(prompts.get(i)), Content.text(responses.get(i))));
        return rm.score(items);
      });
    }

    /**
     * Refuses prompts that leave no room for {@code newTokens} in the policy's positions, naming the prompt and
     * the flags to change (the generator would otherwise run past the context).
     */
    static void checkContext(List<long[]> prompts, CausalLM policy, int newTokens, Settings c) {
      int context = policy.config().maxPositions();
      for (int i = 0; i < prompts.size(); i++) {
        int n = prompts.get(i).length;
        if (n + newTokens > context) {
          throw new UserError(c.path("data") + ": prompt " + (i + 1) + " is " + n + " tokens; with --max-new-tokens " + newTokens
              + " it exceeds the model's " + context + " positions (max_position_embeddings): shorten the prompt or lower "
              + "--max-new-tokens to " + Math.max(0, context - n));
        }
      }
    }

    /** Prompts from --data, screened by the command's --pii. */
    static List<long[]> prompts(Settings c, Tokenizer tok) throws IOException {
      return prompts(c.path("data"), tok, texts -> PiiScreen.screen(c, "--data", texts, PiiRecords::texts));
    }

    /** Prompts from JSONL/JSON lines with a "prompt" (string), tokenised as SFT tokenises them. */
    static List<long[]> prompts(Path file, Tokenizer tok) throws IOException { return prompts(file, tok, texts -> texts); }

    private static List<long[]> prompts(Path file, Tokenizer tok, java.util.function.UnaryOperator<List<String>> screen) throws IOException {
      if (!Files.isRegularFile(file)) throw new UserError("data file " + file + " does not exist");
      ObjectMapper json = new ObjectMapper();
      List<String> texts = new ArrayList<>();
      List<String> lines = org.rlhf4j.common.TextFiles.readUtf8(file).lines().toList(); // invalid UTF-8: refused with its line
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) continue;
        JsonNode n;
        try {
          n = json.readTree(lines.get(i));
        } catch (IOException e) {
          throw new UserError(file + ":" + (i + 1) + ": malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode p = n.get("prompt");
        if (p == null || !p.isTextual()) throw new UserError(file + ":" + (i + 1) + ": expected a string \"prompt\"");
        texts.add(p.asText());
      }
      if (texts.isEmpty()) throw new UserError(file + ": no prompts");
      Encoder enc = new Encoder(tok);
      List<long[]> out = new ArrayList<>();
      for (String t : screen.apply(texts)) {
        int[] ids = enc.encode(Content.text(t), Content.text("")).prompt();
        out.add(java.util.Arrays.stream(ids).asLongStream().toArray());
      }
      return out;
    }
  }
}
