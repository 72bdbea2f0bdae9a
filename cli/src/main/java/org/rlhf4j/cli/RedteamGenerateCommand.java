package org.rlhf4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rlhf4j.aifeedback.redteam.Attack;
import org.rlhf4j.aifeedback.redteam.AttackTemplate;
import org.rlhf4j.aifeedback.redteam.Attacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rlhf4j redteam generate}: attacks from seed requests. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Writes every seed, each paraphrase of its bare \"request\" and each jailbreak wrapper of its prompt as one "
        + "line {id, prompt, seed, kind, family}. Seeds: JSON Lines {prompt, request?, family?}."})
public final class RedteamGenerateCommand implements Callable<Integer> {
  @Option(names = "--seeds", required = true, description = "Seed requests (JSON Lines).") Path seeds;
  @Option(names = "--templates", description = "Attack templates (YAML/JSON list of {name, method: paraphrase|jailbreak, template}); default: built-in.") Path templates;
  @Option(names = "--output", required = true, description = "Attack file to write.") Path output;

  @Override public Integer call() {
    try {
      List<AttackTemplate> t = templates == null ? Attacks.builtIn() : Attacks.load(PairFlags.existing(templates));
      List<Attack> attacks = Attacks.generate(Attacks.readSeeds(PairFlags.existing(seeds)), t);
      Attacks.write(output, attacks);
      System.out.printf("redteam generate: %d attacks from %d templates in %s%n", attacks.size(), t.size(), output);
      return 0;
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
