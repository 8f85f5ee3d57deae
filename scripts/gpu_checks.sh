#!/usr/bin/env bash
# Every GPU check of the trainer in one go, in under 10 minutes on one GPU (bf16 and fused
# AdamW, tokens/s and MFU at the Nano architecture, our Trainer against a plain
# Seq2SeqTrainer, and real torchrun launches with DDP (2+ GPUs), FSDP2 and DeepSpeed
# ZeRO-2/3 when DeepSpeed is installed). Run from the repository root on a CUDA machine:
#
#   scripts/gpu_checks.sh [OUTPUT_DIR]        # default: gpu-checks/
#
# Writes OUTPUT_DIR/gpu_checks.log (pytest's output), OUTPUT_DIR/gpu_checks.xml (JUnit) and
# OUTPUT_DIR/gpu_figures.jsonl (one JSON object per figure). Exit status: pytest's.
set -euo pipefail

out="${1:-gpu-checks}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if ! python -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)'; then
    echo "gpu_checks: no CUDA GPU visible to torch; nothing to check." >&2
    exit 2
fi
python - <<'PY' | tee "$out/environment.txt"
import torch, transformers, accelerate
print("torch", torch.__version__, "cuda", torch.version.cuda)
print("transformers", transformers.__version__, "accelerate", accelerate.__version__)
for i in range(torch.cuda.device_count()):
    print(f"gpu {i}:", torch.cuda.get_device_name(i))
try:
    import deepspeed
    print("deepspeed", deepspeed.__version__)
except ImportError:
    print("deepspeed not installed: the ZeRO launches are skipped (DS_BUILD_OPS=0 pip install deepspeed)")
PY

rm -f "$out/gpu_figures.jsonl"
# 570 s: the whole run stays under 10 minutes, whatever hangs.
TERJMAN_GPU_FIGURES="$out" timeout --signal=INT 570 \
    python -m pytest tests/trainer/test_trainer_gpu.py -q -s -rs -p no:randomly \
    --durations=10 --junitxml "$out/gpu_checks.xml" 2>&1 | tee "$out/gpu_checks.log"
status="${PIPESTATUS[0]}"
echo "gpu_checks: figures in $out/gpu_figures.jsonl (exit status $status)"
exit "$status"
