/**
 * From data records to tensors: {@link org.rlhf4j.training.batch.Encoder} tokenizes prompt/completion
 * (chat template or ChatML fallback for conversations, EOS appended), {@link org.rlhf4j.training.batch.LengthPolicy}
 * fits over-long examples (prompt truncated from the left, or dropped; counted),
 * {@link org.rlhf4j.training.batch.Packing} packs pre-training blocks and SFT rows,
 * {@link org.rlhf4j.training.batch.Batch} right-pads rows into ids / attention mask / loss mask, and
 * {@link org.rlhf4j.training.batch.BatchSampler} draws seeded shuffled batches and is the trainer's data cursor.
 */
package org.rlhf4j.training.batch;
