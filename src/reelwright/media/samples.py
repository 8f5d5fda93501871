"""Sample photos drawn by code, so `reelwright make --samples` works on a fresh machine.

Each is a small landscape scene (sky gradient, sun or moon, layered hills, water, stars) at
photo-like resolution with film grain, so Ken Burns, transitions and focus finding have real
structure to work on. Deterministic: the same seed draws the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


@dataclass(frozen=True)
class Scene:
    name: str
    sky_top: tuple[int, int, int]
    sky_bottom: tuple[int, int, int]
    sun: tuple[int, int, int]
    hills: tuple[tuple[int, int, int], ...]
    water: bool = False
    stars: bool = False


SCENES: tuple[Scene, ...] = (
    Scene("sunrise-valley", (255, 170, 120), (255, 226, 170), (255, 246, 210),
          ((120, 110, 150), (80, 80, 120), (40, 50, 80))),
    Scene("blue-lake", (70, 140, 220), (190, 225, 250), (255, 255, 235),
          ((90, 140, 110), (50, 100, 80)), water=True),
    Scene("desert-dusk", (60, 40, 110), (250, 120, 80), (255, 200, 120),
          ((190, 110, 70), (140, 70, 50), (90, 40, 40))),
    Scene("night-peaks", (8, 12, 40), (40, 60, 110), (235, 235, 250),
          ((40, 50, 80), (25, 30, 55), (10, 14, 30)), stars=True),
    Scene("green-hills", (120, 180, 240), (225, 240, 250), (255, 250, 220),
          ((120, 170, 90), (80, 140, 70), (50, 100, 50))),
    Scene("autumn-sea", (240, 150, 90), (250, 210, 150), (255, 235, 190),
          ((170, 90, 50), (120, 60, 40)), water=True),
)


def _ridge(rng: np.random.Generator, w: int, base: float, amp: float) -> list[tuple[float, float]]:
    xs = np.linspace(0, w, 48)
    ys = np.full_like(xs, base)
    for octave in range(1, 5):
        ys += amp / octave * np.sin(xs / w * np.pi * 2 * octave + rng.uniform(0, 6.28))
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def draw_scene(scene: Scene, size: tuple[int, int] = (2400, 1600), seed: int = 0) -> Image.Image:
    w, h = size
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    top = np.array(scene.sky_top, np.float32)
    bottom = np.array(scene.sky_bottom, np.float32)
    sky = np.broadcast_to(top * (1 - t) + bottom * t, (h, w, 3)).copy()
    img = Image.fromarray(sky.astype(np.uint8))
    draw = ImageDraw.Draw(img, "RGBA")
    if scene.stars:
        for _ in range(400):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h * 0.6), rng.uniform(0.8, 2.6)
            alpha = int(rng.uniform(90, 255))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 240, alpha))
    sx, sy, sr = rng.uniform(0.25, 0.75) * w, rng.uniform(0.18, 0.35) * h, h * 0.08
    glow = Image.new("RGBA", (w, h))
    ImageDraw.Draw(glow).ellipse((sx - sr * 3, sy - sr * 3, sx + sr * 3, sy + sr * 3),
                                 fill=(*scene.sun, 90))
    img.paste(glow.filter(ImageFilter.GaussianBlur(sr)), (0, 0), glow.filter(
        ImageFilter.GaussianBlur(sr)))
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=(*scene.sun, 255))
    layers = len(scene.hills)
    for i, colour in enumerate(scene.hills):
        base = h * (0.5 + 0.12 * i)
        points = _ridge(rng, w, base, h * (0.09 - 0.015 * i))
        draw.polygon([*points, (w, h), (0, h)], fill=(*colour, 255))
        for _ in range(60 if i == layers - 1 else 0):
            tx, ty = rng.uniform(0, w), rng.uniform(base + h * 0.05, h)
            th = rng.uniform(h * 0.03, h * 0.07)
            draw.polygon([(tx, ty - th), (tx - th / 3, ty), (tx + th / 3, ty)],
                         fill=(max(colour[0] - 30, 0), max(colour[1] - 25, 0),
                               max(colour[2] - 30, 0), 255))
    if scene.water:
        horizon = int(h * 0.72)
        region = img.crop((0, horizon - (h - horizon), w, horizon)).transpose(
            Image.Transpose.FLIP_TOP_BOTTOM)
        region = Image.blend(region, Image.new("RGB", region.size, scene.sky_top), 0.35)
        img.paste(region, (0, horizon))
        draw = ImageDraw.Draw(img, "RGBA")
        for _ in range(140):
            y = rng.uniform(horizon, h)
            x = rng.uniform(0, w)
            length = rng.uniform(w * 0.02, w * 0.08)
            draw.line((x, y, x + length, y), fill=(255, 255, 255, 50), width=2)
    arr = np.asarray(img, dtype=np.float32)
    arr += rng.normal(0, 4.0, arr.shape).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def write_samples(dest: Path, count: int = 6, size: tuple[int, int] = (2400, 1600)) -> list[Path]:
    """Draw ``count`` sample photos into ``dest`` (kept when already there) and return paths."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        scene = SCENES[i % len(SCENES)]
        path = dest / f"{i + 1:02d}-{scene.name}-{size[0]}x{size[1]}.jpg"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            draw_scene(scene, size, seed=i).save(tmp, "JPEG", quality=90)
            tmp.replace(path)
        paths.append(path)
    return paths
