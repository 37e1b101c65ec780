"""The training-step benchmarks of `pnpm bench`, in PyTorch, for the side-by-side ratio (issue 8).

Same models, same step as benchmarks/src/suites/*-train-step.ts: forward, mean cross-entropy, backward,
global-norm clipping to 1, AdamW (lr 3e-4, weight decay 0.01 on matrices, 0 on vectors), zero-grad.

  llama  4 layers, d=256, 4 heads, SwiGLU 688, vocab 512, untied head (3.43M parameters), batch 8 x 128
  gpt2   12 layers, d=768, 12 heads, vocab 50257, tied head (GPT-2 small, 124M), batch 4 x 256

Run with Debian's python3-torch (`/usr/bin/python3`) the way PyTorch is run for CPU training: with tcmalloc
(`LD_PRELOAD` of Debian's libtcmalloc-minimal4; glibc's allocator returns large blocks to the system and every
step page-faults them back), OPENBLAS_CORETYPE=SKYLAKEX where OpenBLAS misdetects the core, and the faster of
OMP_WAIT_POLICY=PASSIVE and the default on the machine at hand (`pnpm bench` tries both). Prints one JSON
object: {"model", "tokensPerSecond", "medianMs", "samplesMs", "peakRssMB", "allocator", "ompWaitPolicy", ...}.

  LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 OPENBLAS_CORETYPE=SKYLAKEX \
    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 benchmarks/pytorch/train_step.py --model llama
"""

import argparse
import json
import math
import os
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MASKED_SCORE = -1e9


class RMSNorm(nn.Module):
    """x / sqrt(mean(x^2) + eps) * w (Zhang & Sennrich 2019, eq. 4)."""

    def __init__(self, d, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotary_tables(t, head_dim, theta=10000.0):
    inv_freq = theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.outer(torch.arange(t, dtype=torch.float64), inv_freq)
    emb = torch.cat([angles, angles], dim=-1)
    return emb.cos().float()[None, None], emb.sin().float()[None, None]  # (1, 1, T, Dh)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def attention(q, k, v, mask):
    """softmax(q k^T / sqrt(Dh) + mask) v, q/k/v (B, H, T, Dh)."""
    scores = (q * (1.0 / math.sqrt(q.shape[-1]))) @ k.transpose(-1, -2) + mask
    return torch.softmax(scores, dim=-1) @ v


def causal_mask(t):
    return torch.triu(torch.full((t, t), MASKED_SCORE), diagonal=1)[None, None]


class LlamaBlock(nn.Module):
    def __init__(self, d, heads, inner, eps):
        super().__init__()
        self.heads = heads
        self.input_layernorm = RMSNorm(d, eps)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.o_proj = nn.Linear(d, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d, eps)
        self.gate_proj = nn.Linear(d, inner, bias=False)
        self.up_proj = nn.Linear(d, inner, bias=False)
        self.down_proj = nn.Linear(inner, d, bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, d = x.shape
        h = self.input_layernorm(x)
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)  # (B, H, T, Dh)
        q, k, v = split(self.q_proj(h)), split(self.k_proj(h)), split(self.v_proj(h))
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        a = attention(q, k, v, mask).transpose(1, 2).reshape(b, t, d)
        x = x + self.o_proj(a)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self, vocab=512, d=256, layers=4, heads=4, inner=688, eps=1e-5):
        super().__init__()
        self.heads = heads
        self.embed_tokens = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(LlamaBlock(d, heads, inner, eps) for _ in range(layers))
        self.norm = RMSNorm(d, eps)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        t = ids.shape[1]
        cos, sin = rotary_tables(t, self.embed_tokens.weight.shape[1] // self.heads)
        mask = causal_mask(t)
        x = self.embed_tokens(ids)
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return self.lm_head(self.norm(x))


class GPT2Block(nn.Module):
    def __init__(self, d, heads, eps=1e-5):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.c_fc = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        split = lambda y: y.view(b, t, self.heads, d // self.heads).transpose(1, 2)
        a = attention(split(q), split(k), split(v), mask).transpose(1, 2).reshape(b, t, d)
        x = x + self.c_proj(a)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class GPT2(nn.Module):
    def __init__(self, vocab=50257, positions=1024, d=768, layers=12, heads=12):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(positions, d)
        self.h = nn.ModuleList(GPT2Block(d, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(d)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t))[None]
        mask = causal_mask(t)
        for block in self.h:
            x = block(x, mask)
        return self.ln_f(x) @ self.wte.weight.T  # tied head


MODELS = {
    "llama": dict(make=Llama, vocab=512, batch=8, seq=128, name="llama-train-step"),
    "gpt2": dict(make=GPT2, vocab=50257, batch=4, seq=256, name="gpt2-train-step"),
}


def init_weights(model):
    """GPT-2 / Hugging Face initialisation, as the TypeScript models do: N(0, 0.02) for matrices and
    embeddings (0.01 for GPT-2's positions), zero biases, unit norm weights."""
    for name, p in model.named_parameters():
        if p.dim() >= 2:
            nn.init.normal_(p, 0.0, 0.01 if name.endswith("wpe.weight") else 0.02)
        elif name.endswith("bias"):
            nn.init.zeros_(p)
    return model


def peak_rss_mb():
    """This process's resident-set high-water mark (VmHWM). `ru_maxrss` would not do: a child forked from
    a large parent inherits the parent's peak."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def allocator():
    """Which malloc this process runs on: tcmalloc when its library is mapped (LD_PRELOAD), else glibc."""
    try:
        with open("/proc/self/maps") as maps:
            return "tcmalloc" if "libtcmalloc" in maps.read() else "glibc"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=sorted(MODELS), required=True)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (checks the script works)")
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    spec = MODELS[args.model]
    if args.quick:
        model = Llama(vocab=64, d=32, layers=1, heads=2, inner=64) if args.model == "llama" else GPT2(vocab=64, positions=16, d=32, layers=1, heads=2)
        vocab, batch, seq = 64, 2, 16
    else:
        model = spec["make"]()
        vocab, batch, seq = spec["vocab"], spec["batch"], spec["seq"]
    init_weights(model)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=3e-4)
    ids = torch.randint(0, vocab, (batch, seq))
    targets = torch.randint(0, vocab, (batch, seq))
    params = list(model.parameters())

    def step():
        logits = model(ids)
        loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    losses = [step() for _ in range(args.warmup)]
    samples = []
    for _ in range(max(1, args.steps)):
        start = time.perf_counter()
        losses.append(step())
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(json.dumps({
        "model": args.model,
        "benchmark": spec["name"],
        "tokensPerSecond": batch * seq / (median / 1000),
        "medianMs": median,
        "minMs": min(samples),
        "samplesMs": samples,
        "warmup": args.warmup,
        "peakRssMB": peak_rss_mb(),
        "parameters": sum(p.numel() for p in model.parameters()),
        "batchSize": batch,
        "seqLen": seq,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "allocator": allocator(),
        "ompWaitPolicy": os.environ.get("OMP_WAIT_POLICY", "default"),
        "firstLoss": losses[0],
        "lastLoss": losses[-1],
    }))


if __name__ == "__main__":
    main()
