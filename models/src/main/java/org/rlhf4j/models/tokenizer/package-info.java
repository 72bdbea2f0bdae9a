/**
 * Hugging Face tokenizers and chat templates.
 *
 * <p>{@link org.rlhf4j.models.tokenizer.Tokenizer#load(java.nio.file.Path)} reads a model folder's
 * {@code tokenizer.json} (run by the Rust tokenizers library through DJL, never truncating or
 * padding) plus {@code tokenizer_config.json}, {@code special_tokens_map.json} and
 * {@code generation_config.json}. Padding is the caller's job and is always described by an
 * attention mask: Llama-style tokenizers have no pad token, so {@code padId()} is then a stand-in.
 *
 * <p>{@link org.rlhf4j.models.tokenizer.ChatTemplate} renders the folder's Jinja chat template
 * with Jinjava set up like transformers ({@code trim_blocks}, {@code lstrip_blocks}, loop controls,
 * {@code raise_exception}). Rendered text normally starts with BOS already: encode it with
 * {@code addSpecialTokens=false}.
 */
package org.rlhf4j.models.tokenizer;
