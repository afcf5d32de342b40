# The trained solver of `npm run strength -- --trained`: a small CNN + CTC model (about 1M
# parameters) trained on labelled captchas from bench/trained/render.ts, CPU only, seeded, with a
# fixed number of steps so the figure does not depend on the machine's load. It then reads the test
# sets and reports the exact-match solve rate of each, as one JSON object on stdout.
#
#   /usr/bin/python3 bench/trained/solver.py --train PREFIX --test NAME=PREFIX [--test ...]
#       --steps 2700 --batch 32 --seed 1 [--threads 1] [--save MODEL.pt]
#
# The model is what anyone can write from open tutorials (a VGG-like stack, convolutions along
# the columns, CTC); nothing in it knows verifyd. One thread by default: on a machine shared with
# other work, two threads that wait on each other ran 2-9 times slower per step than one.
import argparse
import json
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

H, W = 60, 160


def load(prefix):
    labels = open(prefix + '.txt', encoding='utf-8').read().split('\n')[:-1]
    images = np.fromfile(prefix + '.u8', dtype=np.uint8).reshape(len(labels), 1, H, W)
    return images, labels


class Net(nn.Module):
    """Convolutions only: the input at half size, a VGG-like stack down to one row of 40 columns,
    then convolutions along the row and a per-column class score for CTC. No recurrent layer: on a
    CPU a GRU cost ten times the convolutions per step (torch 1.13, Debian)."""

    def __init__(self, classes):
        super().__init__()

        def block(cin, cout, k=3, p=1):
            return [nn.Conv2d(cin, cout, k, padding=p, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

        self.cnn = nn.Sequential(
            *block(1, 32), nn.MaxPool2d(2),                          # 15 x 40
            *block(32, 64), *block(64, 96), nn.MaxPool2d((2, 1)),    # 7 x 40
            *block(96, 128), nn.MaxPool2d((2, 1)),                   # 3 x 40
            *block(128, 256, (3, 1), 0),                             # 1 x 40
            *block(256, 256, (1, 3), (0, 1)), *block(256, 256, (1, 3), (0, 1)),
            nn.Conv2d(256, classes, 1),
        )

    def forward(self, x):
        x = F.avg_pool2d(x, 2)
        return self.cnn(x).squeeze(2).permute(0, 2, 1)   # B, T=40, classes


def tensor(images):
    x = torch.from_numpy(images).float().div_(255.0)
    # Per-image contrast: the attacker normalises away each deployment's colours.
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    std = x.std(dim=(1, 2, 3), keepdim=True).clamp_min(1e-3)
    return (x - mean) / std


def decode(logits, symbols):
    best = logits.argmax(-1).tolist()
    out = []
    for row in best:
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(symbols[k - 1])
            prev = k
        out.append(''.join(s))
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--train', required=True)
    p.add_argument('--test', action='append', default=[])
    p.add_argument('--steps', type=int, default=2700)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--save')
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)

    images, labels = load(a.train)
    tests = []
    for spec in a.test:
        name, prefix = spec.split('=', 1)
        tests.append((name,) + load(prefix))
    symbols = sorted(set(''.join(labels)) | set(''.join(l for t in tests for l in t[2])))
    index = {s: i + 1 for i, s in enumerate(symbols)}

    net = Net(len(symbols) + 1)
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=a.steps, pct_start=0.15)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = np.random.default_rng(a.seed)
    started = time.time()
    net.train()
    for step in range(a.steps):
        pick = rng.integers(0, len(labels), a.batch)
        x = tensor(images[pick])
        targets = [torch.tensor([index[c] for c in labels[i]]) for i in pick]
        lengths = torch.tensor([len(t) for t in targets])
        logits = net(x)
        logp = F.log_softmax(logits, -1).permute(1, 0, 2)
        loss = ctc(logp, torch.cat(targets), torch.full((a.batch,), logp.shape[0], dtype=torch.long), lengths)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
        sched.step()
        if (step + 1) % max(1, a.steps // 20) == 0:
            print(f'solver: step {step + 1}/{a.steps} loss {loss.item():.3f} {time.time() - started:.0f} s', file=sys.stderr, flush=True)
    train_seconds = time.time() - started
    if a.save:
        torch.save({'state': net.state_dict(), 'symbols': symbols}, a.save)

    net.eval()
    results = {}
    with torch.no_grad():
        for name, timages, tlabels in tests:
            solved = 0
            for s in range(0, len(tlabels), 200):
                guesses = decode(net(tensor(timages[s:s + 200])), symbols)
                solved += sum(g == t for g, t in zip(guesses, tlabels[s:s + 200]))
            results[name] = {'solved': solved, 'n': len(tlabels), 'rate': solved / len(tlabels)}
    print(json.dumps({'params': params, 'train_images': len(labels), 'steps': a.steps, 'batch': a.batch,
                      'seed': a.seed, 'train_seconds': round(train_seconds), 'torch': torch.__version__, 'tests': results}))


if __name__ == '__main__':
    main()
