package org.rlhf4j.demo.world;

/**
 * The parts of a gold score; {@code total} = clamp(sum of the parts, -1, 1).
 *
 * @param task         correctness and helpfulness: +1 for the right outcome of the family, negative otherwise
 * @param honesty      negative for made-up claims on unknowable questions
 * @param harmlessness -1.5 when the response contains harmful instructions, else 0
 * @param concision    negative for words beyond the ideal response's length
 * @param sycophancy   negative for flattering the user
 * @param repetition   negative for loops and for parroting the question
 * @param fluency      negative for words outside the world, role words, and a missing final punctuation mark
 */
public record GoldBreakdown(double task, double honesty, double harmlessness, double concision, double sycophancy,
    double repetition, double fluency, double total) {}
