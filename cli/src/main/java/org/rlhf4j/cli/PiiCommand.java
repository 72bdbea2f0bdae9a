package org.rlhf4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rlhf4j pii}: personal-data detection (eval against a labelled set, scrub a file). */
@Command(name = "pii", mixinStandardHelpOptions = true, subcommands = {PiiEvalCommand.class, PiiScrubCommand.class},
    description = {"Personal data (PII): e-mail, phone (libphonenumber), credit card (Luhn), IBAN (mod-97), IP, URL, US SSN, "
        + "date, ZIP, person / organisation / location (CoreNLP NER) and street address (rules).",
        "See privacy/README.md."})
public final class PiiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override public void run() { spec.commandLine().usage(System.out); }
}
