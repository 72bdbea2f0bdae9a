"""Prompt/completion token ids as TRL itself makes them (issue 11, item 17).

Builds TRL's DPOTrainer and SFTTrainer on llama2.c's stories260K (../shared/fixtures/stories260K) over a few
plain-text pairs whose completions start with a space, with no space, with a newline, and with text that merges
across the join, and writes the ids TRL's own dataset preparation produced (nothing re-implemented here) to
training/src/test/resources/trl/tokenization.json, which TrlTokenizationTest compares with rlhf4j's Encoder.

    ~/ref-venv/bin/python training/src/test/python/make_trl_tokenization.py ../shared/fixtures/stories260K \
        training/src/test/resources/trl/tokenization.json

Made with transformers, trl and torch from ~/ref-venv (versions recorded in the output).

    ~/ref-venv/bin/python training/src/test/python/make_trl_tokenization.py --chat ../shared/fixtures/stories260K \
        training/src/test/resources/trl/llama2.jinja chat_tokenization.json

writes TRL's ids for TrlChatTokenizationTest's conversational cases (Llama-2-chat template); that mode was written in
a session without PyPI and has not been run yet: the chat test's expected ids come from reading TRL's code.
"""
import json
import sys
import tempfile

import datasets
import torch
import transformers
import trl
from transformers import AutoModelForCausalLM, AutoTokenizer

CASES = [
    {"prompt": "Once upon a time", "chosen": " there was a dog.", "rejected": " the end"},
    {"prompt": "The cat", "chosen": " sat on the mat.", "rejected": "no"},
    {"prompt": "Lily went to the park.", "chosen": "\nShe saw a big tree.", "rejected": " She was sad."},
    {"prompt": "Tom and Sam were", "chosen": "n't friends.", "rejected": "  two boys."},
    {"prompt": "Once upon a time, ", "chosen": "there lived a king.", "rejected": "a bird sang."},
]


def main(model_dir, out_file):
    tok = AutoTokenizer.from_pretrained(model_dir)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        dpo = trl.DPOTrainer(model=model, args=trl.DPOConfig(output_dir=tmp, report_to=[], max_length=None, use_cpu=True, bf16=False),
                             train_dataset=datasets.Dataset.from_list(CASES), processing_class=tok)
        dpo_rows = [{"prompt_ids": r["prompt_ids"], "chosen_ids": r["chosen_ids"], "rejected_ids": r["rejected_ids"]}
                    for r in dpo.train_dataset]
        sft_data = [{"prompt": c["prompt"], "completion": c["chosen"]} for c in CASES]
        sft = trl.SFTTrainer(model=model, args=trl.SFTConfig(output_dir=tmp, report_to=[], max_length=None, use_cpu=True, bf16=False),
                             train_dataset=datasets.Dataset.from_list(sft_data), processing_class=tok)
        # TRL builds completion_mask as [0] * len(prompt_ids) + [1] * rest and folds it into the labels; the prepared
        # dataset keeps input_ids (the prompt's ids are DPO's prompt_ids, tokenised the same way)
        sft_rows = [{"input_ids": r["input_ids"]} for r in sft.train_dataset]
    out = {
        "definitions": {
            "cases": "plain-text preference pairs (prompt, chosen, rejected)",
            "dpo": "TRL DPOTrainer's prepared train_dataset per case: prompt_ids, chosen_ids, rejected_ids",
            "sft": "TRL SFTTrainer's prepared train_dataset for (prompt, chosen): input_ids",
        },
        "versions": {"transformers": transformers.__version__, "trl": trl.__version__, "torch": torch.__version__,
                     "datasets": datasets.__version__},
        "cases": CASES,
        "dpo": dpo_rows,
        "sft": sft_rows,
    }
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


CHAT_CASES = [
    {"prompt": [{"role": "user", "content": "Where did the dog go?"}],
     "chosen": [{"role": "assistant", "content": "The dog ran to the park."}],
     "rejected": [{"role": "assistant", "content": "no"}]},
    {"prompt": [{"role": "system", "content": "Be kind."}, {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Tell me a story."}],
     "chosen": [{"role": "assistant", "content": "Once upon a time there was a cat."}],
     "rejected": [{"role": "assistant", "content": "No."}]},
]


def chat(model_dir, template_file, out_file):
    """Conversational pairs (TrlChatTokenizationTest's cases) through TRL's DPOTrainer with the template of
    template_file (training/src/test/resources/trl/llama2.jinja); written for a session with PyPI, not yet run."""
    tok = AutoTokenizer.from_pretrained(model_dir)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    with open(template_file, encoding="utf-8") as f:
        tok.chat_template = f.read()
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    with tempfile.TemporaryDirectory() as tmp:
        dpo = trl.DPOTrainer(model=model, args=trl.DPOConfig(output_dir=tmp, report_to=[], max_length=None, use_cpu=True, bf16=False),
                             train_dataset=datasets.Dataset.from_list(CHAT_CASES), processing_class=tok)
        rows = [{"prompt_ids": r["prompt_ids"], "chosen_ids": r["chosen_ids"], "rejected_ids": r["rejected_ids"]}
                for r in dpo.train_dataset]
    out = {"template": template_file, "cases": CHAT_CASES, "dpo": rows,
           "versions": {"transformers": transformers.__version__, "trl": trl.__version__}}
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--chat":  # --chat MODEL_DIR TEMPLATE OUT
        chat(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main(sys.argv[1], sys.argv[2])
